"""MaPrimeRénov' par geste: one forfait per gesture, écrêtement per gesture on the HT expense,
plus the CEE Coup de pouce Chauffage of that gesture."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from ..context import Ctx
from ..money import ZERO, fmt_eur, fmt_rate, money
from ..ops import HOLDS, Cond, TraceStep, ecretement, step
from ..period import P
from ..records import record
from ..registry import HEAD, AidSpec, Answer, Done, Outcome, Section, line
from ..result import Ecretement
from ..schemas import (
    CATEGORY_LIST,
    DEPT_LIST,
    GUICHET,
    INT,
    MONEY,
    RATE,
    ListOf,
    Map,
    Number,
    OneOf,
    by_category,
)
from ..situation import Field, Gesture, SituationError, check_list, choice, number, obj
from . import cee

CODE = "mpr_par_geste"
LABEL = "MaPrimeRénov' par geste"
UNIT_TEXT = {"forfait": "", "m2": " par m²", "equipement": " par équipement"}
GESTURE_CODES = (
    "pac_air_eau",
    "pac_geothermique",
    "pac_solarothermique",
    "pac_air_air",
    "chauffe_eau_thermodynamique",
    "chauffe_eau_solaire",
    "systeme_solaire_combine",
    "poele_granules",
    "poele_buches",
    "foyer_ferme_insert",
    "chaudiere_bois_manuelle",
    "chaudiere_bois_automatique",
    "raccordement_reseau_chaleur",
    "depose_cuve_fioul",
    "isolation_murs_exterieur",
    "isolation_murs_interieur",
    "isolation_rampants_combles",
    "isolation_toiture_terrasse",
    "isolation_plancher_bas",
    "fenetres",
    "vmc_double_flux",
    "audit_energetique",
)


_KEYS = {code: f"par_geste.gestes.{code}" for code in GESTURE_CODES}  # barème keys


@record
class GestureResult:
    """One item of the ``par_geste`` section of the result."""

    code: str
    eligible: bool
    amount: Decimal
    reasons: tuple[str, ...]
    quantity: Decimal
    amount_before_ecretement: Decimal
    cee_amount: Decimal


class GestesOutcome(NamedTuple):
    gestures: tuple[GestureResult, ...]
    mpr_total: Decimal
    cee_total: Decimal
    mpr_trace: tuple[TraceStep, ...]
    cee_trace: tuple[TraceStep, ...]
    ecr_rate: Decimal
    ecr_ceiling: Decimal
    ecr_reduction: Decimal


def _conditions(checks: tuple) -> tuple[Cond, ...]:
    """The conditions common to every gesture, with the sentences that explain a refusal."""
    benef, owner, main_residence, age_ok, age, min_age = checks
    return (
        Cond(
            benef,
            "Les ménages aux revenus supérieurs ne sont pas éligibles à MaPrimeRénov' par geste.",
        ),
        Cond(owner, "Le demandeur doit être propriétaire occupant du logement."),
        Cond(main_residence, "Le logement doit être la résidence principale."),
        Cond(
            age_ok,
            lambda: f"Le logement doit avoir au moins {min_age} ans (il a {age} ans).",
            "home.age_years",
        ),
    )


def _forfait(ctx: Ctx, p: P, quantity: Decimal) -> tuple[Decimal, TraceStep, Decimal]:
    """(forfait, its trace step, eligible expense ceiling) of a gesture (``p``: its barème
    parameter) for ``quantity``: the same for every file of the period with this gesture,
    category and quantity, so computed once."""
    table = ctx.memo("par_geste.forfaits")
    key = (p.key, ctx.category, quantity)
    found = table.get(key)
    if found is None:
        v = p.value
        qty = quantity
        if "quantite_max" in v and qty > v["quantite_max"]:
            qty = v["quantite_max"]
        unit = v[ctx.category]
        forfait = money(unit * qty)
        forfait_step = step(
            f"Forfait {p.description} ({ctx.category})",
            f"{fmt_eur(unit)}{UNIT_TEXT[v['par']]} × {qty.normalize():f} = {fmt_eur(forfait)}",
            p.source,
        )
        found = table[key] = (forfait, forfait_step, money(v["plafond_depense"] * qty))
    return found


def gestures(
    ctx: Ctx, cee_by_gesture: dict[str, tuple[Decimal, TraceStep | None]]
) -> GestesOutcome:
    """Every gesture's forfait and écrêtement; ``cee_by_gesture``: the CEE Coup de pouce
    Chauffage of each gesture (it shares the gesture's écrêtement ceiling)."""
    s = ctx.s
    project = s.project
    p_ecr = ctx.p("par_geste.ecretement_ht")
    ecr_rate = p_ecr.value[ctx.category]
    if project.route != "par_geste":
        reason = (
            "Non cumulable avec MaPrimeRénov' Parcours accompagné : le projet suit le "
            "parcours d'ampleur."
        )
        results = tuple(
            GestureResult(g.code, False, ZERO, (reason,), g.quantity, ZERO, ZERO)
            for g in project.gestures
        )
        return GestesOutcome(results, ZERO, ZERO, (), (), ecr_rate, ZERO, ZERO)

    hh, home = s.household, s.home
    cond = ctx.use("par_geste.conditions")
    min_age = cond["age_logement_min_ans"]
    if home.department in cond.get("departements_outre_mer", ()):
        min_age = cond["age_logement_min_ans_outre_mer"]
    benef = ctx.category in cond["beneficiaires"]
    age_ok = None if home.age_years is None else home.age_years >= min_age
    if benef and hh.owner_occupant and hh.main_residence and age_ok:
        common = HOLDS  # the sentences below are built only for a refusal
    else:  # a refusal: its sentences read nothing else than these values and the period
        key = (benef, hh.owner_occupant, hh.main_residence, age_ok, home.age_years, min_age)
        common = ctx.verdict(CODE, key, lambda: _conditions(key))
    for path in common.missing:
        ctx.need(path)
    insulation_codes = ctx.use("par_geste.gestes_isolation")
    has_insulation = bool(project.insulation_gestures)
    has_works = False
    for g in project.gestures:
        if g.code in insulation_codes:
            has_insulation = True
        if g.code != "audit_energetique":
            has_works = True
    common_reasons = common.reasons  # every gesture's reasons begin with these
    if common.ok is None:
        common_reasons += (
            "Informations manquantes pour conclure : " + ", ".join(common.missing) + ".",
        )
    results: list[GestureResult] = []
    mpr_trace: list[TraceStep] = []
    cee_trace: list[TraceStep] = []
    mpr_total = cee_total = ceiling_total = reduction_total = ZERO
    single = len(project.gestures) == 1
    for i, g in enumerate(project.gestures):
        p = ctx.p(_KEYS[g.code])
        cee_amount, cee_step = cee_by_gesture.get(g.code, (ZERO, None))
        if cee_step is not None:
            cee_trace.append(cee_step)
            cee_total += cee_amount
        reasons = common_reasons
        if p.value is None:
            reasons += (p.note,)
        else:
            need = p.value.get("requiert")
            if need == "isolation" and not has_insulation:
                reasons += ("Ce geste n'est financé qu'avec un geste d'isolation.",)
            elif need == "travaux" and not has_works:
                reasons += ("L'audit n'est financé que s'il accompagne un geste de travaux.",)
        if reasons:
            results.append(
                GestureResult(g.code, False, ZERO, reasons, g.quantity, ZERO, cee_amount)
            )
            continue
        forfait, forfait_step, eligible_cap = _forfait(ctx, p, g.quantity)
        mpr_trace.append(forfait_step)
        if g.cost_ht is not None:
            cost = g.cost_ht
        elif single:
            cost = ctx.base_ht
            ctx.defaults.append(f"project.gestures[{i}].cost_ht")
        else:
            cost = eligible_cap
            ctx.defaults.append(f"project.gestures[{i}].cost_ht")
        expense = cost if cost < eligible_cap else eligible_cap
        cap = money(expense * ecr_rate)
        ceiling_total += cap
        excess = forfait + cee_amount - cap  # the prime is reduced first (``ops.ecretement``)
        amount = forfait if excess <= 0 else forfait - (forfait if forfait < excess else excess)
        cut = forfait - amount  # only the prime is reduced; the CEE is paid by the obligé
        reduction_total += cut
        if cut:
            mpr_trace.append(
                step(
                    "Écrêtement du geste (prime + CEE ≤ taux × dépense HT éligible)",
                    f"{fmt_rate(ecr_rate)} × {fmt_eur(expense)} = {fmt_eur(cap)} ; prime réduite "
                    f"de {fmt_eur(cut)}",
                    p_ecr.source,
                )
            )
        mpr_total += amount
        results.append(GestureResult(g.code, True, amount, (), g.quantity, forfait, cee_amount))

    p_max = ctx.period["par_geste.plafond_prime_logement"]
    if mpr_total > p_max.value:
        ctx.use("par_geste.plafond_prime_logement")
        over = mpr_total - p_max.value
        mpr_trace.append(
            step(
                "Plafond de prime par logement sur 5 ans",
                f"{fmt_eur(mpr_total)} ramené à {fmt_eur(p_max.value)}",
                p_max.source,
            )
        )
        amounts, _ = ecretement(
            [r.amount for r in reversed(results)], sum((r.amount for r in results), ZERO) - over
        )
        results = [
            GestureResult(
                r.code,
                r.eligible,
                a,
                r.reasons,
                r.quantity,
                r.amount_before_ecretement,
                r.cee_amount,
            )
            for r, a in zip(reversed(results), amounts, strict=True)
        ][::-1]
        reduction_total += over
        mpr_total = p_max.value
    return GestesOutcome(
        tuple(results),
        mpr_total,
        cee_total,
        tuple(mpr_trace),
        tuple(cee_trace),
        ecr_rate,
        ceiling_total,
        reduction_total,
    )


def advance(ctx: Ctx, amount: Decimal) -> Decimal:
    p = ctx.p("par_geste.avance")
    if amount <= 0 or ctx.category not in p.value["beneficiaires"]:
        return ZERO
    return money(amount * p.value["taux"])


def _not_requested(ctx: Ctx) -> Outcome:
    """The outcome of a parcours accompagné file with no gesture: the same for every file of
    the period and income category."""
    p_ecr = ctx.p("par_geste.ecretement_ht")  # its uncertainty is reported all the same
    key = ("par_geste.not_requested", ctx.category)
    outcome = ctx.period.cache.get(key)
    if outcome is None:
        ecr_rate = p_ecr.value[ctx.category]
        g = GestesOutcome((), ZERO, ZERO, (), (), ecr_rate, ZERO, ZERO)
        outcome = ctx.period.cache[key] = Outcome(CODE, False, ZERO, (), (), g)
    return outcome


def _evaluate(ctx: Ctx, done: Done) -> Outcome:
    if ctx.s.project.route != "par_geste" and not ctx.s.project.gestures:
        return _not_requested(ctx)
    chauffage = done.outcomes.get(cee.CODE_CHAUFFAGE)
    g = gestures(ctx, chauffage.detail if chauffage is not None else {})
    own = None
    if ctx.s.project.route == "par_geste":
        ctx.notice("par_geste.guichet")
        own = Ecretement(g.ecr_rate, g.ecr_ceiling, g.ecr_reduction > 0, "ht", g.ecr_reduction)
    eligible = False
    reasons: list[str] = []
    texts = ctx.memo("par_geste.reasons")  # "Geste <code> : <reason>", by (code, reason)
    for r in g.gestures:
        if r.eligible:
            eligible = True
            continue
        for reason in r.reasons:
            text = texts.get((r.code, reason))
            if text is None:
                text = texts[r.code, reason] = f"Geste {r.code} : {reason}"
            reasons.append(text)
    return Outcome(CODE, eligible, g.mpr_total, g.mpr_trace, tuple(reasons), g, own)


def _report(
    ctx: Ctx, spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...]
) -> tuple[Any, dict[str, Any]]:
    if amount > 0:
        advance(ctx, amount)  # not in the result; its uncertainty is
    return line(spec, outcome, amount, extra), {"par_geste": outcome.detail.gestures}


def _gesture(data: Any, path: str, defaults: list[str]) -> Gesture:
    d = obj(data, path, _GESTURE_KEYS)
    if d.get("code") is None:
        raise SituationError(f"{path}.code", "champ obligatoire manquant")
    kwargs: dict[str, Any] = {"code": _code(d["code"], f"{path}.code", d, defaults)}
    if d.get("quantity") is None:
        defaults.append(f"{path}.quantity")
    else:
        kwargs["quantity"] = _quantity(d["quantity"], f"{path}.quantity", d, defaults)
    if d.get("cost_ht") is not None:
        kwargs["cost_ht"] = _cost(d["cost_ht"], f"{path}.cost_ht", d, defaults)
    return Gesture(**kwargs)


_GESTURE_KEYS = frozenset({"code", "quantity", "cost_ht"})
_code = choice(GESTURE_CODES)
_quantity = number(maximum=100_000, strict_min=True)
_cost = number()


def read_gestures(value: Any, where: str, _section: dict, defaults: list[str]) -> tuple:
    """``project.gestures``: at most 50 gestures, each code once."""
    items = check_list(value, where)
    result = tuple(_gesture(g, f"{where}[{i}]", defaults) for i, g in enumerate(items))
    seen: set[str] = set()
    for i, g in enumerate(result):
        if g.code in seen:
            raise SituationError(
                f"{where}[{i}].code",
                f"geste « {g.code} » déjà saisi (un geste par ligne, avec sa quantité)",
            )
        seen.add(g.code)
    return result


GESTURE = Map(
    {
        "tres_modeste": MONEY,
        "modeste": MONEY,
        "intermediaire": MONEY,
        "plafond_depense": MONEY,
        "par": OneOf(("forfait", "m2", "equipement")),
        "?quantite_max": Number(1, label="quantité maximale"),
        "?requiert": OneOf(("isolation", "travaux")),
    }
)

SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    evaluate=_evaluate,
    report=_report,
    rank=20,
    order=30,
    cap_rank=3,
    inputs=(Field("project.gestures", read_gestures),),
    sections=(Section("par_geste", HEAD),),
    bareme={
        "par_geste.yaml": {
            "conditions": Map(
                {
                    "age_logement_min_ans": INT,
                    "?age_logement_min_ans_outre_mer": INT,
                    "?departements_outre_mer": DEPT_LIST,
                    "beneficiaires": CATEGORY_LIST,
                }
            ),
            "ecretement_ht": by_category(RATE),
            "avance": Map({"taux": RATE, "beneficiaires": CATEGORY_LIST}),
            "plafond_prime_logement": MONEY,
            "gestes_isolation": ListOf(OneOf(GESTURE_CODES)),
            "guichet": GUICHET,
            **{f"gestes.{code}": GESTURE for code in GESTURE_CODES},
        }
    },
    answer=Answer(
        "aid_mpr_par_geste",
        LABEL,
        "Les conditions du parcours par geste, les forfaits de chaque geste et leur écrêtement.",
        ("par_geste.conditions", "par_geste.ecretement_ht", "par_geste.plafond_prime_logement"),
    ),
)
