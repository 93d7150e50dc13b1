"""The financing plan as a PDF (A4 portrait, pages numbered): the situation, every aid with its
amount, rule and source, the écrêtement, the user's own funding, the reste à charge and the gap
to the aim, the date of the rules used and the share link. Plain values in, bytes out
(fonts, metadata and page numbers from `lms.pdf`)."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from lms import pdf as kit
from lms.formats import format_date, format_euros, format_percent
from lms.pdf import FONT, INK

from .plan import Plan


def _situation_lines(situation: dict) -> list[str]:
    household, home, project = (situation.get(k, {}) for k in ("household", "home", "project"))
    lines = [
        f"Ménage de {household.get('size')} personne(s), revenu fiscal de référence "
        f"{format_euros(household.get('reference_tax_income'))}.",
        f"Logement : {home.get('type', 'maison')} dans le département {home.get('department')}"
        + (f", {home['surface_m2']} m²" if home.get("surface_m2") else "")
        + (f", DPE {home['dpe_before']}" if home.get("dpe_before") else "")
        + (f" → {home['dpe_after']}" if home.get("dpe_after") else "")
        + ".",
        f"Projet : {'rénovation d’ampleur' if project.get('route') == 'ampleur' else 'par geste'}, "
        f"{format_euros(project.get('works_cost_ht'))} HT de travaux.",
    ]
    return lines


def plan_pdf(plan: Plan, *, situation: dict, share_url: str) -> bytes:
    buffer = io.BytesIO()
    title = "Plan de financement"
    document = kit.new_document(
        buffer,
        pagesize=A4,
        metadata=kit.Metadata(
            title=title,
            author="Ensemblier",
            subject=f"Règles au {format_date(plan.as_of, weekday=False)}",
        ),
        margin=2 * cm,
    )
    styles = kit.styles()
    body, heading, muted, small = (
        styles["body"],
        styles["heading"],
        styles["muted"],
        styles["small"],
    )

    def para(text, style=body, bold=False):
        return kit.paragraph(text, style, bold=bold)

    story = [
        para(title, styles["title"]),
        para(
            f"Règles appliquées au {format_date(plan.as_of, weekday=False)} · catégorie de "
            f"revenus {plan.income_category_label} ({plan.income_scale_label}).",
            muted,
        ),
        Spacer(1, 6),
        *[para(line) for line in _situation_lines(situation)],
        para("Aides sur les travaux", heading),
    ]
    for aid in plan.works_aids:
        story.append(para(f"{aid.label} : {format_euros(aid.amount)}", bold=True))
        for step in aid.trace:
            story.append(para(f"{step.rule} : {step.value}", small))
    if not plan.works_aids:
        story.append(para("Aucune aide sur les travaux avec ces informations."))
    for reason in plan.mpr_reasons:
        story.append(para(f"MaPrimeRénov' Parcours accompagné : {reason}", muted))
    for gesture in plan.gestures:
        if not gesture.eligible:
            story.append(para(f"{gesture.label} : {' '.join(gesture.reasons)}", muted))
    story.append(
        para(
            "Écrêtement : "
            + (
                f"appliqué, plafond {format_euros(plan.ecretement_ceiling)}, réduction "
                f"{format_euros(plan.ecretement_reduction)}."
                if plan.ecretement_applied
                else f"non atteint (plafond {format_euros(plan.ecretement_ceiling)})."
            )
        )
    )
    if plan.funding:
        story.append(para("Financements complémentaires saisis", heading))
        for line in plan.funding:
            retained = (
                f"{format_euros(line.amount)} retenus sur {format_euros(line.amount_requested)}"
                if line.reduced
                else format_euros(line.amount)
            )
            story.append(para(f"{line.label} ({line.kind_label}) : {retained}"))
    for aid in plan.support_aids:
        story.append(para("Accompagnement", heading))
        story.append(para(f"{aid.label} : {format_euros(aid.amount)}"))
        if plan.mar_reste_a_charge is not None:
            story.append(
                para(
                    f"Reste à payer sur l'accompagnement : {format_euros(plan.mar_reste_a_charge)}"
                )
            )
    story += [
        para("Reste à charge", heading),
        para(f"Coût des travaux TTC : {format_euros(plan.works_cost_ttc)}"),
        para(f"Total des subventions : {format_euros(plan.total_subsidies)}"),
        para(
            f"Reste à charge : {format_euros(plan.reste_a_charge)}, soit "
            f"{format_percent(plan.reste_a_charge_pct)} du coût TTC",
            bold=True,
        ),
        para(
            f"Objectif d'environ {format_percent(plan.aim_pct, 0)} : atteint."
            if plan.aim_reached
            else f"Objectif d'environ {format_percent(plan.aim_pct, 0)} "
            f"({format_euros(plan.aim_amount)}) : il manque {format_euros(plan.gap_to_aim)}."
        ),
    ]
    if plan.user_loans or any(loan.eligible for loan in plan.loans):
        story.append(para("Prêts possibles pour le reste à charge", heading))
        for loan in plan.loans:
            if loan.eligible:
                story.append(para(f"{loan.label} : jusqu'à {format_euros(loan.max_amount)}"))
        for line in plan.user_loans:
            story.append(para(f"{line.label} : {format_euros(line.amount)} (saisi)"))
    if plan.warnings:
        story.append(para("Points d'attention", heading))
        story += [para(f"• {w}", small) for w in plan.warnings]
    story.append(para("Sources des règles", heading))
    story += [para(f"• {s}", small) for s in plan.sources]
    story += [
        Spacer(1, 8),
        para(
            "Simulation indicative : seuls les services instructeurs (Anah, France Rénov', "
            "financeurs) décident des montants accordés.",
            muted,
        ),
        para(f"Retrouver ce plan : {share_url}", small),
    ]

    def footer(canvas, page: int, total: int) -> None:
        canvas.setFillColor(INK)
        kit.draw_string(
            canvas,
            2 * cm,
            1.1 * cm,
            f"{title} · règles au {format_date(plan.as_of, weekday=False)}",
            FONT,
            7.5,
        )
        kit.draw_string(
            canvas, A4[0] - 2 * cm, 1.1 * cm, kit.page_label(page, total), FONT, 7.5, "right"
        )

    document.build(story, canvasmaker=kit.numbered_canvas(footer))
    return buffer.getvalue()
