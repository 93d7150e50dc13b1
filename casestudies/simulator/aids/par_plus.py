"""Prêt avance rénovation à taux zéro (PAR+), repaid at sale or succession."""

from __future__ import annotations

from ..context import Ctx
from ..money import ZERO, fmt_eur
from ..ops import Cond, TraceStep, all_of
from ..result import Loan
from .eco_ptz import scale_ceiling

CODE = "par_plus"
LABEL = "Prêt avance rénovation à taux zéro (PAR+)"


def evaluate(ctx: Ctx, mpr_accompagnee_eligible: bool) -> Loan:
    s = ctx.s
    p = ctx.p("prets.par_plus")
    verdict = all_of(
        (
            Cond(
                ctx.category in p.value["beneficiaires"],
                "Le PAR+ est réservé aux ménages très modestes et modestes.",
            ),
            Cond(s.household.owner_occupant, "Le demandeur doit être propriétaire occupant."),
            Cond(s.household.main_residence, "Le logement doit être la résidence principale."),
        )
    )
    if not verdict.ok:
        return Loan(CODE, LABEL, False, ZERO, verdict.reasons, ())
    if mpr_accompagnee_eligible:
        amount, why = p.value["montant_max"], "projet éligible au parcours accompagné"
    else:
        amount, why = scale_ceiling(ctx)
        if amount <= 0:
            return Loan(
                CODE, LABEL, False, ZERO, ("Aucune action de travaux éligible n'est prévue.",), ()
            )
        why = f"barème de l'éco-PTZ, {why}"
    key = ("par_plus", why, amount)
    loan = ctx.period.cache.get(key)  # identical for every eligible file of the period
    if loan is None:
        step = TraceStep(f"Montant maximal du PAR+ ({why})", fmt_eur(amount), p.source)
        loan = ctx.period.cache[key] = Loan(CODE, LABEL, True, amount, (), (step,))
    return loan
