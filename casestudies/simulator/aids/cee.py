"""CEE: Coup de pouce Chauffage (par geste) and Coup de pouce Rénovation d'ampleur."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from ..context import Ctx
from ..money import ZERO, fmt_eur, money
from ..ops import TraceStep, bracket, step
from ..registry import AidSpec, Answer, Done, Outcome
from ..schemas import BY_GAIN, CATEGORY_LIST, MONEY, ListOf, Map, Number
from ..situation import Field, boolean
from . import mpr_accompagnee

CODE_CHAUFFAGE = "cee_coup_de_pouce_chauffage"
LABEL_CHAUFFAGE = "CEE Coup de pouce Chauffage"
CODE_AMPLEUR = "cee_coup_de_pouce_ampleur"
LABEL_AMPLEUR = "CEE Coup de pouce Rénovation d'ampleur"
GESTURES = (  # gestures with a Coup de pouce Chauffage (a parameter each in cee.yaml)
    "pac_air_eau",
    "pac_geothermique",
    "pac_solarothermique",
    "systeme_solaire_combine",
    "chaudiere_bois_manuelle",
    "chaudiere_bois_automatique",
    "raccordement_reseau_chaleur",
)


_KEYS = {code: f"cee.coup_de_pouce_chauffage.{code}" for code in GESTURES}  # barème keys


def coup_de_pouce(ctx: Ctx, code: str) -> tuple[Decimal, TraceStep | None]:
    """Coup de pouce Chauffage for one gesture, when it replaces a fossil boiler."""
    key = _KEYS.get(code) or f"cee.coup_de_pouce_chauffage.{code}"
    if not ctx.s.project.replaces_fossil_boiler or key not in ctx.period.params:
        return ZERO, None
    p = ctx.p(key)
    precaires = ctx.use("cee.categories_precaires")
    table = ctx.memo("cee.coup_de_pouce")  # the same for every file of the period and category
    found = table.get((key, ctx.category))
    if found is None:
        precaire = ctx.category in precaires
        amount = p.value["precaires" if precaire else "autres"]
        who = "ménage en précarité (très modeste ou modeste)" if precaire else "autres ménages"
        found = amount, step(f"{p.description}, {who}", fmt_eur(amount), p.source)
        table[key, ctx.category] = found
    return found


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
        step(
            "Coup de pouce Rénovation d'ampleur (projet non pris par le parcours accompagné)",
            f"{fmt_eur(base)} × coefficient de surface {coef.normalize():f} = {fmt_eur(amount)}",
            p.source,
        ),
    )


_NO_CHAUFFAGE = Outcome(CODE_CHAUFFAGE, False, ZERO, (), (), MappingProxyType({}))
_NO_AMPLEUR = Outcome(CODE_AMPLEUR, False, ZERO)


def _chauffage(ctx: Ctx, _done: Done) -> Outcome:
    """Par geste route: each gesture's Coup de pouce (``detail``: code → (amount, step)), which
    the par geste écrêtement reads."""
    if ctx.s.project.route != "par_geste":
        return _NO_CHAUFFAGE
    by_gesture: dict[str, tuple[Decimal, TraceStep | None]] = {}
    total = ZERO
    trace: list[TraceStep] = []
    for g in ctx.s.project.gestures:
        amount, gesture_step = by_gesture[g.code] = coup_de_pouce(ctx, g.code)
        if gesture_step is not None:
            trace.append(gesture_step)
            total += amount
    return Outcome(CODE_CHAUFFAGE, total > 0, total, tuple(trace), (), by_gesture)


def _ampleur(ctx: Ctx, done: Done) -> Outcome:
    """Only for an ampleur project the parcours accompagné refuses although its technical
    conditions hold, and that is not merely missing inputs."""
    mpr = done.outcomes.get(mpr_accompagnee.CODE)
    if (
        ctx.s.project.route != "ampleur"
        or mpr is None
        or mpr.eligible
        or not mpr.detail.technical_ok
        or any(r.startswith("Informations manquantes") for r in mpr.reasons)
    ):
        return _NO_AMPLEUR
    amount, trace = ampleur(ctx)
    return Outcome(CODE_AMPLEUR, amount > 0, amount, trace)


ANSWER = Answer(
    "aid_cee",
    "Certificats d'économies d'énergie (CEE)",
    "Les Coups de pouce des certificats d'économies d'énergie et les ménages en précarité.",
    (
        "cee.categories_precaires",
        "cee.coup_de_pouce_chauffage.pac_air_eau",
        "cee.coup_de_pouce_ampleur",
    ),
)
CEE_CDP = Map({"precaires": MONEY, "autres": MONEY})
SPECS = (
    AidSpec(
        code=CODE_CHAUFFAGE,
        label=LABEL_CHAUFFAGE,
        evaluate=_chauffage,
        rank=15,  # before par geste: the prime and the CEE share the gesture's ceiling
        order=40,
        cap_rank=4,
        inputs=(
            Field(
                "project.replaces_fossil_boiler",
                boolean(),
                reported=lambda project: project.get("route") == "par_geste",
            ),
        ),
        bareme={
            "cee.yaml": {
                "categories_precaires": CATEGORY_LIST,
                **{f"coup_de_pouce_chauffage.{code}": CEE_CDP for code in GESTURES},
                "coup_de_pouce_ampleur": Map(
                    {
                        "montant_base": BY_GAIN,
                        "coefficients_surface": ListOf(
                            Map({"surface_max_m2": MONEY, "coefficient": Number(0, 5)})
                        ),
                    }
                ),
            }
        },
        answer=ANSWER,
    ),
    AidSpec(
        code=CODE_AMPLEUR,
        label=LABEL_AMPLEUR,
        evaluate=_ampleur,
        rank=60,
        order=50,
        cap_rank=5,
        answer=ANSWER,
    ),
)
