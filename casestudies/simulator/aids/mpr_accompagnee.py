"""MaPrimeRénov' Parcours accompagné: eligibility and amount before écrêtement; the advance
on the amount after écrêtement."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import Any, NamedTuple

from ..context import DPE_INDEX, Ctx
from ..money import ZERO, fmt_eur, fmt_rate, money
from ..ops import HOLDS, Cond, TraceStep, Verdict, bracket, ceiling, rate, step
from ..period import P
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
    heating). The conditions are plain values first; their sentences are built only for a
    refusal, once per period for each set of values they read (``Ctx.verdict``)."""
    s = ctx.s
    hh, home, project = s.household, s.home, s.project
    cond = ctx.use("mpr_accompagnee.conditions")
    dpe_ok = ctx.p("mpr_accompagnee.dpe_avant_eligibles")
    excluded = ctx.use("mpr_accompagnee.departements_exclus")
    gain = ctx.class_gain
    age_ok = None if home.age_years is None else home.age_years >= cond["age_logement_min_ans"]
    in_metropole = home.department not in excluded
    dpe_before_ok = None if home.dpe_before is None else home.dpe_before in dpe_ok.value
    gain_ok = None if gain is None else gain >= cond["gain_classes_min"]
    insulation = project.insulation_gestures
    insulation_ok = None if insulation is None else insulation >= cond["gestes_isolation_min"]
    fossil = project.keeps_fossil_heating
    heating_ok = None if fossil is None else not fossil
    technical_ok = gain_ok is True and insulation_ok is True and heating_ok is True
    holds = hh.owner_occupant and hh.main_residence and age_ok and in_metropole and dpe_before_ok
    if technical_ok and holds:
        return HOLDS, True
    checks = (
        hh.owner_occupant,
        hh.main_residence,
        age_ok,
        in_metropole,
        dpe_before_ok,
        gain_ok,
        insulation_ok,
        heating_ok,
    )
    # what the sentences read besides: the age (when too young), the classes, the gain and the
    # insulation gestures
    key = (
        checks,
        True if age_ok else home.age_years,
        home.dpe_before,
        home.dpe_after is None,
        gain,
        insulation,
    )
    verdict = ctx.verdict(CODE, key, lambda: _sentences(ctx, checks, cond, dpe_ok))
    return verdict, technical_ok


def _sentences(ctx: Ctx, checks: tuple, cond: dict[str, int], dpe_ok: P) -> list[Cond]:
    """The conditions (``checks``: each one's value, in order) with the sentences that explain
    a refusal."""
    home, project = ctx.s.home, ctx.s.project
    owner, main_residence, age, in_metropole, dpe_before, gain, insulation, heating = checks
    min_age = cond["age_logement_min_ans"]
    min_gain = cond["gain_classes_min"]
    min_insulation = cond["gestes_isolation_min"]
    return [
        Cond(owner, "Le demandeur doit être propriétaire occupant du logement."),
        Cond(
            main_residence,
            "Le logement doit être la résidence principale (occupée au moins 8 mois par an).",
        ),
        Cond(
            age,
            lambda: f"Le logement doit avoir au moins {min_age} ans (il a {home.age_years} ans).",
            "home.age_years",
        ),
        Cond(in_metropole, "Le parcours accompagné n'est pas ouvert en outre-mer."),
        Cond(
            dpe_before,
            lambda: (
                f"Le DPE avant travaux doit être en classe {', '.join(dpe_ok.value)} "
                f"(règle en vigueur depuis le {dpe_ok.since.strftime('%d/%m/%Y')}) ; "
                f"le logement est classé {home.dpe_before}."
            ),
            "home.dpe_before",
        ),
        Cond(
            gain,
            lambda: (
                f"Le projet doit faire gagner au moins {min_gain} classes DPE "
                f"(gain prévu : {ctx.class_gain})."
            ),
            "home.dpe_after" if home.dpe_after is None else "home.dpe_before",
        ),
        Cond(
            insulation,
            lambda: (
                f"Le projet doit comporter au moins {min_insulation} gestes d'isolation "
                f"(toiture, fenêtres, sols, murs) ; prévus : {project.insulation_gestures}."
            ),
            "project.insulation_gestures",
        ),
        Cond(
            heating,
            "Le projet ne doit ni conserver ni installer un chauffage majoritairement fossile "
            "(fioul, charbon, gaz).",
            "project.keeps_fossil_heating",
        ),
    ]


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


def _refused(ctx: Ctx, verdict: Verdict, technical_ok: bool) -> Outcome:
    """The outcome of a refusal (the missing inputs recorded): the same for every file of the
    period refused for the same reasons, so built once."""
    reasons = ctx.refusal(verdict)
    table = ctx.memo("mpr_accompagnee.refused")
    key = (reasons, technical_ok)
    outcome = table.get(key)
    if outcome is None:
        d = MprDraft(False, reasons, ZERO, ZERO, ZERO, ZERO, (), technical_ok)
        outcome = table[key] = Outcome(CODE, False, ZERO, (), reasons, d)
    return outcome


def draft(ctx: Ctx, technical_ok: bool) -> MprDraft:
    """The parcours accompagné of a file that meets its conditions: rate, ceiling, passoire
    bonus and amount before écrêtement, with their trace."""
    s = ctx.s
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
    verdict, technical_ok = _conditions(ctx)
    if verdict.ok:
        d = draft(ctx, technical_ok)
        outcome = Outcome(CODE, True, d.amount, d.trace, (), d)
    else:
        outcome = _refused(ctx, verdict, technical_ok)
    ctx.notice("mpr_accompagnee.guichet")
    return outcome


def _refused_section(ctx: Ctx, d: MprDraft) -> MprAccompagnee:
    """The section of a refused file: the same for every file of the period refused for the
    same reasons with the same class gain."""
    ctx.p("mpr_accompagnee.avance")  # read by ``advance`` (its uncertainty is reported)
    key = (d.reasons, ctx.class_gain)
    table = ctx.memo("mpr_accompagnee.sections")
    section = table.get(key)
    if section is None:
        section = table[key] = MprAccompagnee(
            False,
            d.reasons,
            ctx.class_gain,
            d.rate,
            d.ceiling_ht,
            d.amount,
            ZERO,
            ZERO,
            d.passoire_bonus,
        )
    return section


def _report(
    ctx: Ctx, spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...]
) -> tuple[Any, dict[str, Any]]:
    d: MprDraft = outcome.detail
    if not d.eligible and amount is ZERO:
        return None, {"mpr_accompagnee": _refused_section(ctx, d)}
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
