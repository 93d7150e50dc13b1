"""CEE: Coup de pouce Chauffage (par geste) and Coup de pouce Rénovation d'ampleur."""

from __future__ import annotations

from decimal import Decimal

from ..context import Ctx
from ..money import ZERO, fmt_eur, money
from ..ops import TraceStep, bracket

CODE_CHAUFFAGE = "cee_coup_de_pouce_chauffage"
LABEL_CHAUFFAGE = "CEE Coup de pouce Chauffage"
CODE_AMPLEUR = "cee_coup_de_pouce_ampleur"
LABEL_AMPLEUR = "CEE Coup de pouce Rénovation d'ampleur"


def coup_de_pouce(ctx: Ctx, code: str) -> tuple[Decimal, TraceStep | None]:
    """Coup de pouce Chauffage for one gesture, when it replaces a fossil boiler."""
    key = f"cee.coup_de_pouce_chauffage.{code}"
    if not ctx.s.project.replaces_fossil_boiler or key not in ctx.period.params:
        return ZERO, None
    p = ctx.p(key)
    precaire = ctx.category in ctx.use("cee.categories_precaires")
    amount = p.value["precaires" if precaire else "autres"]
    who = "ménage en précarité (très modeste ou modeste)" if precaire else "autres ménages"
    return amount, TraceStep(f"{p.description}, {who}", fmt_eur(amount), p.source)


def ampleur(ctx: Ctx) -> tuple[Decimal, tuple[TraceStep, ...]]:
    """Coup de pouce Rénovation d'ampleur, for a technically sound project that MaPrimeRénov'
    Parcours accompagné does not take (it is reserved to those)."""
    gain = ctx.class_gain
    if gain is None or gain < 2:
        return ZERO, ()
    surface = ctx.s.home.surface_m2
    if surface is None:
        ctx.need("home.surface_m2")
        return ZERO, ()
    p = ctx.p("cee.coup_de_pouce_ampleur")
    label = bracket(gain, (2, 3), ("gain_2", "gain_3", "gain_4_plus"))
    base = p.value["montant_base"][label]
    coef = p.value["coefficients_surface"][-1]["coefficient"]
    for row in p.value["coefficients_surface"]:
        if surface < row["surface_max_m2"]:
            coef = row["coefficient"]
            break
    amount = money(base * coef)
    return amount, (
        TraceStep(
            "Coup de pouce Rénovation d'ampleur (projet non pris par le parcours accompagné)",
            f"{fmt_eur(base)} × coefficient de surface {coef.normalize():f} = {fmt_eur(amount)}",
            p.source,
        ),
    )
