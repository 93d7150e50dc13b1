"""MaPrimeRénov' Parcours accompagné: eligibility and amount before écrêtement; the advance
on the amount after écrêtement."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import Any, NamedTuple

from ..context import DPE_INDEX, Ctx
from ..money import ZERO, fmt_eur, fmt_rate, money
from ..ops import HOLDS, Cond, TraceStep, Verdict, all_of, bracket, ceiling, rate, step
from ..records import record
from ..registry import HEAD, AidSpec, Answer, Done, Outcome, Section
from ..result import AS_INT, Aid
from ..schemas import (
    BY_GAIN,
    CATEGORY_LIST,
    CLASS_LIST,
    DEPT_LIST,
    FUNDERS,
    GUICHET,
    INT,
    PASSOIRE_BONUS,
    RATE,
    RATE_BY_GAIN,
    ListOf,
    Map,
    OneOf,
    by_category,
)

CODE = "mpr_accompagnee"
LABEL = "MaPrimeRénov' Parcours accompagné"
GAIN_LABELS = ("gain_2", "gain_3", "gain_4_plus")
GAIN_TEXT = {"gain_2": "2 classes", "gain_3": "3 classes", "gain_4_plus": "4 classes ou plus"}


@record
class MprAccompagnee:
    """The ``mpr_accompagnee`` section of the result."""

    eligible: bool
    reasons: tuple[str, ...]
    class_gain: int | None
    rate: Decimal
    ceiling_ht: Decimal = field(metadata=AS_INT)
    amount_before_ecretement: Decimal = ZERO
    amount: Decimal = ZERO
    advance: Decimal = ZERO
    passoire_bonus: Decimal = ZERO


class MprDraft(NamedTuple):
    eligible: bool
    reasons: tuple[str, ...]
    rate: Decimal
    ceiling_ht: Decimal
    amount: Decimal  # before écrêtement
    passoire_bonus: Decimal
    trace: tuple[TraceStep, ...]
    technical_ok: bool  # gain, insulation and heating conditions hold (used by CEE ampleur)


def _conditions(ctx: Ctx) -> tuple[Verdict, bool]:
    """(verdict of every condition, whether the technical ones hold: gain, insulation,
    heating). The conditions are plain values first; their sentences are built only when one
    does not hold (most files meet them, or fail one)."""
    s = ctx.s
    hh, home, project = s.household, s.home, s.project
    cond = ctx.use("mpr_accompagnee.conditions")
    min_age = cond["age_logement_min_ans"]
    min_gain = cond["gain_classes_min"]
    min_insulation = cond["gestes_isolation_min"]
    dpe_ok = ctx.p("mpr_accompagnee.dpe_avant_eligibles")
    excluded = ctx.use("mpr_accompagnee.departements_exclus")
    gain = ctx.class_gain
    age_ok = None if home.age_years is None else home.age_years >= min_age
    in_metropole = home.department not in excluded
    dpe_before_ok = None if home.dpe_before is None else home.dpe_before in dpe_ok.value
    gain_ok = None if gain is None else gain >= min_gain
    insulation = project.insulation_gestures
    insulation_ok = None if insulation is None else insulation >= min_insulation
    fossil = project.keeps_fossil_heating
    heating_ok = None if fossil is None else not fossil
    technical_ok = gain_ok is True and insulation_ok is True and heating_ok is True
    holds = hh.owner_occupant and hh.main_residence and age_ok and in_metropole and dpe_before_ok
    if technical_ok and holds:
        return HOLDS, True
    conds = [
        Cond(hh.owner_occupant, "Le demandeur doit être propriétaire occupant du logement."),
        Cond(
            hh.main_residence,
            "Le logement doit être la résidence principale (occupée au moins 8 mois par an).",
        ),
        Cond(
            age_ok,
            lambda: f"Le logement doit avoir au moins {min_age} ans (il a {home.age_years} ans).",
            "home.age_years",
        ),
        Cond(in_metropole, "Le parcours accompagné n'est pas ouvert en outre-mer."),
        Cond(
            dpe_before_ok,
            lambda: (
                f"Le DPE avant travaux doit être en classe {', '.join(dpe_ok.value)} "
                f"(règle en vigueur depuis le {dpe_ok.since.strftime('%d/%m/%Y')}) ; "
                f"le logement est classé {home.dpe_before}."
            ),
            "home.dpe_before",
        ),
        Cond(
            gain_ok,
            lambda: (
                f"Le projet doit faire gagner au moins {min_gain} classes DPE "
                f"(gain prévu : {gain})."
            ),
            "home.dpe_after" if home.dpe_after is None else "home.dpe_before",
        ),
        Cond(
            insulation_ok,
            lambda: (
                f"Le projet doit comporter au moins {min_insulation} gestes d'isolation "
                f"(toiture, fenêtres, sols, murs) ; prévus : {insulation}."
            ),
            "project.insulation_gestures",
        ),
        Cond(
            heating_ok,
            "Le projet ne doit ni conserver ni installer un chauffage majoritairement fossile "
            "(fioul, charbon, gaz).",
            "project.keeps_fossil_heating",
        ),
    ]
    return all_of(conds), technical_ok


_OTHER_ROUTE = MprDraft(
    False,
    (
        "Le projet suit le parcours par geste : MaPrimeRénov' Parcours "
        "accompagné n'est pas demandée (les deux parcours ne se cumulent pas).",
    ),
    ZERO,
    ZERO,
    ZERO,
    ZERO,
    (),
    False,
)
# the same for every par geste file
_OTHER_ROUTE_OUTCOME = Outcome(CODE, False, ZERO, (), _OTHER_ROUTE.reasons, _OTHER_ROUTE)


def draft(ctx: Ctx) -> MprDraft:
    s = ctx.s
    if s.project.route != "ampleur":
        return _OTHER_ROUTE
    verdict, technical_ok = _conditions(ctx)
    if not verdict.ok:
        return MprDraft(False, ctx.refusal(verdict), ZERO, ZERO, ZERO, ZERO, (), technical_ok)

    home = s.home
    gain = ctx.class_gain
    if gain is None:  # pragma: no cover - all conditions hold, so both DPE classes are known
        raise RuntimeError("class gain unknown for an eligible project")
    cond_src = ctx.period["mpr_accompagnee.conditions"].source
    trace = [
        step(
            "Conditions du parcours accompagné",
            "remplies : propriétaire occupant, résidence principale, "
            f"logement de {home.age_years} ans, "
            f"DPE {home.dpe_before} → {home.dpe_after} (gain de {gain} classes), "
            f"{s.project.insulation_gestures} gestes d'isolation, "
            "pas de chauffage fossile conservé",
            cond_src,
        )
    ]
    label = bracket(gain, (2, 3), GAIN_LABELS)
    p_ceiling = ctx.p("mpr_accompagnee.plafonds_travaux_ht")
    ceiling_ht = p_ceiling.value[label]
    p_rate = ctx.p("mpr_accompagnee.taux")
    base_rate = p_rate.value[ctx.category][label]
    trace.append(
        step(
            f"Taux pour un gain de {GAIN_TEXT[label]} ({ctx.category})",
            fmt_rate(base_rate),
            p_rate.source,
        )
    )
    total_rate = base_rate
    bonus = ZERO
    p_bonus = ctx.p("mpr_accompagnee.bonus_sortie_passoire")
    is_exit = home.dpe_before in ("F", "G") and DPE_INDEX[home.dpe_after] <= DPE_INDEX["D"]
    if p_bonus.value is not None:
        b = p_bonus.value
        if (
            home.dpe_before in b["dpe_avant"]
            and DPE_INDEX[home.dpe_after] <= DPE_INDEX[b["dpe_apres_au_moins"]]
        ):
            bonus = b["points"]
            total_rate = base_rate + bonus
            trace.append(
                step(
                    "Bonus sortie de passoire (DPE F ou G vers D ou mieux)",
                    f"+{fmt_rate(bonus)} → taux de {fmt_rate(total_rate)}",
                    p_bonus.source,
                )
            )
    elif is_exit:
        trace.append(step("Bonus sortie de passoire", p_bonus.note or "supprimé", p_bonus.source))
    retained, retained_step = ceiling(
        ctx.base_ht,
        ceiling_ht,
        f"Travaux HT retenus, plafond pour un gain de {GAIN_TEXT[label]}",
        p_ceiling.source,
    )
    trace.append(retained_step)
    amount, amount_step = rate(
        retained, total_rate, "MaPrimeRénov' = taux × travaux HT retenus", p_rate.source
    )
    trace.append(amount_step)
    return MprDraft(True, (), total_rate, ceiling_ht, amount, bonus, tuple(trace), technical_ok)


def advance(ctx: Ctx, amount: Decimal) -> tuple[Decimal, TraceStep | None]:
    p = ctx.p("mpr_accompagnee.avance")
    if amount <= 0 or ctx.category not in p.value["beneficiaires"]:
        return ZERO, None
    value = money(amount * p.value["taux"])
    return value, step(
        "Avance versée au démarrage des travaux",
        f"{fmt_rate(p.value['taux'])} × {fmt_eur(amount)} = {fmt_eur(value)}",
        p.source,
    )


def _evaluate(ctx: Ctx, _done: Done) -> Outcome:
    if ctx.s.project.route != "ampleur":
        return _OTHER_ROUTE_OUTCOME
    d = draft(ctx)
    ctx.notice("mpr_accompagnee.guichet")
    return Outcome(CODE, d.eligible, d.amount, d.trace, d.reasons, d)


def _report(
    ctx: Ctx, spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...]
) -> tuple[Any, dict[str, Any]]:
    d: MprDraft = outcome.detail
    value, advance_step = advance(ctx, amount)
    section = MprAccompagnee(
        d.eligible,  # eligible
        d.reasons,  # reasons
        ctx.class_gain,  # class_gain
        d.rate,  # rate
        d.ceiling_ht,  # ceiling_ht
        d.amount,  # amount_before_ecretement
        amount,  # amount
        value,  # advance
        d.passoire_bonus,  # passoire_bonus
    )
    aid = None
    if d.eligible:  # listed even when the écrêtement or Ma Prime Logement Décent leave 0
        trace = d.trace + extra + ((advance_step,) if advance_step else ())
        aid = Aid(CODE, LABEL, amount, trace)
    return aid, {"mpr_accompagnee": section}


SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    evaluate=_evaluate,
    report=_report,
    rank=10,
    order=10,
    ecretement_rank=1,
    cap_rank=1,
    sections=(Section("mpr_accompagnee", HEAD),),
    bareme={
        "mpr_accompagnee.yaml": {
            "conditions": Map(
                {"age_logement_min_ans": INT, "gain_classes_min": INT, "gestes_isolation_min": INT}
            ),
            "departements_exclus": DEPT_LIST,
            "dpe_avant_eligibles": CLASS_LIST,
            "plafonds_travaux_ht": BY_GAIN,
            "taux": by_category(RATE_BY_GAIN),
            "bonus_sortie_passoire": PASSOIRE_BONUS,
            "ecretement_ttc": by_category(RATE),
            "financeurs_ecretement": ListOf(OneOf(FUNDERS), min_length=0),
            "avance": Map({"taux": RATE, "beneficiaires": CATEGORY_LIST}),
            "guichet": GUICHET,
        }
    },
    answer=Answer(
        "aid_mpr_accompagnee",
        LABEL,
        "Les conditions du parcours accompagné, le taux selon la catégorie et le gain de "
        "classes, le plafond de travaux et l'écrêtement.",
        (
            "mpr_accompagnee.conditions",
            "mpr_accompagnee.taux",
            "mpr_accompagnee.plafonds_travaux_ht",
            "mpr_accompagnee.bonus_sortie_passoire",
            "mpr_accompagnee.ecretement_ttc",
        ),
    ),
)
