"""Éco-prêt à taux zéro: eligibility and maximum amount."""

from __future__ import annotations

from decimal import Decimal

from ..context import Ctx
from ..money import ZERO, fmt_eur
from ..ops import HOLDS, Cond, step
from ..registry import LOAN, AidSpec, Done, Outcome, loan_outcome
from ..result import Loan
from ..schemas import INT, MONEY, ListOf, Map, OneOf
from . import mpr_accompagnee, par_geste

CODE = "eco_ptz"
LABEL = "Éco-prêt à taux zéro"


def gesture_actions(ctx: Ctx, codes: list[str]) -> set[str]:
    """The éco-PTZ actions (``prets.eco_ptz_actions`` keys) that ``codes`` carry out: two
    gestures of one action (e.g. walls inside and outside) count once; ventilation, tank removal
    and the audit are no action (service-public.fr F19905, economie.gouv.fr)."""
    cache = ctx.period.cache
    by_gesture = cache.get("eco_ptz_actions")
    if by_gesture is None:
        table = ctx.period["prets.eco_ptz_actions"].value
        by_gesture = cache["eco_ptz_actions"] = {
            code: action for action, gestures in table.items() for code in gestures
        }
    return {by_gesture[c] for c in codes if c in by_gesture}


def scale_ceiling(ctx: Ctx) -> tuple[Decimal, str]:
    """Ceiling by number of actions (without any MaPrimeRénov' coupling)."""
    project = ctx.s.project
    v = ctx.period["prets.eco_ptz"].value
    if project.route == "par_geste":
        done = gesture_actions(ctx, [g.code for g in project.gestures])
        if done == {"parois_vitrees"}:
            return v["parois_vitrees_seules"], "parois vitrées seules"
        actions = len(done)
    else:
        actions = project.insulation_gestures or 0
        if project.keeps_fossil_heating is False:
            actions += 1  # the heating change is one more action
    if actions <= 0:
        return ZERO, "aucune action"
    if actions == 1:
        return v["une_action"], "1 action"
    if actions == 2:
        return v["deux_actions"], "2 actions"
    return v["trois_actions_ou_plus"], "3 actions ou plus"


def refused_loan(ctx: Ctx, code: str, label: str, reasons: tuple[str, ...]) -> Loan:
    """A refused loan: identical for every file of the period refused for these reasons, so
    built once (and written once by the JSON writer, which knows it again)."""
    key = (code, reasons)
    loan = ctx.period.cache.get(key)
    if loan is None:
        loan = ctx.period.cache[key] = Loan(code, label, False, ZERO, reasons, ())
    return loan


def _conditions(checks: tuple, min_age: int) -> tuple[Cond, ...]:
    main_residence, age_ok = checks
    return (
        Cond(main_residence, "Le logement doit être une résidence principale."),
        Cond(
            age_ok,
            lambda: f"Le logement doit être achevé depuis plus de {min_age} ans.",
            "home.age_years",
        ),
    )


def evaluate(ctx: Ctx, mpr_accompagnee: bool, mpr_geste: bool) -> Loan:
    s = ctx.s
    p = ctx.p("prets.eco_ptz")
    min_age = p.value["age_logement_min_ans"]
    age = s.home.age_years
    age_ok = None if age is None else age >= min_age
    if s.household.main_residence and age_ok:
        verdict = HOLDS  # the sentences below are built only for a refusal
    else:  # a refusal: its sentences read nothing else than these values and the period
        key = (s.household.main_residence, age_ok)
        verdict = ctx.verdict(CODE, key, lambda: _conditions(key, min_age))
    if not verdict.ok:
        return refused_loan(ctx, CODE, LABEL, ctx.refusal(verdict))
    if mpr_accompagnee:
        amount, why, src = p.value["couple_maprimerenov"], "couplé à MaPrimeRénov'", p.source
    elif mpr_geste:
        pg = ctx.p("prets.eco_ptz_couple_par_geste")
        amount, why, src = pg.value, "couplé à MaPrimeRénov' par geste", pg.source
    else:
        amount, why = scale_ceiling(ctx)
        src = p.source
        if amount <= 0:
            return refused_loan(
                ctx, CODE, LABEL, ("Aucune action de travaux éligible à l'éco-PTZ n'est prévue.",)
            )
    key = ("eco_ptz", why)  # ``why`` decides the amount and its source within a period
    loan = ctx.period.cache.get(key)  # identical for every eligible file of the period
    if loan is None:
        trace = (step(f"Montant maximal de l'éco-PTZ ({why})", fmt_eur(amount), src),)
        loan = ctx.period.cache[key] = Loan(CODE, LABEL, True, amount, (), trace)
    return loan


def _evaluate(ctx: Ctx, done: Done) -> Outcome:
    loan = evaluate(
        ctx,
        done.amount(mpr_accompagnee.CODE) > 0 or done.eligible(mpr_accompagnee.CODE),
        done.amount(par_geste.CODE) > 0,
    )
    return loan_outcome(ctx, CODE, loan)


ACTIONS = (
    "toiture",
    "murs",
    "parois_vitrees",
    "planchers_bas",
    "chauffage_ecs",
    "chauffage_renouvelable",
    "ecs_renouvelable",
)
SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    kind=LOAN,
    evaluate=_evaluate,
    rank=100,
    order=10,
    bareme={
        "prets.yaml": {
            "eco_ptz": Map(
                {
                    "parois_vitrees_seules": MONEY,
                    "une_action": MONEY,
                    "deux_actions": MONEY,
                    "trois_actions_ou_plus": MONEY,
                    "performance_globale": MONEY,
                    "couple_maprimerenov": MONEY,
                    "age_logement_min_ans": INT,
                }
            ),
            "eco_ptz_actions": Map(
                dict.fromkeys(ACTIONS, ListOf(OneOf(par_geste.GESTURE_CODES), min_length=0))
            ),
            "eco_ptz_couple_par_geste": MONEY,
        }
    },
)
