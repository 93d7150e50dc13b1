"""The evidence pack of a session (issue 15): every document an auditor asks for, in one ZIP,
with an index mapping each file to the Qualiopi indicators it supports.

Reproducible: the same data and the same `as_of` give the same bytes — files in a fixed order,
one fixed timestamp (`as_of` at midnight) for every entry, PDFs built by reportlab in its
"invariant" mode (no creation date, a fixed document id), CSV rows in a stable order. Health
details never enter it: accommodations are listed without their confidential note.
"""

import contextlib
import datetime
import hashlib
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from lms import pdf as kit
from lms.csvfiles import SpreadsheetWriter
from lms.models import SiteSettings
from modules import exports as attendance_exports
from modules.models import Enrolment, ProgrammePage, SessionSlot
from modules.selectors_attendance import session_sheet

from .. import pdf as assessment_pdf
from ..certification import documents
from ..models import AssessmentPage, Attempt, CompetencyResult
from . import exports, selectors
from .models import Accommodation, Complaint

# The Qualiopi indicators (référentiel national qualité, décret n° 2019-564, guide de lecture)
# each file supports.
INDICATORS = {
    "programme": (1, 5, 6),
    "timetable": (6, 9),
    "attendance": (10, 12),
    "completion": (11, 12),
    "positioning": (8,),
    "evaluations": (11,),
    "surveys": (2, 30),
    "complaints": (31, 32),
    "accommodations": (26,),
}
INDICATOR_TITLES = {
    1: "Information du public sur les prestations et leurs résultats",
    2: "Indicateurs de résultats",
    5: "Objectifs opérationnels et évaluables",
    6: "Contenus et modalités de mise en œuvre",
    8: "Positionnement à l'entrée",
    9: "Conditions de déroulement communiquées",
    10: "Adaptation et suivi de la prestation",
    11: "Évaluation de l'atteinte des objectifs",
    12: "Engagement des bénéficiaires, prévention des ruptures",
    26: "Accueil des publics en situation de handicap",
    30: "Recueil des appréciations des parties prenantes",
    31: "Traitement des difficultés et réclamations",
    32: "Mesures d'amélioration continue",
}
INDEX_NAME = "00-index.csv"


@dataclass(frozen=True)
class PackFile:
    name: str
    content: bytes
    topic: str  # key of INDICATORS
    description: str


@contextlib.contextmanager
def invariant_pdfs():
    """reportlab's reproducible mode while the pack is built (fixed dates and ids)."""
    from reportlab import rl_config

    before = rl_config.invariant
    rl_config.invariant = 1
    try:
        yield
    finally:
        rl_config.invariant = before


def zip_files(files: list[PackFile], *, stamp: datetime.date) -> bytes:
    """The ZIP of `files` plus its index, in name order, every entry dated `stamp` 00:00."""
    index = SpreadsheetWriter()
    index.writerow(["Fichier", "Contenu", "Indicateurs Qualiopi", "Intitulé des indicateurs"])
    for item in sorted(files, key=lambda f: f.name):
        numbers = INDICATORS[item.topic]
        index.writerow(
            [
                item.name,
                item.description,
                ", ".join(str(number) for number in numbers),
                " ; ".join(f"{n} · {INDICATOR_TITLES[n]}" for n in numbers),
            ]
        )
    entries = [(INDEX_NAME, index.content())] + [
        (item.name, item.content) for item in sorted(files, key=lambda f: f.name)
    ]
    buffer = io.BytesIO()
    moment = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, content)
    return buffer.getvalue()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- The files -----------------------------------------------------------------------------------


def _csv(rows) -> bytes:
    writer = SpreadsheetWriter()
    writer.writerows(rows)
    return writer.content()


def _programme_pdf(programme, session, training_body) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    styles = kit.styles()
    buffer = io.BytesIO()
    document = kit.new_document(
        buffer,
        pagesize=A4,
        margin=18 * mm,
        metadata=kit.Metadata(
            title=f"Programme · {programme.title}", author=training_body.name, subject=session.name
        ),
    )
    story = [
        kit.paragraph(programme.title, styles["title"]),
        kit.paragraph(f"Session : {session.name} · {session.venue}", styles["muted"]),
        Spacer(1, 4 * mm),
    ]
    for label, text in (
        ("Objectifs", programme.objectives),
        ("Public visé", programme.audience),
        ("Prérequis", programme.prerequisites),
        ("Méthodes pédagogiques", programme.teaching_methods),
        ("Modalités d'évaluation", programme.evaluation_methods),
        ("Accessibilité", programme.accessibility),
    ):
        if text:
            story.append(kit.paragraph(label, styles["heading"]))
            story.extend(kit.markdown_flowables(text, styles["body"], styles["heading"]))
    story.append(kit.paragraph("Durée", styles["heading"]))
    story.append(
        kit.paragraph(
            f"{programme.duration_days} jours, {kit_number(programme.duration_hours)} heures",
            styles["body"],
        )
    )
    document.build(story)
    return buffer.getvalue()


def kit_number(value) -> str:
    from lms.formats import format_number

    return format_number(value)


def _timetable(session) -> bytes:
    rows = [["Jour", "Date", "Demi-journée", "Début", "Fin", "Salle", "Modules"]]
    slots = (
        SessionSlot.objects.filter(session=session)
        .prefetch_related("modules")
        .order_by("date", "start_time", "pk")
    )
    for slot in slots:
        rows.append(
            [
                slot.day_number,
                f"{slot.date:%d/%m/%Y}",
                slot.get_half_display(),
                f"{slot.start_time:%H:%M}",
                f"{slot.end_time:%H:%M}",
                slot.room,
                " ; ".join(
                    f"{module.number}. {module.title}"
                    for module in sorted(slot.modules.all(), key=lambda m: m.number)
                ),
            ]
        )
    return _csv(rows)


def _people(session):
    return list(
        Enrolment.objects.filter(session=session)
        .exclude(status="pre_registered")
        .select_related("trainee", "structure", "session", "session__territory")
        .order_by("trainee__last_name", "trainee__first_name", "pk")
    )


def _attempt_rows(enrolments, kinds, header_extra):
    trainee_ids = [e.trainee_id for e in enrolments]
    names = {e.trainee_id: e.trainee.get_full_name() for e in enrolments}
    attempts = (
        Attempt.objects.filter(
            trainee_id__in=trainee_ids,
            enrolment__in=enrolments,
            assessment__kind__in=kinds,
            submitted_at__isnull=False,
        )
        .select_related("assessment")
        .prefetch_related("answers")
        .order_by("trainee__last_name", "trainee__first_name", "assessment__path", "number", "pk")
    )
    rows = [
        ["Stagiaire", "Évaluation", "Tentative", "Envoyée le", "Note", "Sur", "%", *header_extra]
    ]
    for attempt in attempts:
        by_code: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for answer in attempt.answers.all():
            by_code[answer.competency_code][0] += answer.points_awarded or Decimal(0)
            by_code[answer.competency_code][1] += answer.max_points
        per_code = [
            (f"{by_code[code][0] * 100 / by_code[code][1]:.0f} %" if by_code[code][1] else "")
            if code in by_code
            else ""
            for code in header_extra
        ]
        rows.append(
            [
                names[attempt.trainee_id],
                attempt.assessment.title,
                attempt.number,
                f"{timezone.localtime(attempt.submitted_at):%d/%m/%Y}",
                attempt.score,
                attempt.max_score,
                attempt.percent if attempt.percent is not None else "",
                *per_code,
            ]
        )
    return rows


def _competency_results(enrolments, codes) -> list[list]:
    trainee_ids = [e.trainee_id for e in enrolments]
    results = defaultdict(dict)
    for result in CompetencyResult.objects.filter(trainee_id__in=trainee_ids).select_related(
        "competency"
    ):
        results[result.trainee_id][result.competency.code] = result
    rows = [
        [
            "Stagiaire",
            *(f"{code} : niveau" for code in codes),
            *(f"{code} : décision" for code in codes),
        ]
    ]
    for enrolment in enrolments:
        mine = results.get(enrolment.trainee_id, {})
        rows.append(
            [
                enrolment.trainee.get_full_name(),
                *(
                    (
                        mine[code].computed_level
                        if code in mine and mine[code].computed_level is not None
                        else ""
                    )
                    for code in codes
                ),
                *((mine[code].get_status_display() if code in mine else "") for code in codes),
            ]
        )
    return rows


def _survey_rows(session, as_of) -> list[list]:
    responses = selectors.responses_for(session_id=session.pk).filter(submitted_on__lte=as_of)
    return list(exports.survey_result_rows(selectors.survey_results(responses)))


def _accommodation_rows(enrolments, first_day, as_of) -> list[list]:
    rows = [
        [
            "Stagiaire", "Coefficient de temps", "Format adapté", "Salle et installation",
            "À partir du", "Fin le", "Accord le",
        ]
    ]  # fmt: skip
    names = {e.trainee_id: e.trainee.get_full_name() for e in enrolments}
    accommodations = (
        Accommodation.objects.filter(trainee_id__in=names, starts_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first_day))
        .order_by("trainee__last_name", "trainee__first_name", "starts_on", "pk")
    )
    for item in accommodations:  # never the confidential note
        rows.append(
            [
                names[item.trainee_id],
                item.time_factor_label,
                item.alternative_format,
                item.room_note,
                f"{item.starts_on:%d/%m/%Y}",
                f"{item.ended_on:%d/%m/%Y}" if item.ended_on else "",
                f"{item.consent_on:%d/%m/%Y}",
            ]
        )
    return rows


def pack_files(session, *, as_of: datetime.date) -> list[PackFile]:
    """Every file of the pack of `session`, with data up to `as_of`."""
    training_body = SiteSettings.load().training_body()
    programme = ProgrammePage.objects.live().first()
    enrolments = _people(session)
    slots = SessionSlot.objects.filter(session=session).order_by("date")
    first_day = slots.first().date if slots.exists() else session.week1_start
    codes = sorted(set(_competency_codes()))
    generated_at = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(0, 0)))
    end_of_day = timezone.localtime(generated_at) + datetime.timedelta(hours=23, minutes=59)
    files = []
    if programme is not None:
        files.append(
            PackFile(
                "01-programme-et-objectifs.pdf",
                _programme_pdf(programme, session, training_body),
                "programme",
                "Programme de la formation et ses objectifs, tels que publiés",
            )
        )
    files.append(
        PackFile("02-calendrier.csv", _timetable(session), "timetable",
                 "Calendrier des demi-journées : dates, horaires, salles, modules")
    )  # fmt: skip
    files.append(
        PackFile(
            "03-feuille-emargement.pdf",
            attendance_exports.sheet_pdf(
                session_sheet(session), generated_at=generated_at, training_body=training_body
            ),
            "attendance",
            "Feuille d'émargement par demi-journée (signatures stagiaires et formateurs)",
        )
    )
    for enrolment in enrolments:
        data = documents.completion_data(
            enrolment, training_body=training_body, now_local=end_of_day
        )
        if data is None:
            continue
        files.append(
            PackFile(
                f"04-certificats-realisation/{enrolment.trainee.last_name}-"
                f"{enrolment.trainee.first_name}-{enrolment.pk}.pdf".replace(" ", "-"),
                assessment_pdf.completion_pdf(data),
                "completion",
                f"Certificat de réalisation de {enrolment.trainee.get_full_name()}"
                + (" (provisoire)" if data.provisional else ""),
            )
        )
    files.append(
        PackFile(
            "05-positionnement.csv",
            _csv(_attempt_rows(enrolments, [AssessmentPage.Kind.POSITIONING], codes)),
            "positioning",
            "Résultats du test de positionnement, par stagiaire et par compétence",
        )
    )
    evaluations = _attempt_rows(
        enrolments, [AssessmentPage.Kind.QUIZ, AssessmentPage.Kind.FINAL], codes
    )
    files.append(
        PackFile("06-evaluations-par-stagiaire.csv", _csv(evaluations), "evaluations",
                 "Résultats des évaluations par stagiaire et par compétence (objectif)")
    )  # fmt: skip
    files.append(
        PackFile("07-competences-par-stagiaire.csv", _csv(_competency_results(enrolments, codes)),
                 "evaluations", "Niveau et décision par compétence (objectif) et par stagiaire")
    )  # fmt: skip
    files.append(
        PackFile("08-satisfaction.csv", _csv(_survey_rows(session, as_of)), "surveys",
                 "Résultats des questionnaires de satisfaction à chaud et à froid de la session")
    )  # fmt: skip
    complaints = (
        Complaint.objects.filter(filed_at__date__lte=as_of)
        .filter(Q(session=session) | Q(session__isnull=True, filed_at__date__gte=first_day))
        .select_related("session")
        .prefetch_related("improvement_actions")
        .order_by("filed_at", "pk")
    )
    files.append(
        PackFile("09-reclamations-et-incidents.csv",
                 _csv(exports.complaint_rows(complaints, with_people=False)), "complaints",
                 "Réclamations et incidents de la période, leur traitement, les actions "
                 "d'amélioration décidées")
    )  # fmt: skip
    files.append(
        PackFile("10-amenagements.csv", _csv(_accommodation_rows(enrolments, first_day, as_of)),
                 "accommodations", "Aménagements appliqués (sans information de santé)")
    )  # fmt: skip
    return files


def _competency_codes():
    from modules.models import Competency

    return Competency.objects.values_list("code", flat=True)


def build_pack(session, *, as_of: datetime.date) -> bytes:
    with invariant_pdfs():
        return zip_files(pack_files(session, as_of=as_of), stamp=as_of)
