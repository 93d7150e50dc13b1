"""PDF documents: the certificate (with a QR code to its public verification page) and the
certificat de réalisation (Code du travail, art. L6353-1). Plain values in, bytes out."""

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
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from lms.formats import format_date, format_hours

INK = colors.HexColor("#1f2d3d")
ACCENT = colors.HexColor("#2f6f4f")


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


def _qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def certificate_pdf(data: CertificateData) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificat {data.number}")
    pdf.setAuthor("Ensemblier")
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    pdf.setFillColor(ACCENT)
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 4 * cm, "Certificat Ensemblier Solidaire")
    pdf.setFillColor(INK)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 5.4 * cm, "décerné à")
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 6.8 * cm, data.full_name)
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(
        width / 2,
        height - 8 * cm,
        f"qui a validé les cinq compétences de la formation « Ensemblier Solidaire » "
        f"({data.session_name}).",
    )
    y = height - 9.4 * cm
    pdf.setFont("Helvetica", 11)
    for code, title in data.competencies:
        pdf.drawString(4 * cm, y, f"{code} · {title} : validée")
        y -= 0.6 * cm
    pdf.setFont("Helvetica", 12)
    pdf.drawString(4 * cm, 3.6 * cm, f"Certificat n° {data.number}")
    pdf.drawString(4 * cm, 2.9 * cm, f"Délivré le {date_fr(data.certified_on)}")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(4 * cm, 2.2 * cm, f"Vérification : {data.verification_url}")
    _qr(pdf, data.verification_url, width - 6.4 * cm, 1.8 * cm, 4.2 * cm)
    if data.revoked:
        pdf.setFillColor(colors.HexColor("#b00020"))
        pdf.setFont("Helvetica-Bold", 40)
        pdf.drawCentredString(width / 2, height / 2, "CERTIFICAT RÉVOQUÉ")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class CompletionData:
    """Certificat de réalisation: objectives, nature, duration, hours, assessment results."""

    full_name: str
    structure: str
    programme_title: str
    objectives: list[str]
    session_name: str
    territory: str
    first_day: datetime.date | None
    last_day: datetime.date | None
    programme_hours: Decimal
    attended_hours: Decimal
    results: list[tuple[str, str, str]]  # (code, title, result label)
    issued_on: datetime.date
    certification_number: str = ""


def completion_pdf(data: CompletionData) -> bytes:
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Certificat de réalisation")
    pdf.setAuthor("Ensemblier")
    left = 2.2 * cm
    text_width = width - 2 * left
    y = height - 2.8 * cm

    def line(text: str, font: str = "Helvetica", size: int = 11, gap: float = 0.55):
        nonlocal y
        pdf.setFont(font, size)
        for part in simpleSplit(text, font, size, text_width):
            if y < 2.5 * cm:
                pdf.showPage()
                y = height - 2.5 * cm
                pdf.setFont(font, size)
            pdf.drawString(left, y, part)
            y -= gap * cm

    pdf.setFillColor(ACCENT)
    line("Certificat de réalisation", "Helvetica-Bold", 20, 1.0)
    pdf.setFillColor(INK)
    line("Article L6353-1 du Code du travail", "Helvetica-Oblique", 10, 0.9)
    line(f"Je soussigné·e, pour l'organisme de formation, atteste que {data.full_name}", gap=0.55)
    if data.structure:
        line(f"({data.structure})")
    line(
        f"a suivi l'action de formation « {data.programme_title} » ({data.session_name}, "
        f"{data.territory}).",
        gap=0.9,
    )
    line(
        "Nature de l'action : action de formation (article L6313-1, 1° du Code du travail).",
        gap=0.7,
    )
    if data.first_day and data.last_day:
        line(f"Dates : du {date_fr(data.first_day)} au {date_fr(data.last_day)}.")
    line(f"Durée de l'action : {hours_fr(data.programme_hours)}.")
    line(
        f"Durée suivie : {hours_fr(data.attended_hours)} (demi-journées émargées présentes).",
        "Helvetica-Bold",
        11,
        0.9,
    )
    line("Objectifs de la formation :", "Helvetica-Bold")
    for objective in data.objectives or [
        "Les cinq compétences du référentiel Ensemblier Solidaire."
    ]:
        line(f"• {objective}")
    y -= 0.3 * cm
    line("Résultats de l'évaluation des acquis :", "Helvetica-Bold")
    for code, title, label in data.results:
        line(f"• {code} · {title} : {label}")
    y -= 0.3 * cm
    if data.certification_number:
        line(f"Certification Ensemblier Solidaire délivrée : n° {data.certification_number}.")
    line(f"Fait le {date_fr(data.issued_on)}.", gap=0.9)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
