"""Attendance sheets (feuilles d'émargement) as CSV, PDF and printable HTML.

What the law asks (Code du travail R6332-26, see shared/domain/training.md): per half-day, the
trainer, the module(s), the date, the half-day and its times, each trainee's signature with its
timestamp, and the trainer's counter-signature. All three formats are built from the same
`SlotBlock`s, so they cannot drift apart.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from lms import pdf as kit
from lms.csvfiles import SpreadsheetWriter
from lms.formats import format_number

from . import attendance as rules

CSV_COLUMNS = [
    "Session",
    "Formateur(s)",
    "Jour",
    "Date",
    "Demi-journée",
    "Début",
    "Fin",
    "Module(s)",
    "Nom",
    "Prénom",
    "Structure",
    "Statut",
    "Signature stagiaire",
    "Contresignature formateur",
    "Contresigné par",
    "Heures de présence",
]


def stamp(moment: datetime.datetime | None) -> str:
    """A timestamp in Paris time, to the second: 2026-03-11 09:04:12."""
    if moment is None:
        return ""
    return rules.to_paris(moment).strftime("%Y-%m-%d %H:%M:%S")


def short_stamp(moment: datetime.datetime | None) -> str:
    """A timestamp for reading: 11/03/2026 9 h 04."""
    if moment is None:
        return ""
    local = rules.to_paris(moment)
    return f"{local:%d/%m/%Y} {rules.time_label(local)}"


@dataclass
class SheetLine:
    last_name: str
    first_name: str
    structure: str
    status: str
    status_label: str
    trainee_signed_at: datetime.datetime | None
    trainer_signed_at: datetime.datetime | None
    trainer_signed_by: str
    hours: Decimal

    @property
    def trainee_signed_label(self) -> str:
        return short_stamp(self.trainee_signed_at)

    @property
    def trainer_signed_label(self) -> str:
        return short_stamp(self.trainer_signed_at)


@dataclass
class SlotBlock:
    day_number: int
    date: datetime.date
    half_label: str
    start: datetime.time
    end: datetime.time
    modules: str
    lines: list[SheetLine] = field(default_factory=list)

    @property
    def date_label(self) -> str:
        return rules.date_label(self.date)

    @property
    def times_label(self) -> str:
        return f"{rules.time_label(self.start)} – {rules.time_label(self.end)}"

    @property
    def countersigned_by(self) -> str:
        names = sorted({line.trainer_signed_by for line in self.lines if line.trainer_signed_by})
        return ", ".join(names)

    @property
    def countersigned_at(self) -> str:
        stamps = [line.trainer_signed_at for line in self.lines if line.trainer_signed_at]
        return short_stamp(max(stamps)) if stamps else ""


def person_name(user) -> str:
    return user.get_full_name() or user.email


def module_label(page) -> str:
    return f"Module {page.number} · {page.title}"


def sheet_blocks(sheet: dict) -> list[SlotBlock]:
    """The sheet's half-days, each with one line per trainee (from `session_sheet`)."""
    blocks = []
    for slot in sheet["slots"]:
        hours = rules.slot_duration_hours(slot.date, slot.start_time, slot.end_time)
        block = SlotBlock(
            day_number=slot.day_number,
            date=slot.date,
            half_label=slot.get_half_display(),
            start=slot.start_time,
            end=slot.end_time,
            modules=" ; ".join(module_label(page) for page in slot.modules.all()),
        )
        for enrolment in sheet["enrolments"]:
            row = sheet["attendances"].get((enrolment.pk, slot.pk))
            status = row.status if row else rules.PENDING
            block.lines.append(
                SheetLine(
                    last_name=enrolment.trainee.last_name,
                    first_name=enrolment.trainee.first_name,
                    structure=enrolment.structure.name if enrolment.structure else "",
                    status=status,
                    status_label=rules.STATUS_LABELS[status],
                    trainee_signed_at=row.trainee_signed_at if row else None,
                    trainer_signed_at=row.trainer_signed_at if row else None,
                    trainer_signed_by=(
                        person_name(row.trainer_signed_by) if row and row.trainer_signed_by else ""
                    ),
                    hours=hours if status == rules.PRESENT else Decimal("0.00"),
                )
            )
        blocks.append(block)
    return blocks


def trainers_label(sheet: dict) -> str:
    return ", ".join(person_name(user) for user in sheet["trainers"]) or "—"


def sheet_csv(sheet: dict) -> bytes:
    """UTF-8 with BOM (Excel opens it right), `;` separated, one line per trainee and half-day;
    text cells that a spreadsheet would run as formulas are neutralised (`lms.csvfiles`)."""
    writer = SpreadsheetWriter()
    writer.writerow(CSV_COLUMNS)
    session = sheet["session"]
    trainers = trainers_label(sheet)
    for block in sheet_blocks(sheet):
        for line in block.lines:
            writer.writerow(
                [
                    session.name,
                    trainers,
                    block.day_number,
                    block.date.isoformat(),
                    block.half_label,
                    block.start.strftime("%H:%M"),
                    block.end.strftime("%H:%M"),
                    block.modules,
                    line.last_name,
                    line.first_name,
                    line.structure,
                    line.status_label,
                    stamp(line.trainee_signed_at),
                    stamp(line.trainer_signed_at),
                    line.trainer_signed_by,
                    format_number(line.hours, 2, keep_zeros=True),
                ]
            )
    return writer.content()


SIGNATURE_METHOD = (
    "Signatures électroniques : chaque stagiaire signe depuis son compte personnel, identifié "
    "par son adresse e-mail et son mot de passe ; l'heure enregistrée est celle du serveur "
    "(heure de Paris), pas celle de l'appareil ; le ou la formatrice contresigne chaque "
    "demi-journée depuis son propre compte, avec l'heure du serveur. Les corrections "
    "ultérieures sont conservées avec leur auteur, leur date et leur motif."
)


def sheet_pdf(
    sheet: dict, *, generated_at: datetime.datetime, training_body: kit.TrainingBody
) -> bytes:
    """Landscape A4, one table per half-day with its header repeated on each page; the
    training body and how signatures were collected on the first page; "n / N" on every page.
    Long names and structures wrap in their cell instead of being cut."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    session = sheet["session"]
    styles = kit.styles()
    small = styles["small"]
    buffer = io.BytesIO()
    page_width = landscape(A4)[0]
    document = kit.new_document(
        buffer,
        pagesize=landscape(A4),
        metadata=kit.Metadata(
            title=f"Feuille d'émargement · {session.name}",
            author=training_body.name,
            subject=f"Émargement par demi-journée · {session.venue}",
        ),
        margin=12 * mm,
        bottom=14 * mm,
    )
    footer_text = f"Feuille d'émargement · {session.name} · Formateur(s) : {trainers_label(sheet)}"

    def footer(canvas, page: int, total: int) -> None:
        kit.draw_string(canvas, 12 * mm, 6 * mm, footer_text, kit.FONT, 7)
        kit.draw_string(
            canvas,
            page_width - 12 * mm,
            6 * mm,
            f"Édité le {short_stamp(generated_at)} · page {kit.page_label(page, total)}",
            kit.FONT,
            7,
            "right",
        )

    story = [
        kit.paragraph(f"Feuille d'émargement · {session.name}", styles["title"]),
        kit.paragraph(f"Organisme de formation : {training_body.identity()}", styles["body"]),
        kit.paragraph(
            f"Lieu : {session.venue} · Formateur(s) : {trainers_label(sheet)}", styles["body"]
        ),
        kit.paragraph(SIGNATURE_METHOD, styles["muted"]),
        Spacer(1, 4 * mm),
    ]
    head = [
        "Nom",
        "Prénom",
        "Structure",
        "Statut",
        "Signature stagiaire",
        "Contresignature",
        "Contresigné par",
    ]
    widths = [38 * mm, 34 * mm, 52 * mm, 30 * mm, 36 * mm, 36 * mm, 45 * mm]
    size = 8

    def text_cell(text: str, column: int):
        return kit.cell(text, kit.FONT, size, widths[column], small)

    for block in sheet_blocks(sheet):
        title = Paragraph(
            f"<b>Jour {block.day_number} · {kit.markup(block.date_label)} · {block.half_label} "
            f"({block.times_label})</b><br/>{kit.markup(block.modules) or 'Module : —'}",
            small,
        )
        rows = [[title, "", "", "", "", "", ""], head] + [
            [
                text_cell(line.last_name, 0),
                text_cell(line.first_name, 1),
                text_cell(line.structure, 2),
                line.status_label,
                line.trainee_signed_label,
                line.trainer_signed_label,
                text_cell(line.trainer_signed_by, 6),
            ]
            for line in block.lines
        ]
        # The half-day's title and the column names repeat at the top of every page.
        table = Table(rows, colWidths=widths, repeatRows=2)
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (0, 0), (-1, 0)),
                    ("FONT", (0, 1), (-1, 1), kit.FONT_BOLD, size),
                    ("FONT", (0, 2), (-1, -1), kit.FONT, size),
                    ("LEADING", (0, 2), (-1, -1), size * 1.2),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f9")),
                    ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#e8edf5")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa3ad")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 5 * mm))
    document.build(story, canvasmaker=kit.numbered_canvas(footer))
    return buffer.getvalue()
