"""Writes on attempts and answers: start, autosave, submit (once), expire, grade.

Every function is keyword-only and atomic. Submitting locks the attempt row
(`select_for_update`) and checks its status, so a double or concurrent submit grades once.

An attempt is frozen when it starts: each answer keeps a snapshot of its question (see
`Answer.snapshot`), drawn and shuffled once; saving, submitting and grading read those
snapshots only, so a revision published meanwhile changes nothing in the attempt.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.notifications.services import after_commit
from lms.text import without_nul
from modules.access import work_enrolment

from . import tasks
from .draw import draw_questions, shuffle_choices
from .grading import (
    Kind,
    QuestionSpec,
    RubricError,
    ScoredAnswer,
    attempt_totals,
    grade_answer,
    rubric_total,
    spec_to_snapshot,
)
from .models import Answer, AssessmentPage, Attempt
from .quality.selectors import time_factor_for
from .selectors import attempts_of, questions_for, start_refusal


def late_grace() -> datetime.timedelta:
    """How long after its deadline an attempt still accepts answers (the countdown runs on the
    trainee's device; a quiz taken offline sends its answers when the connection returns).
    Setting ASSESSMENT_LATE_GRACE_SECONDS."""
    return datetime.timedelta(seconds=settings.ASSESSMENT_LATE_GRACE_SECONDS)


class AttemptError(Exception):
    """A refusal with a French message for the trainee."""

    def __init__(self, message: str, *, attempt: Attempt | None = None):
        super().__init__(message)
        self.message = message
        self.attempt = attempt


class UnknownQuestionError(AttemptError):
    """A value for a question that is not part of the attempt: nothing was stored."""


class LateAnswerError(AttemptError):
    """The attempt was closed when the values arrived: they are kept as late answers (shown to
    trainers, never graded), the answers of the attempt are unchanged."""


class GradingError(Exception):
    """French messages: {"criterion_<i>": message, "__all__": message}."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def is_overdue(attempt: Attempt, now: datetime.datetime) -> bool:
    return bool(attempt.deadline and now > attempt.deadline + late_grace())


# ---------------------------------------------------------------------------- start


def attempt_questions(assessment: AssessmentPage, rng: random.Random) -> list[QuestionSpec]:
    """What a new attempt asks: the questions drawn from the bank (all of them unless the
    assessment draws N per competency), each with its choices shuffled unless the author fixed
    their order. Three queries."""
    questions = questions_for(assessment.pk)
    fixed = {question.pk for question in questions if question.fixed_choice_order}
    drawn = draw_questions(
        (question.to_spec(question.competency.code) for question in questions),
        assessment.draw_per_competency,
        rng,
    )
    return [shuffle_choices(spec, rng, fixed=spec.key in fixed) for spec in drawn]


def attempt_start(*, trainee, assessment: AssessmentPage, now=None, rng=None) -> Attempt:
    """The trainee's attempt in progress, or a new one when they may start one.

    Eligibility: a logged-in trainee with an active enrolment (or a trainer, coordinator or admin
    previewing), within the availability window, with attempts left. An overdue attempt in
    progress is submitted first (time-out). The deadline of a timed attempt includes the extra
    time of the trainee's accommodation in force that day (`quality`). A new attempt freezes its
    questions (drawn and shuffled with `rng`, `random.SystemRandom()` by default) in one answer
    per question.
    """
    now = now or timezone.now()
    for attempt in attempts_of(trainee, [assessment.pk]):
        if attempt.is_in_progress:
            if not is_overdue(attempt, now):
                return attempt
            attempt_submit(attempt=attempt, now=now, timed_out=True)
    attempts = attempts_of(trainee, [assessment.pk])
    refusal = start_refusal(trainee, assessment, attempts, now)
    if refusal:
        raise AttemptError(refusal)
    specs = attempt_questions(assessment, rng or random.SystemRandom())
    if not specs:
        raise AttemptError("Cette évaluation n'a pas encore de questions.")
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                trainee=trainee,
                # The session the attempt belongs to (modules.access): its trainers grade it.
                enrolment=work_enrolment(trainee, timezone.localdate(now)),
                assessment=assessment,
                number=max((a.number for a in attempts), default=0) + 1,
                started_at=now,
                deadline=assessment.deadline_for(
                    now, time_factor_for(trainee, timezone.localdate(now))
                ),
                max_score=sum((spec.points for spec in specs), Decimal("0")),
            )
            Answer.objects.bulk_create(
                Answer(
                    attempt=attempt,
                    question_id=spec.key,
                    question_key=spec.key,
                    snapshot=spec_to_snapshot(spec),
                    position=position,
                    competency_code=spec.competency,
                    max_points=spec.points,
                    needs_grading=spec.is_open,
                )
                for position, spec in enumerate(specs)
            )
    except IntegrityError:
        # A concurrent request started it first (one attempt in progress at most).
        existing = Attempt.objects.filter(
            trainee=trainee, assessment=assessment, status=Attempt.Status.IN_PROGRESS
        ).first()
        if existing is None:
            raise
        return existing
    return attempt


# ---------------------------------------------------------------------------- autosave


def clean_value(spec: QuestionSpec, raw):
    """The JSON value stored for what the trainee sent (strings from a form, or JSON).

    `spec` is the question as frozen in the attempt. Unknown choices are dropped; an invalid
    number is kept as typed (it scores 0), so that nothing the trainee typed is lost.
    """
    kind = spec.kind
    if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
        known = {choice.key for choice in spec.choices}
        items = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
        keys = []
        for item in items:
            try:
                key = int(item)
            except (TypeError, ValueError):
                continue
            if key in known and key not in keys:
                keys.append(key)
        if kind == Kind.SINGLE_CHOICE:
            return keys[0] if keys else None
        return keys
    if kind == Kind.TRUE_FALSE:
        if isinstance(raw, list | tuple):
            raw = raw[0] if raw else None
        if isinstance(raw, bool) or raw is None:
            return raw
        text = str(raw).strip().lower()
        if text in {"true", "vrai", "1"}:
            return True
        if text in {"false", "faux", "0"}:
            return False
        return None
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else ""
    text = "" if raw is None else without_nul(str(raw))  # PostgreSQL refuses NUL in JSON
    return text[: text_limit(kind)]


def text_limit(kind) -> int:
    """Characters kept of a typed answer (the autosave says so in French beyond it)."""
    return 20_000 if kind == Kind.LONG_TEXT else 500


def _question_key(question) -> int:
    """Values may be keyed by a Question, a FrozenQuestion or a question id."""
    return int(getattr(question, "pk", question))


CLOSED = "Cette tentative est déjà envoyée : vos réponses ne peuvent plus être modifiées."
CLOSED_AFTER_TIME_UP = "Le temps est écoulé : vos réponses enregistrées ont été envoyées."
LATE_AFTER_TIME_UP = (
    "Le temps est écoulé : cette réponse est arrivée après la fin du délai. Elle est gardée pour "
    "votre formateur ou formatrice, mais elle n'est pas comptée dans la note."
)
LATE_AFTER_SUBMIT = (
    "Cette tentative est déjà envoyée : cette réponse n'est pas comptée dans la note ; elle est "
    "gardée pour votre formateur ou formatrice."
)


def attempt_save_answers(*, attempt: Attempt, values: dict, now=None) -> int:
    """Autosave several answers at once ({question or question id: raw value}); returns how
    many were stored (see `_save_answers`)."""
    return len(_save_answers(attempt=attempt, values=values, now=now))


def attempt_save_answer(*, attempt: Attempt, question, value, now=None) -> Answer:
    """Autosave one answer; returns it as stored (with its frozen question, `spec`)."""
    key = _question_key(question)
    return _save_answers(attempt=attempt, values={key: value}, now=now)[key]


def _save_answers(*, attempt: Attempt, values: dict, now=None) -> dict[int, Answer]:
    """Store the answers ({question or question id: raw value}); returns them by question key.

    Raises UnknownQuestionError (nothing stored) when a question is not part of the attempt.
    When the attempt is closed (submitted, or past its deadline plus the grace period: it is
    then submitted with what was saved before), the values that differ from the stored answers
    are kept as late answers and LateAnswerError is raised: nothing is discarded, nothing late
    is graded. Values identical to the stored answers are not late: AttemptError then says the
    attempt is closed.
    """
    now = now or timezone.now()
    values = {_question_key(question): raw for question, raw in values.items()}
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        answers = {
            answer.question_key: answer
            for answer in Answer.objects.filter(attempt=locked, question_key__in=list(values))
        }
        if any(key not in answers or answers[key].spec is None for key in values):
            raise UnknownQuestionError(
                "Cette question ne fait pas partie de votre tentative : la réponse n'est pas "
                "enregistrée. Rechargez la page.",
                attempt=locked,
            )
        if locked.is_in_progress and not is_overdue(locked, now):
            for key, raw in values.items():
                answers[key].value = clean_value(answers[key].spec, raw)
                answers[key].saved_at = now
            if len(answers) == 1:  # the autosave: a plain UPDATE costs less to build
                (answer,) = answers.values()
                Answer.objects.filter(pk=answer.pk).update(value=answer.value, saved_at=now)
            else:  # like the update above, sends no signal
                Answer.objects.bulk_update(list(answers.values()), ["value", "saved_at"])
            return answers
        if locked.is_in_progress:
            # Past the deadline and its grace period: submit what was saved before.
            attempt_submit(attempt=locked, now=now, timed_out=True)
        late = []
        for key, raw in values.items():
            value = clean_value(answers[key].spec, raw)
            if value != answers[key].value:
                answers[key].late_value = value
                answers[key].late_received_at = now
                late.append(answers[key])
        Answer.objects.bulk_update(late, ["late_value", "late_received_at"])
    timed_out = locked.timed_out or bool(locked.deadline and now > locked.deadline)
    if not late:  # what arrived is what the attempt holds: nothing is late
        raise AttemptError(CLOSED_AFTER_TIME_UP if timed_out else CLOSED, attempt=locked)
    raise LateAnswerError(LATE_AFTER_TIME_UP if timed_out else LATE_AFTER_SUBMIT, attempt=locked)


# ---------------------------------------------------------------------------- submit


def _recompute(attempt: Attempt, answers: list[Answer], now) -> None:
    totals = attempt_totals(
        (
            ScoredAnswer(
                competency=answer.competency_code,
                max_points=answer.max_points,
                points=answer.points_awarded,
                needs_manual=answer.needs_grading,
            )
            for answer in answers
        ),
        attempt.assessment.pass_mark_percent,
    )
    attempt.auto_score = totals.auto_score
    attempt.manual_score = totals.manual_score
    attempt.score = totals.score
    attempt.max_score = totals.max_score
    attempt.percent = totals.percent
    attempt.passed = totals.passed
    if totals.pending:
        attempt.status = Attempt.Status.SUBMITTED
        attempt.graded_at = None
    else:
        attempt.status = Attempt.Status.GRADED
        attempt.graded_at = attempt.graded_at or now


def attempt_submit(*, attempt: Attempt, now=None, timed_out: bool = False) -> Attempt:
    """Submit once: grades the closed questions, leaves the open ones to a trainer.

    Idempotent and concurrency-safe: the attempt row is locked and its status checked, so a
    second (or concurrent) call returns the attempt as it was graded the first time. Grades
    each answer against the question as frozen at the start (its snapshot).
    A constant number of queries whatever the number of questions.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("assessment")
            .get(pk=attempt.pk)
        )
        if not locked.is_in_progress:
            return locked
        answers = list(Answer.objects.filter(attempt=locked))
        for answer in answers:
            spec = answer.spec
            if spec is None:  # question deleted before snapshots existed: nothing to grade
                answer.points_awarded, answer.is_correct, answer.needs_grading = (
                    Decimal("0"), False, False,
                )  # fmt: skip
                continue
            grade = grade_answer(spec, answer.value)
            answer.points_awarded = grade.points
            answer.is_correct = grade.is_correct
            # An open question left blank scores 0 and needs no grader.
            answer.needs_grading = grade.needs_manual
        Answer.objects.bulk_update(answers, ["points_awarded", "is_correct", "needs_grading"])
        locked.submitted_at = now
        locked.timed_out = timed_out or bool(locked.deadline and now > locked.deadline)
        _recompute(locked, answers, now)
        locked.save()
    attempt.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def attempt_expire_if_overdue(*, attempt: Attempt, now=None) -> Attempt:
    """A time-out submits what was saved: called whenever an attempt is touched."""
    now = now or timezone.now()
    if attempt.is_in_progress and is_overdue(attempt, now):
        return attempt_submit(attempt=attempt, now=now, timed_out=True)
    return attempt


def attempt_expire_overdue(*, now=None) -> int:
    """Submit every overdue attempt in progress (the `expire_attempts` command, for cron)."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lt=now - late_grace()
    ).only("pk", "status", "deadline")
    count = 0
    for attempt in overdue:
        attempt_submit(attempt=attempt, now=now, timed_out=True)
        count += 1
    return count


# ---------------------------------------------------------------------------- grading


def answer_grade(*, answer: Answer, grader, rubric_scores: list, comment: str = "", now=None):
    """A trainer grades an open answer with the rubric; the attempt's totals follow.

    The attempt becomes "graded" once no open answer is left. Grading again replaces the
    previous grade (a trainer correcting a mistake).
    """
    now = now or timezone.now()
    spec = answer.spec
    if spec is None:
        raise GradingError({"__all__": "La question a été supprimée : cette réponse est close."})
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("assessment")
            .get(pk=answer.attempt_id)
        )
        if attempt.is_in_progress:
            raise GradingError({"__all__": "Le stagiaire n'a pas encore envoyé cette tentative."})
        if not spec.rubric:
            raise GradingError({"__all__": "Cette question n'a pas de grille de correction."})
        try:
            scores = rubric_total(spec.rubric, list(rubric_scores))
        except RubricError as error:
            raise GradingError(
                {
                    ("__all__" if key == "__all__" else f"criterion_{key}"): message
                    for key, message in error.errors.items()
                }
            ) from error
        total = sum(scores, Decimal("0"))
        answers = list(Answer.objects.filter(attempt=attempt))
        for item in answers:
            if item.pk == answer.pk:
                item.points_awarded = total
                item.is_correct = total == spec.points
                item.rubric_scores = [str(score) for score in scores]
                item.comment = (comment or "").strip()
                item.grader = grader
                item.graded_at = now
                item.save(
                    update_fields=[
                        "points_awarded", "is_correct", "rubric_scores", "comment",
                        "grader", "graded_at",
                    ]
                )  # fmt: skip
                answer.__dict__.update(
                    {k: v for k, v in item.__dict__.items() if not k.startswith("_")}
                )
        was_graded = attempt.status == Attempt.Status.GRADED
        _recompute(attempt, answers, now)
        attempt.save()
        if attempt.status == Attempt.Status.GRADED:
            after_commit(tasks.notify_attempt_graded, attempt.pk, was_graded)
    return answer
