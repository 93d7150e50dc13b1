"""Rows of the quality exports (CSV through `lms.csvfiles`, and the evidence pack)."""

from django.utils import timezone

from lms.formats import format_number

COMPLAINT_HEADER = [
    "Numéro",
    "Type",
    "Déposée le",
    "Par",
    "Session",
    "Objet",
    "Description",
    "Statut",
    "Réception accusée le",
    "Analysée le",
    "Analyse",
    "Réponse le",
    "Réponse",
    "Clôturée le",
    "Actions d'amélioration",
]


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""


def _action_text(action) -> str:
    parts = [action.description]
    if action.owner:
        parts.append(f"responsable : {action.owner}")
    if action.due_on:
        parts.append(f"échéance : {action.due_on:%d/%m/%Y}")
    parts.append(f"réalisée le {action.done_on:%d/%m/%Y}" if action.done_on else "à réaliser")
    return " — ".join(parts)


def complaint_rows(complaints, *, with_people: bool = True):
    """The header, then one row per complaint. `with_people=False` leaves out who filed it
    (the evidence pack keeps the handling, not the person)."""
    header = list(COMPLAINT_HEADER)
    if not with_people:
        header.remove("Par")
    yield header
    for complaint in complaints:
        row = [
            complaint.reference,
            complaint.get_kind_display(),
            _day(complaint.filed_at),
            f"{complaint.filer_name} ({complaint.get_filer_role_display()})",
            complaint.session.name if complaint.session else "",
            complaint.subject,
            complaint.description,
            complaint.get_status_display(),
            _day(complaint.acknowledged_at),
            _day(complaint.analysed_at),
            complaint.analysis,
            _day(complaint.answered_at),
            complaint.answer,
            _day(complaint.closed_at),
            " | ".join(_action_text(action) for action in complaint.improvement_actions.all()),
        ]
        if not with_people:
            del row[3]
        yield row


SURVEY_HEADER = [
    "Questionnaire",
    "Semaine",
    "Question",
    "Thème",
    "Réponses",
    "Moyenne /5",
    "Satisfait·es (4 ou 5) %",
    "Répartition 1-5 ou choix",
    "Réponses libres",
]


def _decimal(value) -> str:
    """ "4,5": a French spreadsheet reads "4.5" as a date or text."""
    return "" if value is None else format_number(value)


def survey_result_rows(groups, *, with_session: bool = False):
    """The header, then one row per question of `selectors.survey_results(...)`: counts,
    averages, distributions and free texts (sorted) — figures about answers, never a person, a
    response or the order answers came in (anonymous answers stay anonymous). With
    `with_session`, a first column names the session (`survey_results(by_session=True)`)."""
    yield (["Session"] if with_session else []) + SURVEY_HEADER
    for group in groups:
        for question in group["questions"]:
            scale = question.get("scale")
            detail = ""
            if scale:
                detail = " / ".join(str(count) for count in scale.distribution)
            elif question.get("choices"):
                detail = " ; ".join(f"{option} : {count}" for option, count in question["choices"])
            row = [
                group["title"],
                group["week"] or "",
                question["text"],
                question["measure"],
                question["count"],
                _decimal(scale.mean) if scale else "",
                _decimal(scale.satisfied_percent) if scale else "",
                detail,
                " | ".join(text for text in question.get("texts", []) if text),
            ]
            yield ([group["session"]] if with_session else []) + row
