"""Prêt avance rénovation à taux zéro (PAR+), repaid at sale or succession."""

from __future__ import annotations

from ..context import Ctx
from ..money import fmt_eur
from ..ops import HOLDS, Cond, step
from ..registry import LOAN, AidSpec, Done, Outcome, loan_outcome
from ..result import Loan
from ..schemas import CATEGORY_LIST, INT, MONEY, Map
from . import mpr_accompagnee
from .eco_ptz import refused_loan, scale_ceiling

CODE = "par_plus"
LABEL = "Prêt avance rénovation à taux zéro (PAR+)"


def _conditions(checks: tuple, min_age: int) -> tuple[Cond, ...]:
    eligible_household, owner, main_residence, age_ok = checks
    return (
        Cond(eligible_household, "Le PAR+ est réservé aux ménages très modestes et modestes."),
        Cond(owner, "Le demandeur doit être propriétaire occupant."),
        Cond(main_residence, "Le logement doit être la résidence principale."),
        Cond(
            age_ok,
            lambda: f"Le logement doit être achevé depuis au moins {min_age} ans.",
            "home.age_years",
        ),
    )


def evaluate(ctx: Ctx, mpr_accompagnee_eligible: bool) -> Loan:
    s = ctx.s
    p = ctx.p("prets.par_plus")
    min_age = p.value["age_logement_min_ans"]
    age = s.home.age_years
    eligible_household = ctx.category in p.value["beneficiaires"]
    hh = s.household
    age_ok = None if age is None else age >= min_age
    if eligible_household and hh.owner_occupant and hh.main_residence and age_ok:
        verdict = HOLDS  # the sentences below are built only for a refusal
    else:  # a refusal: its sentences read nothing else than these values and the period
        key = (eligible_household, hh.owner_occupant, hh.main_residence, age_ok)
        verdict = ctx.verdict(CODE, key, lambda: _conditions(key, min_age))
    if not verdict.ok:
        return refused_loan(ctx, CODE, LABEL, ctx.refusal(verdict))
    if mpr_accompagnee_eligible:
        amount, why = p.value["montant_max"], "projet éligible au parcours accompagné"
    else:
        amount, why = scale_ceiling(ctx)
        if amount <= 0:
            return refused_loan(
                ctx, CODE, LABEL, ("Aucune action de travaux éligible n'est prévue.",)
            )
        why = f"barème de l'éco-PTZ, {why}"
    key = ("par_plus", why)  # ``why`` decides the amount within a period
    loan = ctx.period.cache.get(key)  # identical for every eligible file of the period
    if loan is None:
        trace = (step(f"Montant maximal du PAR+ ({why})", fmt_eur(amount), p.source),)
        loan = ctx.period.cache[key] = Loan(CODE, LABEL, True, amount, (), trace)
    return loan


def _evaluate(ctx: Ctx, done: Done) -> Outcome:
    loan = evaluate(ctx, done.eligible(mpr_accompagnee.CODE))
    return loan_outcome(ctx, CODE, loan)


SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    kind=LOAN,
    evaluate=_evaluate,
    rank=110,
    order=20,
    bareme={
        "prets.yaml": {
            "par_plus": Map(
                {"montant_max": MONEY, "beneficiaires": CATEGORY_LIST, "age_logement_min_ans": INT}
            ),
        }
    },
)
