"""``simulate``: one situation, as of one date, to a typed result.

The engine knows no aid: it runs the aids of the registry (``registry.py``) in their order, then
the combination steps over their amounts keyed by aid code (``non_cumulation``,
``ecretement_ttc``, ``global_cap``, ``reste_a_charge``), then the loans, and assembles the
result from what each aid reports.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from .context import Ctx
from .money import HUNDRED, ZERO, fmt_eur, fmt_rate, money
from .ops import TraceStep, ecretement
from .ops import step as _step
from .period import Baremes, Period, default_baremes
from .registry import Done, Outcome, Registry, registry
from .result import Aid, Ecretement, FundingLine, Result
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
USER_SOURCE = "Montant saisi dans le plan de financement (pas de barème national public)"
USER_RULE_INSIDE = "Subvention saisie (entre dans l'écrêtement)"
USER_RULE_OUTSIDE = "Subvention saisie (hors écrêtement)"


class _IncomeRow(NamedTuple):
    """The income ceilings of one (department, household size), compiled once per period."""

    scale: str  # "idf" or "hors_idf"
    bounds: tuple[Decimal, ...]  # upper bounds (inclusive) of the first three categories
    rules: dict[str, str]  # the trace step's rule text by category
    bound_texts: tuple[str, ...]  # the bounds as displayed
    source: str
    uncertain: tuple[str, str] | None  # (parameter key, warning) when the ceilings are uncertain


def _income_row(period: Period, department: str, size: int) -> _IncomeRow:
    cache = period.cache.get("revenus")
    if cache is None:
        cache = period.cache["revenus"] = {}
    key = (department, size)
    row = cache.get(key)
    if row is None:
        idf = frozenset(period["revenus.departements_idf"].value)
        scale = "idf" if department in idf else "hors_idf"
        p = period["revenus.plafonds"]
        table = p.value[scale]
        bounds = []
        for cat in CATEGORIES[:3]:
            t = table[cat]
            if size <= 5:
                bounds.append(t[str(size)])
            else:
                bounds.append(t["5"] + (size - 5) * t["par_personne_supplementaire"])
        zone = "Île-de-France" if scale == "idf" else "hors Île-de-France"
        row = cache[key] = _IncomeRow(
            scale,
            tuple(bounds),
            {
                cat: f"Catégorie de revenus {zone}, {size} personne(s) : {CATEGORY_TEXT[cat]}"
                for cat in CATEGORIES
            },
            tuple(fmt_eur(b) for b in bounds),
            p.source,
            (p.key, p.warning) if p.uncertain else None,
        )
    return row


def _income_category(ctx: Ctx) -> tuple[str, str, tuple[TraceStep, ...]]:
    """(income scale, category, its trace): the reference tax income against the ceilings of
    the home's region and the household's size (``revenus.plafonds``)."""
    s = ctx.s
    row = _income_row(ctx.period, s.home.department, s.household.size)
    income = s.household.reference_tax_income
    bounds = row.bounds
    if income <= bounds[0]:
        category, i = "tres_modeste", 0
    elif income <= bounds[1]:
        category, i = "modeste", 1
    elif income <= bounds[2]:
        category, i = "intermediaire", 2
    else:
        category, i = "superieur", -1
    if row.uncertain is not None:
        ctx.uncertain[row.uncertain[0]] = row.uncertain[1]
    if i < 0:
        value = f"RFR {fmt_eur(income)} > plafond intermédiaire {row.bound_texts[2]}"
    else:
        value = f"RFR {fmt_eur(income)} ≤ plafond {row.bound_texts[i]}"
    return row.scale, category, (_step(row.rules[category], value, row.source),)


def works_cost(ctx: Ctx) -> None:
    """Set ``ctx.ttc`` (works HT × (1 + VAT)) and ``ctx.base_ht`` (energy works HT); warn on an
    unusual VAT rate."""
    project = ctx.s.project
    if project.vat_rate is None:
        vat = ctx.use("tva.taux_par_defaut")
    else:
        vat = project.vat_rate
        legal = ctx.period.params["tva.taux"].value.values()
        if vat not in legal:
            ctx.warnings.append(
                f"Taux de TVA {fmt_rate(vat)} inhabituel pour des travaux "
                f"(taux légaux : {', '.join(fmt_rate(v) for v in legal)})."
            )
    ctx.ttc = money(project.works_cost_ht * (1 + vat))
    ctx.base_ht = project.works_cost_ht - project.adaptation_cost_ht


def dpe_notice(ctx: Ctx) -> None:
    """The electricity coefficient change notice, for passoires and E homes."""
    p_coef = ctx.period.params["dpe.coefficient_electricite"]
    if p_coef.note and ctx.s.home.dpe_before in ("E", "F", "G"):
        ctx.warnings.append(p_coef.note)


class UserSubsidy(NamedTuple):
    funding: OtherFunding
    in_ecretement: bool


_new_tuple = tuple.__new__  # builds a named tuple without its Python-level ``__new__``


def evaluate_aids(ctx: Ctx, reg: Registry) -> dict[str, Outcome]:
    """Each aid on its own, in registry order (an aid may read the outcomes before it)."""
    outcomes: dict[str, Outcome] = {}
    done = Done(outcomes, {})
    for spec in reg.aids:
        outcomes[spec.code] = spec.evaluate(ctx, done)
    return outcomes


def initial_amounts(reg: Registry, outcomes: dict[str, Outcome]) -> dict[str, Decimal]:
    """Amounts of the subsidies on the works by aid code (``reg.works`` order), before any
    combination step."""
    return {code: outcomes[code].amount for code in reg.works}


def non_cumulation(ctx: Ctx, reg: Registry, amounts: dict[str, Decimal]) -> None:
    """Aids that do not add up (Ma Prime Logement Décent and MaPrimeRénov' Parcours
    accompagné): the larger is kept (ties keep the first) and a warning says which."""
    for first, second in reg.pairs:
        a, b = amounts[first], amounts[second]
        if a <= 0 or b <= 0:
            continue
        kept, dropped = (second, first) if b > a else (first, second)
        ctx.warnings.append(
            f"{reg[second].label} et {reg[first].label} ne se cumulent pas : "
            f"{reg[kept].label}, plus favorable, est retenue."
        )
        amounts[dropped] = ZERO


def user_subsidies(ctx: Ctx) -> list[UserSubsidy]:
    """The subsidies the user entered, and whether each enters the écrêtement (ampleur route:
    funders listed in ``mpr_accompagnee.financeurs_ecretement``)."""
    if not ctx.s.other_funding:
        return []
    inside: tuple[str, ...] = ()
    if ctx.s.project.route == "ampleur":
        inside = ctx.period.params["mpr_accompagnee.financeurs_ecretement"].value
    return [
        _new_tuple(UserSubsidy, (f, f.funder in inside))
        for f in ctx.s.other_funding
        if f.kind == "subvention"
    ]


def ecretement_ttc(
    ctx: Ctx,
    reg: Registry,
    amounts: dict[str, Decimal],
    users: list[UserSubsidy],
    user_amounts: list[Decimal],
) -> tuple[Ecretement, tuple[TraceStep, ...]]:
    """Parcours d'ampleur: public aids ≤ rate × TTC, reduced in ``reg.ecretement`` order
    (MaPrimeRénov' first, then Ma Prime Logement Décent), then the user's public subsidies in
    the order entered (guide Anah 2024 p. 25)."""
    p_ecr = ctx.p("mpr_accompagnee.ecretement_ttc")
    rate = p_ecr.value[ctx.category]
    ceiling = money(ctx.ttc * rate)
    idx = [i for i, u in enumerate(users) if u.in_ecretement] if users else []
    if idx:
        ctx.use("mpr_accompagnee.financeurs_ecretement")
    codes = reg.ecretement
    for c in codes:
        if amounts[c] > 0:
            break
    else:  # no public aid to reduce
        return Ecretement(rate, ceiling, False, "ttc", ZERO), ()
    items = [amounts[c] for c in codes] + [user_amounts[i] for i in idx]
    reduced, reduction = ecretement(items, ceiling)
    amounts.update(zip(codes, reduced, strict=False))
    for j, i in enumerate(idx):
        user_amounts[i] = reduced[len(codes) + j]
    trace = (
        TraceStep(
            f"Écrêtement ({CATEGORY_TEXT[ctx.category]}) : aides publiques ≤ "
            f"{fmt_rate(rate)} du TTC, MaPrimeRénov' réduite en premier",
            f"plafond {fmt_eur(ceiling)} ; réduction {fmt_eur(reduction)}",
            p_ecr.source,
        ),
    )
    return Ecretement(rate, ceiling, reduction > 0, "ttc", reduction), trace


def own_ecretement(outcomes: dict[str, Outcome]) -> Ecretement:
    """Par geste: the écrêtement an aid applied itself (per gesture), or none."""
    for outcome in outcomes.values():
        if outcome.ecretement is not None:
            return outcome.ecretement
    return Ecretement(ZERO, ZERO, False, "ht", ZERO)  # pragma: no cover - par geste reports one


def global_cap(
    ctx: Ctx, reg: Registry, amounts: dict[str, Decimal], user_amounts: list[Decimal]
) -> Decimal:
    """Subsidies on the works never exceed their TTC cost: the user's subsidies are reduced
    first (last entered first), then the engine's aids (highest ``cap_rank`` first).
    Returns the total of the subsidies on the works after the cap."""
    total = sum(amounts.values(), ZERO) + sum(user_amounts, ZERO)
    if total <= ctx.ttc:
        return total
    codes = reg.works[::-1]
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


class Reported(NamedTuple):
    aids: list[Aid]
    head: dict[str, Any]
    tail: dict[str, Any]
    reasons: dict[str, tuple[str, ...]]


def report_aids(
    ctx: Ctx,
    reg: Registry,
    outcomes: dict[str, Outcome],
    amounts: dict[str, Decimal],
    ecr_trace: tuple[TraceStep, ...],
) -> Reported:
    """Each aid's line (display order, final amounts) and result sections."""
    lines: list[Aid] = []
    head: dict[str, Any] = {}
    tail: dict[str, Any] = {}
    reasons: dict[str, tuple[str, ...]] = {}
    for spec, default, in_ecretement, sections in reg.reports:
        code = spec.code
        outcome = outcomes[code]
        if default and not outcome.eligible:  # no line, no section: only its reasons
            if outcome.reasons:
                reasons[code] = outcome.reasons
            continue
        amount = amounts.get(code, outcome.amount)
        aid, values = spec.report(ctx, spec, outcome, amount, ecr_trace if in_ecretement else ())
        if aid is not None:
            lines.append(aid)
        elif outcome.reasons:
            reasons[code] = outcome.reasons
        for key, in_head in sections:
            (head if in_head else tail)[key] = values[key]
    return Reported(lines, head, tail, reasons)


def evaluate_loans(
    ctx: Ctx, reg: Registry, outcomes: dict[str, Outcome], amounts: dict[str, Decimal]
) -> tuple[Any, ...]:
    """The regulated loans, on the amounts after the combination steps."""
    done = Done(outcomes, amounts)
    return tuple([spec.evaluate(ctx, done).detail for spec in reg.loans])


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
            rule = USER_RULE_INSIDE if user.in_ecretement else USER_RULE_OUTSIDE
            aids.append(Aid(f.funder, label, amount, (_step(rule, fmt_eur(amount), USER_SOURCE),)))
    return aids, lines, loans


def simulate(
    situation: Situation, *, as_of: dt.date | None = None, baremes: Baremes | None = None
) -> Result:
    """Compute every aid for ``situation`` with the barèmes in force on ``as_of``
    (default: the situation's own ``as_of``).

    Steps: income category; works cost; each aid of the registry on its own
    (``evaluate_aids``); then the combination steps over amounts keyed by aid code:
    ``non_cumulation``, écrêtement (``ecretement_ttc``, or the one par geste applied itself),
    ``global_cap``, ``reste_a_charge``; each aid's report; loans last. Raises nothing on a valid
    ``Situation``."""
    reg = registry()
    when = as_of or situation.as_of
    period: Period = (baremes or default_baremes()).period(when)
    ctx = Ctx(situation, period)
    scale, category, category_trace = _income_category(ctx)
    ctx.scale, ctx.category = scale, category
    works_cost(ctx)
    dpe_notice(ctx)
    outcomes = evaluate_aids(ctx, reg)
    amounts = initial_amounts(reg, outcomes)
    non_cumulation(ctx, reg, amounts)
    users = user_subsidies(ctx)
    user_amounts = [u.funding.amount for u in users]
    if situation.project.route == "ampleur":
        ecr, ecr_trace = ecretement_ttc(ctx, reg, amounts, users, user_amounts)
    else:
        ecr, ecr_trace = own_ecretement(outcomes), ()
    total_subsidies = global_cap(ctx, reg, amounts, user_amounts)
    reported = report_aids(ctx, reg, outcomes, amounts, ecr_trace)
    user_aids, funding_lines, user_loans = user_lines(situation, users, user_amounts)
    reste, pct = reste_a_charge(ctx.ttc, total_subsidies)
    loans = evaluate_loans(ctx, reg, outcomes, amounts)
    warnings = ctx.warnings
    if ctx.uncertain:
        warnings = warnings + [w for w in ctx.uncertain.values() if w not in warnings]
    return Result(
        when,  # as_of
        scale,  # income_scale
        category,  # income_category
        ctx.ttc,  # works_cost_ttc
        reported.head,  # head
        tuple(reported.aids + user_aids),  # aids
        ecr,  # ecretement
        total_subsidies,  # total_subsidies
        loans,  # loans
        reste,  # reste_a_charge
        pct,  # reste_a_charge_pct
        tuple(warnings),  # warnings
        tuple(ctx.missing),  # missing
        tuple(dict.fromkeys(ctx.defaults)) if ctx.defaults else (),  # defaults_used
        category_trace,  # category_trace
        reported.tail,  # tail
        tuple(funding_lines),  # other_funding
        user_loans,  # total_user_loans
        reported.reasons,  # reasons
    )


__all__ = ["simulate"]
