"""Prise en charge of Mon Accompagnateur Rénov' (part of the parcours accompagné)."""

from __future__ import annotations

from decimal import Decimal

from ..context import Ctx
from ..money import ZERO, fmt_eur
from ..ops import TraceStep, ceiling, rate
from ..result import Mar

CODE = "mar"
LABEL = "Prise en charge de Mon Accompagnateur Rénov'"


def _indignity(ctx: Ctx) -> bool:
    home = ctx.s.home
    if home.habitat_indigne is not None:
        return home.habitat_indigne
    threshold = ctx.period["mpld.conditions"].value["seuil_insalubrite"]
    return bool(home.police_procedure) or (
        home.insalubrity_score is not None and home.insalubrity_score >= threshold
    )


def evaluate(ctx: Ctx, mpr_eligible: bool) -> tuple[Mar, tuple[TraceStep, ...]]:
    s = ctx.s
    p_price = ctx.period["mar.prix_reference_ttc"]
    cost = s.project.mar_cost_ttc if s.project.mar_cost_ttc is not None else p_price.value
    if not mpr_eligible:
        return Mar(cost, ZERO, ZERO, ZERO, cost if s.project.route == "ampleur" else ZERO), ()
    trace = []
    if s.project.mar_cost_ttc is None:
        trace.append(
            TraceStep(
                "Coût de la prestation MAR (non saisi : prix de référence)",
                fmt_eur(cost),
                p_price.source,
            )
        )
    p_cap = ctx.p("mar.plafond_assiette_ttc")
    majore = False
    if s.household.energy_precarity or _indignity(ctx):
        majore = ctx.category in ctx.use("mar.categories_plafond_majore")
    cap: Decimal = p_cap.value["majore" if majore else "standard"]
    rule = (
        "Assiette plafonnée (ménage très modeste en précarité énergétique ou habitat indigne)"
        if majore
        else "Assiette de la prestation MAR plafonnée"
    )
    base, step = ceiling(cost, cap, rule, p_cap.source)
    trace.append(step)
    p_rate = ctx.p("mar.taux")
    r = p_rate.value[ctx.category]
    amount, step = rate(base, r, f"Prise en charge MAR ({ctx.category})", p_rate.source)
    trace.append(step)
    return Mar(cost, r, cap, amount, cost - amount), tuple(trace)
