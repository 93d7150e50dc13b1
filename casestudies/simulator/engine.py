"""``simulate``: one situation, as of one date, to a typed result."""

from __future__ import annotations

import datetime as dt

from .aids import cee, eco_ptz, mar, mpa, mpld, mpr_accompagnee, par_geste, par_plus
from .context import Ctx
from .money import HUNDRED, ZERO, fmt_eur, fmt_rate, money
from .ops import TraceStep, ecretement
from .period import Baremes, Period, default_baremes
from .result import Aid, Ecretement, FundingLine, MprAccompagnee, OtherAid, Result
from .situation import Situation

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


def simulate(
    situation: Situation, *, as_of: dt.date | None = None, baremes: Baremes | None = None
) -> Result:
    """Compute every aid for ``situation`` with the barèmes in force on ``as_of``
    (default: the situation's own ``as_of``)."""
    when = as_of or situation.as_of
    period: Period = (baremes or default_baremes()).period(when)
    ctx = Ctx(situation, period)
    project = situation.project
    scale, category, category_trace = _income_category(ctx)
    ctx.scale, ctx.category = scale, category

    # TTC and the energy works base
    if project.vat_rate is None:
        vat = ctx.use("tva.taux_par_defaut")
    else:
        vat = project.vat_rate
        legal = period["tva.taux"].value.values()
        if vat not in legal:
            ctx.warnings.append(
                f"Taux de TVA {fmt_rate(vat)} inhabituel pour des travaux "
                f"(taux légaux : {', '.join(fmt_rate(v) for v in legal)})."
            )
    ttc = ctx.ttc = money(project.works_cost_ht * (1 + vat))
    ctx.base_ht = project.works_cost_ht - project.adaptation_cost_ht

    # DPE notice (electricity coefficient change) for passoires and E homes
    p_coef = period["dpe.coefficient_electricite"]
    if p_coef.note and situation.home.dpe_before in ("E", "F", "G"):
        ctx.warnings.append(p_coef.note)

    # Aids
    draft = mpr_accompagnee.evaluate(ctx)
    gestes = par_geste.evaluate(ctx)
    if project.route == "ampleur":
        _guichet(ctx, "mpr_accompagnee.guichet")
    else:
        _guichet(ctx, "par_geste.guichet")
    mar_detail, mar_trace = mar.evaluate(ctx, draft.eligible)
    mpa_result, mpa_trace = mpa.evaluate(ctx)
    mpld_result, mpld_trace = mpld.evaluate(ctx)
    cee_ampleur, cee_ampleur_trace = ZERO, ()
    if (
        project.route == "ampleur"
        and not draft.eligible
        and draft.technical_ok
        and not any(r.startswith("Informations manquantes") for r in draft.reasons)
    ):
        cee_ampleur, cee_ampleur_trace = cee.ampleur(ctx)

    mpr_amount = draft.amount
    mpld_amount = mpld_result.amount if mpld_result and mpld_result.eligible else ZERO
    # MaPrimeRénov' Parcours accompagné and Ma Prime Logement Décent do not add up: keep the larger.
    if mpr_amount > 0 and mpld_amount > 0:
        if mpld_amount > mpr_amount:
            ctx.warnings.append(
                "Ma Prime Logement Décent et MaPrimeRénov' Parcours accompagné ne se "
                "cumulent pas : Ma Prime Logement Décent, plus favorable, est retenue."
            )
            mpr_amount = ZERO
        else:
            ctx.warnings.append(
                "Ma Prime Logement Décent et MaPrimeRénov' Parcours accompagné ne se "
                "cumulent pas : MaPrimeRénov', plus favorable, est retenue."
            )
            mpld_amount = ZERO

    # Other funding entered by the user
    in_ecr_funders: tuple[str, ...] = ()
    if project.route == "ampleur":
        in_ecr_funders = period["mpr_accompagnee.financeurs_ecretement"].value
    user_sub = [f for f in situation.other_funding if f.kind == "subvention"]
    user_in_ecr = [f.funder in in_ecr_funders for f in user_sub]
    user_amounts = [f.amount for f in user_sub]

    # Écrêtement
    if project.route == "ampleur":
        p_ecr = ctx.p("mpr_accompagnee.ecretement_ttc")
        ecr_rate = p_ecr.value[category]
        ecr_ceiling = money(ttc * ecr_rate)
        idx = [i for i, inside in enumerate(user_in_ecr) if inside]
        if idx:
            ctx.use("mpr_accompagnee.financeurs_ecretement")
        applied = False
        reduction = ZERO
        ecr_trace: tuple[TraceStep, ...] = ()
        if mpr_amount > 0 or mpld_amount > 0:
            items = [mpr_amount, mpld_amount] + [user_amounts[i] for i in idx]
            reduced, reduction = ecretement(items, ecr_ceiling)
            applied = reduction > 0
            mpr_amount, mpld_amount = reduced[0], reduced[1]
            for j, i in enumerate(idx):
                user_amounts[i] = reduced[2 + j]
            ecr_trace = (
                TraceStep(
                    f"Écrêtement ({CATEGORY_TEXT[category]}) : aides publiques ≤ "
                    f"{fmt_rate(ecr_rate)} "
                    "du TTC, MaPrimeRénov' réduite en premier",
                    f"plafond {fmt_eur(ecr_ceiling)} ; réduction {fmt_eur(reduction)}",
                    p_ecr.source,
                ),
            )
        ecr = Ecretement(ecr_rate, ecr_ceiling, applied, "ttc", reduction)
    else:
        ecr = Ecretement(
            gestes.ecr_rate,
            gestes.ecr_ceiling,
            gestes.ecr_reduction > 0,
            "ht",
            gestes.ecr_reduction,
        )
        ecr_trace = ()

    # Global guard: subsidies on the works never exceed their TTC cost.
    mpa_amount = mpa_result.amount if mpa_result and mpa_result.eligible else ZERO
    engine_amounts = [
        mpr_amount,
        mpld_amount,
        gestes.mpr_total,
        gestes.cee_total,
        cee_ampleur,
        mpa_amount,
    ]
    total = sum(engine_amounts, ZERO) + sum(user_amounts, ZERO)
    if total > ttc:
        order = list(range(len(user_amounts)))[::-1]
        items = [user_amounts[i] for i in order] + engine_amounts[::-1]
        reduced, cut = ecretement(items, ttc)
        for j, i in enumerate(order):
            user_amounts[i] = reduced[j]
        engine_amounts = reduced[len(order) :][::-1]
        mpr_amount, mpld_amount = engine_amounts[0], engine_amounts[1]
        cee_ampleur, mpa_amount = engine_amounts[4], engine_amounts[5]
        gestes_mpr, gestes_cee = engine_amounts[2], engine_amounts[3]
        ctx.warnings.append(
            f"Les aides dépassent le coût TTC des travaux ({fmt_eur(ttc)}) : "
            f"elles sont réduites de {fmt_eur(cut)}, en commençant par les "
            "financements saisis."
        )
    else:
        gestes_mpr, gestes_cee = gestes.mpr_total, gestes.cee_total

    # Result pieces
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
    aids: list[Aid] = []
    if draft.eligible:
        trace = draft.trace + ecr_trace + ((advance_step,) if advance_step else ())
        aids.append(Aid(mpr_accompagnee.CODE, mpr_accompagnee.LABEL, mpr_amount, trace))
        aids.append(Aid(mar.CODE, mar.LABEL, mar_detail.amount, mar_trace, "accompagnement"))
    if gestes_mpr > 0:
        aids.append(Aid(par_geste.CODE, par_geste.LABEL, gestes_mpr, gestes.mpr_trace))
        par_geste.advance(ctx, gestes_mpr)
    if gestes_cee > 0:
        aids.append(Aid(cee.CODE_CHAUFFAGE, cee.LABEL_CHAUFFAGE, gestes_cee, gestes.cee_trace))
    if cee_ampleur > 0:
        aids.append(Aid(cee.CODE_AMPLEUR, cee.LABEL_AMPLEUR, cee_ampleur, cee_ampleur_trace))
    if mpld_result is not None and mpld_result.eligible:
        mpld_result = OtherAid(True, (), mpld_result.rate, mpld_result.ceiling_ht, mpld_amount)
        if mpld_amount > 0:
            aids.append(Aid(mpld.CODE, mpld.LABEL, mpld_amount, mpld_trace + ecr_trace))
    if mpa_result is not None and mpa_result.eligible:
        mpa_result = OtherAid(True, (), mpa_result.rate, mpa_result.ceiling_ht, mpa_amount)
        aids.append(Aid(mpa.CODE, mpa.LABEL, mpa_amount, mpa_trace))

    funding_lines: list[FundingLine] = []
    user_loans = ZERO
    k = 0
    for f in situation.other_funding:
        label = f.label or FUNDER_LABEL[f.funder]
        if f.kind == "subvention":
            amount, inside = user_amounts[k], user_in_ecr[k]
            k += 1
            funding_lines.append(FundingLine(f.funder, f.kind, label, f.amount, amount, inside))
            if amount > 0:
                note = "entre dans l'écrêtement" if inside else "hors écrêtement"
                aids.append(
                    Aid(
                        f.funder,
                        label,
                        amount,
                        (
                            TraceStep(
                                f"Subvention saisie ({note})", fmt_eur(amount), USER_TRACE_SOURCE
                            ),
                        ),
                    )
                )
        else:
            funding_lines.append(FundingLine(f.funder, f.kind, label, f.amount, f.amount, False))
            user_loans += f.amount

    total_subsidies = (
        mpr_amount
        + mpld_amount
        + gestes_mpr
        + gestes_cee
        + cee_ampleur
        + mpa_amount
        + sum(user_amounts, ZERO)
    )
    reste = ttc - total_subsidies
    if reste < 0:  # cannot happen after the global guard; kept as a safety net
        reste = ZERO
    pct = money(reste * HUNDRED / ttc) if ttc > 0 else ZERO

    loans = (
        eco_ptz.evaluate(ctx, mpr_amount > 0 or draft.eligible, gestes_mpr > 0),
        par_plus.evaluate(ctx, draft.eligible),
    )

    warnings = ctx.warnings + [w for w in ctx.uncertain.values() if w not in ctx.warnings]
    return Result(
        as_of=when,
        income_scale=scale,
        income_category=category,
        works_cost_ttc=ttc,
        mpr_accompagnee=mpr,
        mar_prise_en_charge=mar_detail.amount,
        par_geste=gestes.gestures,
        aids=tuple(aids),
        ecretement=ecr,
        total_subsidies=total_subsidies,
        loans=loans,
        reste_a_charge=reste,
        reste_a_charge_pct=pct,
        warnings=tuple(warnings),
        missing=tuple(ctx.missing),
        defaults_used=tuple(dict.fromkeys(ctx.defaults)),
        mar=mar_detail,
        mpa=mpa_result,
        mpld=mpld_result,
        other_funding=tuple(funding_lines),
        total_user_loans=user_loans,
        category_trace=category_trace,
    )


__all__ = ["simulate"]
