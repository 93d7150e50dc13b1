"""Reads that feed the certificat de réalisation (or the provisional attendance statement):
plain values for `assessments.pdf.CompletionData`, decided by `completion.completion_issue`."""

import datetime
from collections.abc import Mapping
from types import MappingProxyType

from django.db.models import Max, Min

from lms import shared
from lms.pdf import TrainingBody
from modules.models import Enrolment, SessionSlot

from .. import pdf
from ..models import CompetencyResult
from . import rules
from . import selectors as reads
from .completion import Issue, completion_issue
from .models import Certification


def last_half_days(session_ids) -> dict[int, tuple[datetime.date, datetime.time]]:
    """{session id: (date, end time) of its last half-day}, in one query."""
    last: dict[int, tuple[datetime.date, datetime.time]] = {}
    for session_id, day, end in (
        SessionSlot.objects.filter(session_id__in=list(session_ids))
        .order_by("session_id", "-date", "-end_time")
        .values_list("session_id", "date", "end_time")
    ):
        last.setdefault(session_id, (day, end))
    return last


def shared_last_half_days(session_ids) -> Mapping[int, tuple[datetime.date, datetime.time]]:
    """`last_half_days` as every page shares them (`lms.shared`: a changed half-day moves the
    generation), for pages that only show them ("Mon parcours"); documents read them fresh."""
    key = tuple(sorted(set(session_ids)))
    return shared.shared(
        "last-half-days",
        key,
        lambda: MappingProxyType(last_half_days(key)),
        generation=shared.generation(),
    )


def completion_issues(
    session_ids, now_local: datetime.datetime, *, shared_days: bool = False
) -> dict[int, Issue]:
    """{session id: final or provisional, and the issue date} for the sessions given
    (`shared_days`: their last half-days from `shared_last_half_days`)."""
    last = shared_last_half_days(session_ids) if shared_days else last_half_days(session_ids)
    return {
        session_id: completion_issue(
            last_day=last.get(session_id, (None, None))[0],
            last_end=last.get(session_id, (None, None))[1],
            now_local=now_local,
        )
        for session_id in session_ids
    }


def _result_label(result: CompetencyResult | None) -> str:
    if result is None or result.computed_level is None and not result.is_validated:
        return "non évaluée"
    if result.is_validated:
        return "validée"
    if result.status == CompetencyResult.Status.INVALIDATED:
        return "non validée"
    return f"en cours ({rules.format_percent(result.computed_level)} %)"


def completion_data(
    enrolment: Enrolment, *, training_body: TrainingBody, now_local: datetime.datetime
) -> pdf.CompletionData | None:
    """What the document states for `enrolment` (its trainee, structure, session and territory
    loaded), or None when no half-day was attended. About eight queries."""
    hours = reads.attended_hours([enrolment.pk]).get(enrolment.pk)
    if not hours:
        return None
    programme = reads.programme_rules()
    session = enrolment.session
    days = SessionSlot.objects.filter(session=session).aggregate(
        first=Min("date"), last=Max("date")
    )
    issue = completion_issues([session.pk], now_local)[session.pk]
    results = reads.results_by_trainee([enrolment.trainee_id]).get(enrolment.trainee_id, {})
    certification = (
        Certification.objects.filter(enrolment=enrolment, status=Certification.Status.VALID)
        .only("number")
        .first()
    )
    return pdf.CompletionData(
        full_name=enrolment.trainee.get_full_name(),
        structure=enrolment.structure.name if enrolment.structure else "",
        programme_title=programme.title,
        objectives_markdown=programme.objectives,
        session_name=session.name,
        territory=session.territory.name,
        first_day=days["first"],
        last_day=days["last"],
        programme_hours=programme.duration_hours,
        attended_hours=hours,
        results=[
            (competency.code, competency.title, _result_label(results.get(competency.code)))
            for competency in reads.competencies()
        ],
        issued_on=issue.issued_on,
        provisional=issue.provisional,
        training_body=training_body,
        certification_number=certification.number if certification else "",
    )
