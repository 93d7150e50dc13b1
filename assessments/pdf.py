"""PDF documents: the certificate (with a QR code to its public verification page) and the
certificat de réalisation (Code du travail, art. L6353-1) or, before the session ends, the
provisional attendance statement. Plain values in, bytes out; fonts, metadata, page numbers,
right-to-left text and fitting come from `lms.pdf`."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Spacer

from lms import pdf as kit
from lms.formats import format_date, format_hours
from lms.pdf import ACCENT, FONT, FONT_BOLD, INK, TrainingBody


def date_fr(day: datetime.date) -> str:
    """ "1er mars 2026" (lms.formats)."""
    return format_date(day, weekday=False)


def hours_fr(hours: Decimal) -> str:
    """ "105 h", "52 h 30" (lms.formats)."""
    return format_hours(hours)


@dataclass(frozen=True)
class CertificateData:
    full_name: str
    number: str
    certified_on: datetime.date
    competencies: list[tuple[str, str]]  # (code, title)
    session_name: str
    verification_url: str
    revoked: bool = False
    issuer: str = "Ensemblier"  # the training body, the PDF's author


def _qr(pdf, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def certificate_pdf(data: CertificateData) -> bytes:
    """Landscape A4, one page. The holder's name shrinks from 24 pt to 14 pt to fit the frame,
    then wraps; names in any script print (see `lms.pdf`)."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = kit.new_canvas(
        buffer,
        pagesize=(width, height),
        metadata=kit.Metadata(
            title=f"Certificat Ensemblier Solidaire n° {data.number}",
            author=data.issuer,
            subject=f"Certificat délivré à {data.full_name}",
        ),
    )
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    centre = width / 2
    text_width = width - 6 * cm
    pdf.setFillColor(ACCENT)
    kit.draw_string(
        pdf, centre, height - 4 * cm, "Certificat Ensemblier Solidaire", FONT_BOLD, 30, "centre"
    )
    pdf.setFillColor(INK)
    kit.draw_string(pdf, centre, height - 5.4 * cm, "décerné à", FONT, 14, "centre")
    last = kit.draw_fitted(
        pdf,
        data.full_name,
        FONT_BOLD,
        x_centre=centre,
        y=height - 6.8 * cm,
        width=text_width,
        size=24,
        min_size=14,
    )
    y = last - 1.2 * cm
    sentence = (
        "qui a validé les cinq compétences de la formation « Ensemblier Solidaire » "
        f"({data.session_name})."
    )
    for line in kit.wrap(sentence, FONT, 12, text_width):
        kit.draw_string(pdf, centre, y, line, FONT, 12, "centre")
        y -= 0.55 * cm
    y -= 0.4 * cm
    for code, title in data.competencies:
        for index, line in enumerate(
            kit.wrap(f"{code} · {title} : validée", FONT, 11, width - 8 * cm)
        ):
            kit.draw_string(pdf, 4 * cm + (0.6 * cm if index else 0), y, line, FONT, 11)
            y -= 0.55 * cm
    kit.draw_string(pdf, 4 * cm, 3.6 * cm, f"Certificat n° {data.number}", FONT, 12)
    kit.draw_string(pdf, 4 * cm, 2.9 * cm, f"Délivré le {date_fr(data.certified_on)}", FONT, 12)
    kit.draw_string(pdf, 4 * cm, 2.2 * cm, f"Vérification : {data.verification_url}", FONT, 9)
    _qr(pdf, data.verification_url, width - 6.4 * cm, 1.8 * cm, 4.2 * cm)
    if data.revoked:
        pdf.setFillColor(colors.HexColor("#b00020"))
        kit.draw_string(pdf, centre, height / 2, "CERTIFICAT RÉVOQUÉ", FONT_BOLD, 40, "centre")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class CompletionData:
    """Certificat de réalisation (L6353-1): objectives, nature, duration, hours, assessment
    results, the training body and its signatory. `provisional` (the session has not ended):
    an attendance statement to date instead, marked as such and unsigned."""

    full_name: str
    structure: str
    programme_title: str
    objectives_markdown: str
    session_name: str
    territory: str
    first_day: datetime.date | None
    last_day: datetime.date | None
    programme_hours: Decimal
    attended_hours: Decimal
    results: list[tuple[str, str, str]]  # (code, title, result label)
    issued_on: datetime.date  # the session's last day for the final document (fixed)
    training_body: TrainingBody
    provisional: bool = False
    certification_number: str = ""


def completion_pdf(data: CompletionData) -> bytes:
    """A4 portrait, as many pages as the objectives need, each numbered "n / N"."""
    buffer = io.BytesIO()
    body = data.training_body
    title = (
        "Attestation de présence provisoire" if data.provisional else "Certificat de réalisation"
    )
    document = kit.new_document(
        buffer,
        pagesize=A4,
        metadata=kit.Metadata(
            title=f"{title} · {data.full_name}",
            author=body.name,
            subject=f"{data.programme_title} · {data.session_name}",
        ),
        margin=2.2 * cm,
    )
    styles = kit.styles()
    text, heading = styles["body"], styles["heading"]

    def para(value: str, style=text, bold=False):
        return kit.paragraph(value, style, bold=bold)

    story = [para(title, styles["title"]), Spacer(1, 4)]
    if data.provisional:
        story += [
            para(
                "PROVISOIRE — la formation n'est pas terminée : ce document n'est pas le "
                "certificat de réalisation, qui sera délivré après la dernière demi-journée"
                + (f" ({date_fr(data.last_day)})." if data.last_day else "."),
                styles["banner"],
            ),
            Spacer(1, 10),
        ]
    else:
        story.append(para("Article L6353-1 du Code du travail", styles["muted"]))
    story += [
        para(body.identity(), styles["muted"]),
        para(body.address, styles["muted"]) if body.address else Spacer(1, 0),
        Spacer(1, 10),
        para(
            f"Je soussigné·e, {body.signatory or 'représentant·e de l’organisme de formation'}, "
            f"pour l'organisme de formation {body.name}, atteste que :"
            if not data.provisional
            else f"L'organisme de formation {body.name} atteste que :"
        ),
        Spacer(1, 4),
        para(data.full_name, styles["heading"], bold=True),
    ]
    if data.structure:
        story.append(para(f"({data.structure})"))
    verb = "a suivi" if not data.provisional else "suit"
    story += [
        para(
            f"{verb} l'action de formation « {data.programme_title} » ({data.session_name}, "
            f"{data.territory})."
        ),
        Spacer(1, 6),
        para("Nature de l'action : action de formation (article L6313-1, 1° du Code du travail)."),
    ]
    if data.first_day and data.last_day:
        story.append(para(f"Dates : du {date_fr(data.first_day)} au {date_fr(data.last_day)}."))
    story += [
        para(f"Durée de l'action : {hours_fr(data.programme_hours)}."),
        para(
            f"Durée suivie{' à ce jour' if data.provisional else ''} : "
            f"{hours_fr(data.attended_hours)} (demi-journées émargées, présence attestée).",
            bold=True,
        ),
        para("Objectifs de la formation", heading),
        *kit.markdown_flowables(
            data.objectives_markdown or "Les cinq compétences du référentiel Ensemblier Solidaire.",
            text,
            heading,
        ),
        para(
            "Résultats de l'évaluation des acquis" + (" à ce jour" if data.provisional else ""),
            heading,
        ),
        *[para(f"• {code} · {title} : {label}") for code, title, label in data.results],
        Spacer(1, 8),
    ]
    if data.certification_number:
        story.append(
            para(f"Certification Ensemblier Solidaire délivrée : n° {data.certification_number}.")
        )
    if data.provisional:
        story.append(para(f"Édité le {date_fr(data.issued_on)}.", styles["muted"]))
    else:
        place = f"Fait à {body.place}" if body.place else "Fait"
        story.append(
            KeepTogether(
                [
                    Spacer(1, 10),
                    para(f"{place} le {date_fr(data.issued_on)}."),
                    Spacer(1, 4),
                    para(body.signatory or body.name, bold=True),
                    para(f"pour {body.name}", styles["muted"]),
                ]
            )
        )

    def footer(canvas, page: int, total: int) -> None:
        canvas.setFillColor(INK)
        kit.draw_string(canvas, 2.2 * cm, 1.2 * cm, f"{title} · {data.full_name}", FONT, 7.5)
        kit.draw_string(
            canvas, A4[0] - 2.2 * cm, 1.2 * cm, kit.page_label(page, total), FONT, 7.5, "right"
        )

    document.build(story, canvasmaker=kit.numbered_canvas(footer))
    return buffer.getvalue()


@dataclass(frozen=True)
class AttestationData:
    """The attestation of the open awareness course (assessments.awareness)."""

    full_name: str
    number: str
    issued_on: datetime.date
    course_title: str
    lessons: list[str]
    role_label: str
    territory: str
    verification_url: str
    issuer: str = "Ensemblier"


def attestation_pdf(data: AttestationData) -> bytes:
    """Portrait A4, one page, verifiable like a certificate (number and QR code)."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = kit.new_canvas(
        buffer,
        pagesize=(width, height),
        metadata=kit.Metadata(
            title=f"Attestation de sensibilisation n° {data.number}",
            author=data.issuer,
            subject=f"Attestation délivrée à {data.full_name}",
        ),
    )
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(2)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    centre, text_width = width / 2, width - 5 * cm
    pdf.setFillColor(ACCENT)
    kit.draw_string(
        pdf, centre, height - 4 * cm, "Attestation de sensibilisation", FONT_BOLD, 24, "centre"
    )
    pdf.setFillColor(INK)
    kit.draw_string(pdf, centre, height - 5.3 * cm, "délivrée à", FONT, 13, "centre")
    last = kit.draw_fitted(
        pdf,
        data.full_name,
        FONT_BOLD,
        x_centre=centre,
        y=height - 6.6 * cm,
        width=text_width,
        size=22,
        min_size=13,
    )
    y = last - 1.1 * cm
    detail = ", ".join(part for part in (data.role_label, data.territory) if part)
    sentence = (
        f"qui a suivi le parcours ouvert « {data.course_title} » et répondu juste à ses "
        "questions d'auto-évaluation" + (f" ({detail})." if detail else ".")
    )
    for line in kit.wrap(sentence, FONT, 12, text_width):
        kit.draw_string(pdf, centre, y, line, FONT, 12, "centre")
        y -= 0.55 * cm
    y -= 0.5 * cm
    for lesson in data.lessons:
        for index, line in enumerate(kit.wrap(f"• {lesson}", FONT, 11, text_width - cm)):
            kit.draw_string(pdf, 3 * cm + (0.4 * cm if index else 0), y, line, FONT, 11)
            y -= 0.5 * cm
    kit.draw_string(pdf, 3 * cm, 4.6 * cm, f"Attestation n° {data.number}", FONT, 12)
    kit.draw_string(pdf, 3 * cm, 3.9 * cm, f"Délivrée le {date_fr(data.issued_on)}", FONT, 12)
    kit.draw_string(pdf, 3 * cm, 3.2 * cm, "Vérification :", FONT, 9)
    kit.draw_string(pdf, 3 * cm, 2.7 * cm, data.verification_url, FONT, 8)
    _qr(pdf, data.verification_url, width - 6 * cm, 2.2 * cm, 3.8 * cm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
