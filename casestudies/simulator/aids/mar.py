"""Prise en charge of Mon Accompagnateur Rénov' (part of the parcours accompagné)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..context import Ctx
from ..money import ZERO, fmt_eur
from ..ops import TraceStep, ceiling, rate, step
from ..records import record
from ..registry import HEAD, SERVICE, TAIL, AidSpec, Answer, Done, Outcome, Section
from ..result import Aid
from ..schemas import CATEGORY_LIST, MONEY, RATE, Map, by_category
from ..situation import Field, boolean, number
from . import mpr_accompagnee

CODE = "mar"
LABEL = "Prise en charge de Mon Accompagnateur Rénov'"


@record
class Mar:
    """The ``mar`` section of the result."""

    cost_ttc: Decimal
    rate: Decimal
    ceiling_ttc: Decimal
    amount: Decimal
    reste_a_charge: Decimal


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
            step(
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
    base, base_step = ceiling(cost, cap, rule, p_cap.source)
    trace.append(base_step)
    p_rate = ctx.p("mar.taux")
    r = p_rate.value[ctx.category]
    amount, amount_step = rate(base, r, f"Prise en charge MAR ({ctx.category})", p_rate.source)
    trace.append(amount_step)
    return Mar(cost, r, cap, amount, cost - amount), tuple(trace)


def _evaluate(ctx: Ctx, done: Done) -> Outcome:
    eligible = done.eligible(mpr_accompagnee.CODE)  # the service of the parcours accompagné
    if not eligible:  # the same for every file of the period with this cost and route
        key = (ctx.s.project.mar_cost_ttc, ctx.s.project.route)
        table = ctx.memo("mar.not_eligible")
        outcome = table.get(key)
        if outcome is None:
            detail, trace = evaluate(ctx, eligible)
            outcome = table[key] = Outcome(CODE, eligible, detail.amount, trace, (), detail)
        return outcome
    detail, trace = evaluate(ctx, eligible)
    return Outcome(CODE, eligible, detail.amount, trace, (), detail)


def _report(
    ctx: Ctx, spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...]
) -> tuple[Any, dict[str, Any]]:
    aid = Aid(CODE, LABEL, amount, outcome.trace, SERVICE) if outcome.eligible else None
    return aid, {"mar_prise_en_charge": amount, "mar": outcome.detail}


SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    kind=SERVICE,
    evaluate=_evaluate,
    report=_report,
    rank=30,
    order=20,
    inputs=(
        Field("household.energy_precarity", boolean()),
        Field(
            "project.mar_cost_ttc",
            number(maximum=100_000),
            reported=lambda project: project.get("route") == "ampleur",
        ),
    ),
    sections=(Section("mar_prise_en_charge", HEAD), Section("mar", TAIL)),
    bareme={
        "mar.yaml": {
            "taux": by_category(RATE),
            "plafond_assiette_ttc": Map({"standard": MONEY, "majore": MONEY}),
            "categories_plafond_majore": CATEGORY_LIST,
            "prix_reference_ttc": MONEY,
        }
    },
    answer=Answer(
        "aid_mar",
        LABEL,
        "La prise en charge de l'accompagnateur selon la catégorie et le plafond de son assiette.",
        ("mar.taux", "mar.categories_plafond_majore"),
    ),
)
