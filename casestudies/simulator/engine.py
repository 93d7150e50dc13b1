"""``simulate``: one situation, as of one date, to a typed result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from .aids import cee, eco_ptz, mar, mpa, mpld, mpr_accompagnee, par_geste, par_plus
from .context import Ctx
from .money import HUNDRED, ZERO, fmt_eur, fmt_rate, money
from .ops import TraceStep, ecretement
from .period import Baremes, Period, default_baremes
from .result import Aid, Ecretement, FundingLine, Mar, MprAccompagnee, OtherAid, Result
from .situation import OtherFunding, Situation

CATEGORIES = ("tres_modeste", "modeste", "intermediaire", "superieur")
CATEGORY_TEXT = {
    "tres_modeste": "très modeste",
    "modeste": "modeste",
    "intermediaire": "intermédiaire",
    "superieur": "supérieure",
}
FUNDER_LABEL = {
    "caisse_retraite": "Caisse de retraite",
    "ccas": "CCAS",
    "fondation": "Fondation",
    "sacicap": "SACICAP (Missions sociales)",
    "microcredit": "Microcrédit personnel",
    "aide_locale": "Aide locale",
    "autre": "Autre financeur",
}
USER_TRACE_SOURCE = "Montant saisi dans le plan de financement (pas de barème national public)"


def _income_category(ctx: Ctx) -> tuple[str, str, tuple[TraceStep, ...]]:
    s = ctx.s
    period = ctx.period
    cache = period.cache.setdefault("revenus", {})
    idf = cache.get("idf")
    if idf is None:
        idf = cache["idf"] = frozenset(period["revenus.departements_idf"].value)
    scale = "idf" if s.home.department in idf else "hors_idf"
    size = s.household.size
    key = (scale, size)
    row = cache.get(key)
    if row is None:
        table = period["revenus.plafonds"].value[scale]
        bounds = []
        for cat in CATEGORIES[:3]:
            t = table[cat]
            if size <= 5:
                bounds.append(t[str(size)])
            else:
                bounds.append(t["5"] + (size - 5) * t["par_personne_supplementaire"])
        row = cache[key] = tuple(bounds)
    income = s.household.reference_tax_income
    category = "superieur"
    for cat, bound in zip(CATEGORIES, row, strict=False):
        if income <= bound:
            category = cat
            break
    p = period["revenus.plafonds"]
    if p.uncertain:
        ctx.uncertain[p.key] = p.warning
    zone = "Île-de-France" if scale == "idf" else "hors Île-de-France"
    if category == "superieur":
        value = f"RFR {fmt_eur(income)} > plafond intermédiaire {fmt_eur(row[2])}"
    else:
        bound = row[CATEGORIES.index(category)]
        value = f"RFR {fmt_eur(income)} ≤ plafond {fmt_eur(bound)}"
    step = TraceStep(
        f"Catégorie de revenus {zone}, {size} personne(s) : {CATEGORY_TEXT[category]}",
        value,
        p.source,
    )
    return scale, category, (step,)


def _guichet(ctx: Ctx, key: str) -> None:
    p = ctx.period[key]
    message = p.value["message"]
    if message:
        ctx.warnings.append(message + (" (information incertaine)" if p.uncertain else ""))


# Subsidies on the works computed by the engine, keyed by aid code. The order is the order in
# which the global cap spares them (the last one is reduced first, after the user's subsidies).
WORKS_AIDS = (
    mpr_accompagnee.CODE,
    mpld.CODE,
    par_geste.CODE,
    cee.CODE_CHAUFFAGE,
    cee.CODE_AMPLEUR,
    mpa.CODE,
)


class Evaluated(NamedTuple):
    """Every aid evaluated on its own, before they are combined."""

    draft: mpr_accompagnee.MprDraft
    gestes: par_geste.GestesOutcome
    mar: tuple[Mar, tuple[TraceStep, ...]]
    mpa: tuple[OtherAid | None, tuple[TraceStep, ...]]
    mpld: tuple[OtherAid | None, tuple[TraceStep, ...]]
    cee_ampleur: tuple[Decimal, tuple[TraceStep, ...]]


class UserSubsidy(NamedTuple):
    funding: OtherFunding
    in_ecretement: bool


def works_cost(ctx: Ctx) -> None:
    """Set ``ctx.ttc`` (works HT × (1 + VAT)) and ``ctx.base_ht`` (energy works HT); warn on an
    unusual VAT rate."""
    project = ctx.s.project
    if project.vat_rate is None:
        vat = ctx.use("tva.taux_par_defaut")
    else:
        vat = project.vat_rate
        legal = ctx.period["tva.taux"].value.values()
        if vat not in legal:
            ctx.warnings.append(
                f"Taux de TVA {fmt_rate(vat)} inhabituel pour des travaux "
                f"(taux légaux : {', '.join(fmt_rate(v) for v in legal)})."
            )
    ctx.ttc = money(project.works_cost_ht * (1 + vat))
    ctx.base_ht = project.works_cost_ht - project.adaptation_cost_ht


def dpe_notice(ctx: Ctx) -> None:
    """The electricity coefficient change notice, for passoires and E homes."""
    p_coef = ctx.period["dpe.coefficient_electricite"]
    if p_coef.note and ctx.s.home.dpe_before in ("E", "F", "G"):
        ctx.warnings.append(p_coef.note)


def evaluate_aids(ctx: Ctx) -> Evaluated:
    """Each aid module on its own (the order fixes the order of the warnings)."""
    route = ctx.s.project.route
    draft = mpr_accompagnee.evaluate(ctx)
    gestes = par_geste.evaluate(ctx)
    _guichet(ctx, "mpr_accompagnee.guichet" if route == "ampleur" else "par_geste.guichet")
    mar_outcome = mar.evaluate(ctx, draft.eligible)
    mpa_outcome = mpa.evaluate(ctx)
    mpld_outcome = mpld.evaluate(ctx)
    cee_ampleur: tuple[Decimal, tuple[TraceStep, ...]] = (ZERO, ())
    if (
        route == "ampleur"
        and not draft.eligible
        and draft.technical_ok
        and not any(r.startswith("Informations manquantes") for r in draft.reasons)
    ):
        cee_ampleur = cee.ampleur(ctx)
    return Evaluated(draft, gestes, mar_outcome, mpa_outcome, mpld_outcome, cee_ampleur)


def _eligible_amount(aid: OtherAid | None) -> Decimal:
    return aid.amount if aid is not None and aid.eligible else ZERO


def initial_amounts(ev: Evaluated) -> dict[str, Decimal]:
    """Amounts by aid code (``WORKS_AIDS`` order) before any combination step."""
    return {
        mpr_accompagnee.CODE: ev.draft.amount,
        mpld.CODE: _eligible_amount(ev.mpld[0]),
        par_geste.CODE: ev.gestes.mpr_total,
        cee.CODE_CHAUFFAGE: ev.gestes.cee_total,
        cee.CODE_AMPLEUR: ev.cee_ampleur[0],
        mpa.CODE: _eligible_amount(ev.mpa[0]),
    }


def non_cumulation(ctx: Ctx, amounts: dict[str, Decimal]) -> None:
    """MaPrimeRénov' Parcours accompagné and Ma Prime Logement Décent do not add up: the larger
    is kept (ties keep MaPrimeRénov') and a warning says which."""
    mpr_amount, mpld_amount = amounts[mpr_accompagnee.CODE], amounts[mpld.CODE]
    if mpr_amount <= 0 or mpld_amount <= 0:
        return
    if mpld_amount > mpr_amount:
        kept, dropped = "Ma Prime Logement Décent", mpr_accompagnee.CODE
    else:
        kept, dropped = "MaPrimeRénov'", mpld.CODE
    ctx.warnings.append(
        "Ma Prime Logement Décent et MaPrimeRénov' Parcours accompagné ne se "
        f"cumulent pas : {kept}, plus favorable, est retenue."
    )
    amounts[dropped] = ZERO


def user_subsidies(ctx: Ctx) -> list[UserSubsidy]:
    """The subsidies the user entered, and whether each enters the écrêtement (ampleur route:
    funders listed in ``mpr_accompagnee.financeurs_ecretement``)."""
    if not ctx.s.other_funding:
        return []
    inside: tuple[str, ...] = ()
    if ctx.s.project.route == "ampleur":
        inside = ctx.period["mpr_accompagnee.financeurs_ecretement"].value
    return [
        UserSubsidy(f, f.funder in inside) for f in ctx.s.other_funding if f.kind == "subvention"
    ]


def ecretement_ttc(
    ctx: Ctx, amounts: dict[str, Decimal], users: list[UserSubsidy], user_amounts: list[Decimal]
) -> tuple[Ecretement, tuple[TraceStep, ...]]:
    """Parcours d'ampleur: public aids ≤ rate × TTC, MaPrimeRénov' reduced first, then Ma Prime
    Logement Décent, then the user's public subsidies in the order entered (guide Anah 2024
    p. 25)."""
    p_ecr = ctx.p("mpr_accompagnee.ecretement_ttc")
    rate = p_ecr.value[ctx.category]
    ceiling = money(ctx.ttc * rate)
    idx = [i for i, u in enumerate(users) if u.in_ecretement]
    if idx:
        ctx.use("mpr_accompagnee.financeurs_ecretement")
    mpr_amount, mpld_amount = amounts[mpr_accompagnee.CODE], amounts[mpld.CODE]
    if mpr_amount <= 0 and mpld_amount <= 0:
        return Ecretement(rate, ceiling, False, "ttc", ZERO), ()
    items = [mpr_amount, mpld_amount] + [user_amounts[i] for i in idx]
    reduced, reduction = ecretement(items, ceiling)
    amounts[mpr_accompagnee.CODE], amounts[mpld.CODE] = reduced[0], reduced[1]
    for j, i in enumerate(idx):
        user_amounts[i] = reduced[2 + j]
    trace = (
        TraceStep(
            f"Écrêtement ({CATEGORY_TEXT[ctx.category]}) : aides publiques ≤ "
            f"{fmt_rate(rate)} du TTC, MaPrimeRénov' réduite en premier",
            f"plafond {fmt_eur(ceiling)} ; réduction {fmt_eur(reduction)}",
            p_ecr.source,
        ),
    )
    return Ecretement(rate, ceiling, reduction > 0, "ttc", reduction), trace


def ecretement_par_geste(gestes: par_geste.GestesOutcome) -> Ecretement:
    """Par geste: the per-gesture écrêtement already applied by the aid, summed."""
    return Ecretement(
        gestes.ecr_rate, gestes.ecr_ceiling, gestes.ecr_reduction > 0, "ht", gestes.ecr_reduction
    )


def global_cap(ctx: Ctx, amounts: dict[str, Decimal], user_amounts: list[Decimal]) -> Decimal:
    """Subsidies on the works never exceed their TTC cost: the user's subsidies are reduced
    first (last entered first), then the engine's aids (last of ``WORKS_AIDS`` first).
    Returns the total of the subsidies on the works after the cap."""
    total = sum(amounts.values(), ZERO) + sum(user_amounts, ZERO)
    if total <= ctx.ttc:
        return total
    codes = WORKS_AIDS[::-1]
    items = user_amounts[::-1] + [amounts[c] for c in codes]
    reduced, cut = ecretement(items, ctx.ttc)
    n = len(user_amounts)
    user_amounts[:] = reduced[:n][::-1]
    amounts.update(zip(codes, reduced[n:], strict=True))
    ctx.warnings.append(
        f"Les aides dépassent le coût TTC des travaux ({fmt_eur(ctx.ttc)}) : "
        f"elles sont réduites de {fmt_eur(cut)}, en commençant par les "
        "financements saisis."
    )
    return sum(amounts.values(), ZERO) + sum(user_amounts, ZERO)


def reste_a_charge(ttc: Decimal, total_subsidies: Decimal) -> tuple[Decimal, Decimal]:
    """(reste à charge TTC, its percentage of the TTC), never negative."""
    reste = ttc - total_subsidies
    if reste < 0:  # cannot happen after the global cap; kept as a safety net
        reste = ZERO
    return reste, (money(reste * HUNDRED / ttc) if ttc > 0 else ZERO)


def _with_amount(aid: OtherAid | None, amount: Decimal) -> OtherAid | None:
    if aid is None or not aid.eligible:
        return aid
    return OtherAid(True, (), aid.rate, aid.ceiling_ht, amount)


def engine_aids(
    ctx: Ctx,
    ev: Evaluated,
    amounts: dict[str, Decimal],
    ecr_trace: tuple[TraceStep, ...],
    advance_step: TraceStep | None,
) -> list[Aid]:
    """The engine's aid lines, in display order, with their final amounts."""
    aids: list[Aid] = []
    draft = ev.draft
    if draft.eligible:
        trace = draft.trace + ecr_trace + ((advance_step,) if advance_step else ())
        aids.append(
            Aid(mpr_accompagnee.CODE, mpr_accompagnee.LABEL, amounts[mpr_accompagnee.CODE], trace)
        )
        mar_detail, mar_trace = ev.mar
        aids.append(Aid(mar.CODE, mar.LABEL, mar_detail.amount, mar_trace, "accompagnement"))
    gestes_mpr = amounts[par_geste.CODE]
    if gestes_mpr > 0:
        aids.append(Aid(par_geste.CODE, par_geste.LABEL, gestes_mpr, ev.gestes.mpr_trace))
        par_geste.advance(ctx, gestes_mpr)
    if amounts[cee.CODE_CHAUFFAGE] > 0:
        aids.append(
            Aid(
                cee.CODE_CHAUFFAGE,
                cee.LABEL_CHAUFFAGE,
                amounts[cee.CODE_CHAUFFAGE],
                ev.gestes.cee_trace,
            )
        )
    if amounts[cee.CODE_AMPLEUR] > 0:
        aids.append(
            Aid(cee.CODE_AMPLEUR, cee.LABEL_AMPLEUR, amounts[cee.CODE_AMPLEUR], ev.cee_ampleur[1])
        )
    mpld_result, mpld_trace = ev.mpld
    if mpld_result is not None and mpld_result.eligible and amounts[mpld.CODE] > 0:
        aids.append(Aid(mpld.CODE, mpld.LABEL, amounts[mpld.CODE], mpld_trace + ecr_trace))
    mpa_result, mpa_trace = ev.mpa
    if mpa_result is not None and mpa_result.eligible:
        aids.append(Aid(mpa.CODE, mpa.LABEL, amounts[mpa.CODE], mpa_trace))
    return aids


def user_lines(
    situation: Situation, users: list[UserSubsidy], user_amounts: list[Decimal]
) -> tuple[list[Aid], list[FundingLine], Decimal]:
    """(aid lines of the user's subsidies, every funding line, total of the user's loans)."""
    aids: list[Aid] = []
    lines: list[FundingLine] = []
    loans = ZERO
    if not situation.other_funding:
        return aids, lines, loans
    subsidies = iter(zip(users, user_amounts, strict=True))
    for f in situation.other_funding:
        label = f.label or FUNDER_LABEL[f.funder]
        if f.kind != "subvention":
            lines.append(FundingLine(f.funder, f.kind, label, f.amount, f.amount, False))
            loans += f.amount
            continue
        user, amount = next(subsidies)
        lines.append(FundingLine(f.funder, f.kind, label, f.amount, amount, user.in_ecretement))
        if amount > 0:
            note = "entre dans l'écrêtement" if user.in_ecretement else "hors écrêtement"
            step = TraceStep(f"Subvention saisie ({note})", fmt_eur(amount), USER_TRACE_SOURCE)
            aids.append(Aid(f.funder, label, amount, (step,)))
    return aids, lines, loans


def simulate(
    situation: Situation, *, as_of: dt.date | None = None, baremes: Baremes | None = None
) -> Result:
    """Compute every aid for ``situation`` with the barèmes in force on ``as_of``
    (default: the situation's own ``as_of``).

    Steps: income category; works cost; each aid on its own (``evaluate_aids``); then the
    combination steps over amounts keyed by aid code: ``non_cumulation``, écrêtement
    (``ecretement_ttc`` or ``ecretement_par_geste``), ``global_cap``, ``reste_a_charge``;
    loans last. Raises nothing on a valid ``Situation``."""
    when = as_of or situation.as_of
    period: Period = (baremes or default_baremes()).period(when)
    ctx = Ctx(situation, period)
    scale, category, category_trace = _income_category(ctx)
    ctx.scale, ctx.category = scale, category
    works_cost(ctx)
    dpe_notice(ctx)
    ev = evaluate_aids(ctx)
    amounts = initial_amounts(ev)
    non_cumulation(ctx, amounts)
    users = user_subsidies(ctx)
    user_amounts = [u.funding.amount for u in users]
    if situation.project.route == "ampleur":
        ecr, ecr_trace = ecretement_ttc(ctx, amounts, users, user_amounts)
    else:
        ecr, ecr_trace = ecretement_par_geste(ev.gestes), ()
    total_subsidies = global_cap(ctx, amounts, user_amounts)

    draft = ev.draft
    mpr_amount = amounts[mpr_accompagnee.CODE]
    advance, advance_step = mpr_accompagnee.advance(ctx, mpr_amount)
    mpr = MprAccompagnee(
        eligible=draft.eligible,
        reasons=draft.reasons,
        class_gain=ctx.class_gain,
        rate=draft.rate,
        ceiling_ht=draft.ceiling_ht,
        amount_before_ecretement=draft.amount,
        amount=mpr_amount,
        advance=advance,
        passoire_bonus=draft.passoire_bonus,
    )
    aids = engine_aids(ctx, ev, amounts, ecr_trace, advance_step)
    user_aids, funding_lines, user_loans = user_lines(situation, users, user_amounts)
    reste, pct = reste_a_charge(ctx.ttc, total_subsidies)
    loans = (
        eco_ptz.evaluate(ctx, mpr_amount > 0 or draft.eligible, amounts[par_geste.CODE] > 0),
        par_plus.evaluate(ctx, draft.eligible),
    )
    warnings = ctx.warnings + [w for w in ctx.uncertain.values() if w not in ctx.warnings]
    return Result(
        as_of=when,
        income_scale=scale,
        income_category=category,
        works_cost_ttc=ctx.ttc,
        mpr_accompagnee=mpr,
        mar_prise_en_charge=ev.mar[0].amount,
        par_geste=ev.gestes.gestures,
        aids=tuple(aids + user_aids),
        ecretement=ecr,
        total_subsidies=total_subsidies,
        loans=loans,
        reste_a_charge=reste,
        reste_a_charge_pct=pct,
        warnings=tuple(warnings),
        missing=tuple(ctx.missing),
        defaults_used=tuple(dict.fromkeys(ctx.defaults)),
        mar=ev.mar[0],
        mpa=_with_amount(ev.mpa[0], amounts[mpa.CODE]),
        mpld=_with_amount(ev.mpld[0], amounts[mpld.CODE]),
        other_funding=tuple(funding_lines),
        total_user_loans=user_loans,
        category_trace=category_trace,
    )


__all__ = ["simulate"]
