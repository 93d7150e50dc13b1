"""Reads: what a page, a trainee or a grader needs, in a constant number of queries."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from lms import shared
from lms.formats import format_date
from lms.prepared import Prepared
from lms.roles import is_coordinator, is_staff_role
from modules import access

from .certification.gate import final_access_refusal
from .draw import drawn_count
from .grading import percent_of
from .models import Answer, AssessmentPage, Attempt, Choice, Question, RubricCriterion
from .quality.rules import time_allowed
from .quality.selectors import time_factor_for

# ---------------------------------------------------------------------------- contract for PART B


def competency_scores_from_attempts(trainee_ids) -> dict[int, dict[str, list[Decimal]]]:
    """For each trainee, for each competency code, the percent (0–100) obtained in each assessment.

    Only graded attempts of quizzes and final assessments count (never the positioning test);
    for each assessment, only the trainee's best attempt (highest percent, then latest) is used.
    One query, whatever the number of trainees and attempts.
    """
    rows = (
        Answer.objects.filter(
            attempt__trainee_id__in=list(trainee_ids),
            attempt__status=Attempt.Status.GRADED,
            attempt__assessment__kind__in=[
                AssessmentPage.Kind.QUIZ,
                AssessmentPage.Kind.FINAL,
            ],
        )
        .values_list(
            "attempt_id",
            "attempt__trainee_id",
            "attempt__assessment_id",
            "attempt__percent",
            "attempt__number",
            "competency_code",
            "max_points",
            "points_awarded",
        )
        .order_by()
    )
    # attempt id → (trainee, assessment, percent, number, {code: [obtained, possible]})
    attempts: dict[int, tuple] = {}
    for attempt_id, trainee_id, assessment_id, percent, number, code, possible, points in rows:
        entry = attempts.setdefault(
            attempt_id, (trainee_id, assessment_id, percent or Decimal("0"), number, {})
        )
        pair = entry[4].setdefault(code, [Decimal("0"), Decimal("0")])
        pair[0] += points or Decimal("0")
        pair[1] += possible
    best: dict[tuple[int, int], tuple] = {}
    for entry in attempts.values():
        key = (entry[0], entry[1])
        current = best.get(key)
        if current is None or (entry[2], entry[3]) > (current[2], current[3]):
            best[key] = entry
    result: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for (trainee_id, _assessment_id), entry in sorted(best.items()):
        for code, (obtained, possible) in sorted(entry[4].items()):
            if possible:
                result[trainee_id][code].append(percent_of(obtained, possible))
    return {trainee: dict(codes) for trainee, codes in result.items()}


# ---------------------------------------------------------------------------- access


def can_view_attempt(user, attempt: Attempt) -> bool:
    """The trainee who owns it, the trainers of the session it was taken in, coordinators and
    admins (`modules.access.may_see_work`)."""
    return access.may_see_work(
        user, trainee_id=attempt.trainee_id, enrolment_id=attempt.enrolment_id
    )


# ---------------------------------------------------------------------------- questions


def questions_for(assessment_id: int):
    """The questions of an assessment with their choices and rubric: 3 queries in all."""
    return list(
        Question.objects.filter(page_id=assessment_id)
        .select_related("competency")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("sort_order", "pk")),
            Prefetch(
                "rubric_criteria", queryset=RubricCriterion.objects.order_by("sort_order", "pk")
            ),
        )
        .order_by("sort_order", "pk")
    )


def attempt_for_display(attempt_id: int) -> Attempt | None:
    return Attempt.objects.select_related("assessment", "trainee").filter(pk=attempt_id).first()


def own_attempt(attempt_id: int, user) -> Attempt | None:
    """`user`'s own attempt with its assessment, None for anybody else's (one query): the
    trainee is the person asking, not loaded again."""
    attempt = (
        Attempt.objects.select_related("assessment").filter(pk=attempt_id, trainee=user).first()
    )
    if attempt is not None:
        attempt.trainee = user
    return attempt


def attempt_answers(attempt: Attempt, *, keys=None) -> list[Answer]:
    """The answers of an attempt in the order it asks them, each with its frozen question
    (`Answer.snapshot`): one query. `keys` limits them to some question ids."""
    answers = Answer.objects.filter(attempt=attempt).select_related("grader")
    if keys is not None:
        answers = answers.filter(question_key__in=list(keys))
    return list(answers.order_by("position", "pk"))


# ---------------------------------------------------------------------------- pages


def attempts_of(user, assessment_ids) -> list[Attempt]:
    if not user.is_authenticated:
        return []
    return list(
        Attempt.objects.filter(trainee=user, assessment_id__in=list(assessment_ids)).order_by(
            "assessment_id", "number"
        )
    )


def start_refusal(user, assessment, attempts: list[Attempt], now) -> str | None:
    """Why `user` may not start (or resume) an attempt now; None when they may."""
    if not user.is_authenticated:
        return "Connectez-vous pour commencer cette évaluation."
    if any(attempt.is_in_progress for attempt in attempts):
        return None
    staff = is_staff_role(user)
    if not staff and not access.has_active_enrolment(user):
        return "Cette évaluation est réservée aux stagiaires inscrits à une session."
    if not staff and not assessment.is_open_at(now):
        if assessment.available_from and now < assessment.available_from:
            return "Cette évaluation n'est pas encore ouverte."
        return "Cette évaluation est fermée."
    if not staff:
        # The final evaluation's access rules (attendance to date, positioning test).
        refusal = final_access_refusal(user, assessment, now)
        if refusal:
            return refusal
    if len(attempts) >= assessment.attempts_allowed:
        return "Vous avez utilisé toutes vos tentatives."
    return None


def assessment_page_state(user, assessment, *, now) -> dict:
    attempts = attempts_of(user, [assessment.pk])
    in_progress = next((a for a in attempts if a.is_in_progress), None)
    refusal = start_refusal(user, assessment, attempts, now)
    done = [a for a in attempts if not a.is_in_progress]
    return {
        "time_allowed": _time_allowed_for(user, assessment, now),
        "attempts": done,
        "in_progress": in_progress,
        "attempts_left": max(assessment.attempts_allowed - len(attempts), 0),
        "start_refusal": refusal,
        "question_count": drawn_count(
            Question.objects.filter(page_id=assessment.pk).values_list("competency_id", flat=True),
            assessment.draw_per_competency,
        ),
    }


def _time_allowed_for(user, assessment, now) -> dict | None:
    """The time this user will have, when an accommodation lengthens it (else None)."""
    if not assessment.time_limit_minutes or not getattr(user, "is_authenticated", False):
        return None
    factor = time_factor_for(user, timezone.localdate(now))
    if factor == 1:
        return None
    allowed = time_allowed(assessment.time_limit_minutes, factor)
    return {"minutes": math.ceil(allowed.total_seconds() / 60), "factor": factor}


def best_attempt(attempts: list[Attempt]) -> Attempt | None:
    finished = [a for a in attempts if not a.is_in_progress]
    if not finished:
        return None
    return max(finished, key=lambda a: (a.percent or Decimal("0"), a.number))


def assessment_rows_for(user, *, index) -> list[dict]:
    """Each live assessment under `index`, with the user's attempts: 2 queries."""
    pages = list(
        AssessmentPage.objects.live().child_of(index).order_by("path").only(
            "title", "slug", "url_path", "kind", "time_limit_minutes", "attempts_allowed",
            "pass_mark_percent", "path", "depth",
        )
    )  # fmt: skip
    by_page = defaultdict(list)
    for attempt in attempts_of(user, [page.pk for page in pages]):
        by_page[attempt.assessment_id].append(attempt)
    rows = []
    for page in pages:
        attempts = by_page[page.pk]
        rows.append(
            {
                "page": page,
                "attempts": attempts,
                "in_progress": next((a for a in attempts if a.is_in_progress), None),
                "best": best_attempt(attempts),
            }
        )
    return rows


# ---------------------------------------------------------------------------- grading queue


def grading_queue(user, *, pending: bool = True):
    """Open answers to grade (or recently graded) that `user` may grade: one query with joins."""
    queryset = access.visible_work(
        user,
        Answer.objects.filter(needs_grading=True).exclude(
            attempt__status=Attempt.Status.IN_PROGRESS
        ),
        trainee="attempt__trainee",
        enrolment="attempt__enrolment",
    ).exclude(attempt__trainee=user)
    if pending:
        queryset = queryset.filter(points_awarded__isnull=True).order_by(
            "attempt__submitted_at", "position"
        )
    else:
        queryset = queryset.filter(points_awarded__isnull=False).order_by("-graded_at")
    return queryset.select_related(
        "attempt", "attempt__trainee", "attempt__assessment", "question", "grader"
    )


def late_answers(user):
    """Answers that reached the server after their attempt closed (kept, never graded), that
    `user` may see, newest first: one query with joins."""
    return (
        access.visible_work(
            user,
            Answer.objects.filter(late_received_at__isnull=False),
            trainee="attempt__trainee",
            enrolment="attempt__enrolment",
        )
        .exclude(attempt__trainee=user)
        .order_by("-late_received_at")
        .select_related("attempt", "attempt__trainee", "attempt__assessment")
    )


def can_see_answer(user, answer: Answer) -> bool:
    """Trainers of the session the attempt was taken in, coordinators (read) and admins."""
    if not user.is_authenticated or not is_staff_role(user):
        return False
    if is_coordinator(user):
        return True
    return can_grade_answer(user, answer)


def can_grade_answer(user, answer: Answer) -> bool:
    """Grading is the trainers' job (architecture: coordinators read): trainers of the session
    the attempt was taken in, and admins; never one's own answer."""
    return access.may_grade_work(
        user, trainee_id=answer.attempt.trainee_id, enrolment_id=answer.attempt.enrolment_id
    )


# ---------------------------------------------------------------------------- "Aujourd'hui"


def date_label(day) -> str:
    """ "mercredi 11 mars": a due date in the year at hand."""
    return format_date(day, year=False)


@dataclass(frozen=True)
class DueAssessment:
    """A live assessment as "Aujourd'hui" lists it for a session (shared by its trainees)."""

    pk: int
    title: str
    url: str
    is_positioning: bool
    attempts_allowed: int
    module_dates: tuple[datetime.date, ...]  # the session's days teaching its modules


def session_assessments(session_id) -> tuple[DueAssessment, ...]:
    """Every live assessment with the days the session teaches its modules, in tree order:
    the same for every trainee of the session, built once per state of the site (lms.shared;
    three queries when built)."""
    from modules.models import SessionSlot

    def build() -> tuple[DueAssessment, ...]:
        pages = list(
            AssessmentPage.objects.live().order_by("path").only(
                "title", "slug", "url_path", "kind", "attempts_allowed", "path", "depth",
            )
        )  # fmt: skip
        modules_of = defaultdict(set)
        for page_id, module_id in AssessmentPage.modules.through.objects.filter(
            assessmentpage_id__in=[page.pk for page in pages]
        ).values_list("assessmentpage_id", "modulepage_id"):
            modules_of[page_id].add(module_id)
        dates_of_module = defaultdict(list)
        for module_id, day in SessionSlot.modules.through.objects.filter(
            sessionslot__session_id=session_id
        ).values_list("modulepage_id", "sessionslot__date"):
            dates_of_module[module_id].append(day)
        return tuple(
            DueAssessment(
                pk=page.pk,
                title=page.title,
                url=page.url,
                is_positioning=page.is_positioning,
                attempts_allowed=page.attempts_allowed,
                module_dates=tuple(
                    day for module in modules_of[page.pk] for day in dates_of_module[module]
                ),
            )
            for page in pages
        )

    return shared.shared("session-assessments", session_id, build, generation=shared.generation())


def _attempt_states_query(trainee_id):
    return (
        Attempt.objects.filter(trainee_id=trainee_id)
        .order_by()
        .values_list("assessment_id", "status", "passed")
    )


# Every attempt of the trainee (a few): "Aujourd'hui" asks on every visit, compiled once
# (lms.prepared); `passed` is read with bool() (SQLite gives 0 / 1).
_ATTEMPT_STATES = Prepared(_attempt_states_query)


def due_assessments(user, enrolment, today) -> list[dict]:
    """The assessments a trainee still has to take: the positioning test before day 1, then each
    quiz or final assessment once its modules have started in the session, due on the day of the
    last half-day teaching them. Not passed and still open to an attempt (as
    the assessments list shows). One query (the trainee's attempts); the session's assessments
    and their days are shared (`session_assessments`)."""
    catalogue = session_assessments(enrolment.session_id)
    if not catalogue:
        return []
    mine = defaultdict(list)
    listed = {item.pk for item in catalogue}
    for assessment_id, status, passed in _ATTEMPT_STATES.rows(user.pk):
        if assessment_id in listed:
            mine[assessment_id].append((status == Attempt.Status.IN_PROGRESS, bool(passed)))
    items = []
    for item in catalogue:
        attempts = mine[item.pk]
        if any(passed for _, passed in attempts):
            continue
        in_progress = any(running for running, _ in attempts)
        if item.is_positioning and any(not running for running, _ in attempts):
            continue
        if not in_progress and len(attempts) >= item.attempts_allowed:
            continue
        if item.is_positioning:
            items.append(
                {
                    "label": item.title,
                    "url": item.url,
                    "due_label": "avant le jour 1",
                    "due_date": getattr(enrolment, "first_day", None)
                    or enrolment.session.week1_start,
                }
            )
            continue
        dates = item.module_dates
        if not dates or min(dates) > today:
            continue
        items.append(
            {
                "label": item.title,
                "url": item.url,
                "due_label": date_label(max(dates)),
                "due_date": max(dates),
            }
        )
    return items
