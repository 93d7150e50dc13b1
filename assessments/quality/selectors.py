"""Reads of the quality app: querysets with what their pages need, scoped through
`modules.access`."""

import datetime
from decimal import Decimal

from django.db.models import Count, Min

from modules import access
from modules.models import TrainingSession

from . import rules
from .models import (
    Accommodation,
    Complaint,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from .rules import Measure, Moment, QuestionKind

# --- Accommodations ------------------------------------------------------------------------------


def accommodations_in_force(trainee_ids, on: datetime.date):
    """Accommodations in force on `on` for the given trainees (one query when evaluated)."""
    return (
        Accommodation.objects.filter(trainee_id__in=trainee_ids, starts_on__lte=on)
        .exclude(ended_on__lte=on)
        .select_related("trainee")
    )


def time_factor_for(trainee, on: datetime.date) -> Decimal:
    """The time factor applied to the timed assessments `trainee` starts on `on` (1 without an
    accommodation in force). One query."""
    if not getattr(trainee, "pk", None):
        return Decimal(1)
    factors = accommodations_in_force([trainee.pk], on).values_list("time_factor", flat=True)
    return rules.combined_factor(factors)


def visible_accommodations(user):
    """Every accommodation `user` may read (`modules.access.visible_accommodations`), newest
    first within each trainee."""
    queryset = Accommodation.objects.select_related("trainee", "recorded_by")
    return access.visible_accommodations(user, queryset)


def own_accommodations(trainee, on: datetime.date) -> list[Accommodation]:
    return list(accommodations_in_force([trainee.pk], on))


def session_accommodations(session, on: datetime.date) -> list[Accommodation]:
    """Accommodations in force for the active trainees of `session` (for its trainers)."""
    trainee_ids = session.enrolments.filter(status__in=access.Status.ACTIVE).values("trainee_id")
    return list(accommodations_in_force(trainee_ids, on))


# --- Complaints ----------------------------------------------------------------------------------


def visible_complaints(user):
    return access.visible_complaints(user, Complaint.objects.select_related("session", "filed_by"))


def complaint_for(user, complaint_id: int) -> Complaint | None:
    """One complaint `user` may read, with its steps and actions (404 otherwise)."""
    return (
        visible_complaints(user)
        .prefetch_related("steps__by", "improvement_actions__decided_by")
        .filter(pk=complaint_id)
        .first()
    )


def complaints_filed_between(start: datetime.date, end: datetime.date):
    """Complaints filed from `start` to `end` included (local dates), for the export and the
    evidence pack, oldest first, with their actions."""
    return (
        Complaint.objects.filter(filed_at__date__gte=start, filed_at__date__lte=end)
        .select_related("session")
        .prefetch_related("improvement_actions")
        .order_by("filed_at", "pk")
    )


# --- Surveys -------------------------------------------------------------------------------------


def pending_invitations(trainee, today: datetime.date) -> list[SurveyInvitation]:
    """The trainee's surveys open today and not answered yet."""
    return list(
        SurveyInvitation.objects.filter(
            enrolment__trainee=trainee,
            answered_at__isnull=True,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("survey", "enrolment__session")
        .order_by("opens_on", "pk")
    )


def responses_for(*, sessions=None, territory_id=None, year=None, session_id=None):
    """Survey responses, limited to `sessions` (a queryset; None for all) and the filters."""
    responses = SurveyResponse.objects.all()
    if sessions is not None:
        responses = responses.filter(session__in=sessions)
    if territory_id:
        responses = responses.filter(session__territory_id=territory_id)
    if year:
        responses = responses.filter(session__week1_start__year=year)
    if session_id:
        responses = responses.filter(session_id=session_id)
    return responses


def _answers(responses):
    return SurveyAnswer.objects.filter(response__in=responses).values_list(
        "response__session_id",
        "response__session__name",
        "response__survey_id",
        "response__survey__title",
        "response__moment",
        "response__week",
        "question_id",
        "question_text",
        "kind",
        "measure",
        "score",
        "value",
    )


def survey_results(responses, *, with_texts: bool = True, by_session: bool = False) -> list[dict]:
    """Per survey (and week; and session when `by_session`), per question: the summary of its
    answers — never who gave them (free texts are sorted, not in the order they came). Two
    queries."""
    ordering = ["response__survey__path", "response__week", "pk"]
    if by_session:
        ordering = ["response__session__week1_start", "response__session__name", *ordering]
    rows = list(_answers(responses).order_by(*ordering))
    options = {
        question.pk: question.choice_list
        for question in SurveyQuestion.objects.filter(pk__in={row[6] for row in rows if row[6]})
    }
    per_group: dict[tuple, dict] = {}
    for row in rows:
        session_id, session, survey_id, title, moment, week = row[:6]
        question_id, text, kind, measure, score, value = row[6:]
        key = (session_id if by_session else None, survey_id, week)
        group = per_group.setdefault(
            key,
            {
                "session": session if by_session else "",
                "title": title,
                "moment": moment,
                "week": week,
                "questions": {},
            },
        )
        question = group["questions"].setdefault(
            (question_id, text),
            {"text": text, "kind": kind, "measure": Measure(measure).label, "values": []},
        )
        question["values"].append(score if kind == QuestionKind.SCALE else value)
    results = []
    for group in per_group.values():
        questions = []
        for (question_id, _text), question in group["questions"].items():
            values = question.pop("values")
            if question["kind"] == QuestionKind.SCALE:
                question["scale"] = rules.summarise_scores(values)
            elif question["kind"] == QuestionKind.CHOICE:
                question["choices"] = rules.count_choices(values, options.get(question_id, []))
                question["total"] = len(values)
            elif with_texts:
                question["texts"] = sorted(values)
            question["count"] = len(values)
            questions.append(question)
        group["questions"] = questions
        results.append(group)
    return results


def satisfaction_by_measure(responses) -> list[dict]:
    """Each measure's scale summary, à chaud and à froid. One query."""
    scores: dict[tuple[str, bool], list[int]] = {}
    for moment, measure, score in (
        SurveyAnswer.objects.filter(response__in=responses, kind=QuestionKind.SCALE)
        .values_list("response__moment", "measure", "score")
        .order_by()
    ):
        scores.setdefault((measure, moment == Moment.FOLLOW_UP), []).append(score)
    return [
        {
            "measure": measure.label,
            "hot": rules.summarise_scores(scores.get((measure.value, False), [])),
            "cold": rules.summarise_scores(scores.get((measure.value, True), [])),
        }
        for measure in Measure
    ]


def satisfaction_by_session(responses) -> list[dict]:
    """Per session: responses, and the satisfied share of scale answers à chaud and à froid.
    Two queries."""
    scores: dict[tuple[int, bool], list[int]] = {}
    for session_id, moment, score in (
        SurveyAnswer.objects.filter(response__in=responses, kind=QuestionKind.SCALE)
        .values_list("response__session_id", "response__moment", "score")
        .order_by()
    ):
        scores.setdefault((session_id, moment == Moment.FOLLOW_UP), []).append(score)
    rows = (
        responses.values("session_id", "session__name", "session__territory__name")
        .annotate(count=Count("pk"), first=Min("session__week1_start"))
        .order_by("-first", "session__name")
    )
    return [
        {
            "session_id": row["session_id"],
            "name": row["session__name"],
            "territory": row["session__territory__name"],
            "year": row["first"].year,
            "responses": row["count"],
            "hot": rules.summarise_scores(scores.get((row["session_id"], False), [])),
            "cold": rules.summarise_scores(scores.get((row["session_id"], True), [])),
        }
        for row in rows
    ]


# --- Public results ------------------------------------------------------------------------------


def satisfaction_since(since: datetime.date, until: datetime.date) -> dict:
    """Scale answers and questionnaires filled between two days, à chaud and à froid. Two
    queries."""
    scores: dict[bool, list[int]] = {False: [], True: []}
    for moment, score in (
        SurveyAnswer.objects.filter(
            kind=QuestionKind.SCALE,
            response__submitted_on__gte=since,
            response__submitted_on__lte=until,
        )
        .values_list("response__moment", "score")
        .order_by()
    ):
        scores[moment == Moment.FOLLOW_UP].append(score)
    filled = dict(
        SurveyInvitation.objects.filter(answered_at__date__gte=since, answered_at__date__lte=until)
        .values("survey__moment")
        .annotate(count=Count("pk"))
        .values_list("survey__moment", "count")
        .order_by()
    )
    cold = filled.get(Moment.FOLLOW_UP, 0)
    return {
        "hot": rules.summarise_scores(scores[False]),
        "cold": rules.summarise_scores(scores[True]),
        "hot_questionnaires": sum(filled.values()) - cold,
        "cold_questionnaires": cold,
    }


def public_results(as_of: datetime.date) -> dict:
    """Everything the public "Résultats" page shows: the national tracker's figures and the
    published figures with their base and period (`rules.public_figures`)."""
    from ..certification.selectors import tracker_figures

    figures = tracker_figures(None, as_of)
    first = (
        TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED)
        .filter(week1_start__lte=as_of)
        .aggregate(first=Min("week1_start"))["first"]
    )
    satisfaction = satisfaction_since(
        as_of - datetime.timedelta(days=rules.SATISFACTION_PERIOD_DAYS - 1), as_of
    )
    figures["published"] = rules.public_figures(
        as_of=as_of,
        first_session_start=first,
        trained=figures["ended"],
        success_rate=figures["success_rate"],
        attendance_rate=figures["attendance_rate"],
        half_days_recorded=figures["attendance_recorded"],
        **satisfaction,
    )
    return figures
