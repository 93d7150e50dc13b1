"""Writes on attempts and answers: start, autosave, submit (once), expire, grade.

Every function is keyword-only and atomic. Submitting locks the attempt row
(`select_for_update`) and checks its status, so a double or concurrent submit grades once.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from modules.access import work_enrolment

from .grading import (
    Kind,
    RubricError,
    ScoredAnswer,
    attempt_totals,
    grade_answer,
    rubric_total,
)
from .models import Answer, AssessmentPage, Attempt
from .selectors import attempts_of, questions_for, start_refusal

# Network latency: an autosave or a submit that reaches us a few seconds after the deadline
# is still accepted (the countdown runs on the trainee's machine).
GRACE = datetime.timedelta(seconds=15)


class AttemptError(Exception):
    """A refusal with a French message for the trainee."""

    def __init__(self, message: str, *, attempt: Attempt | None = None):
        super().__init__(message)
        self.message = message
        self.attempt = attempt


class GradingError(Exception):
    """French messages: {"criterion_<i>": message, "__all__": message}."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def is_overdue(attempt: Attempt, now: datetime.datetime) -> bool:
    return bool(attempt.deadline and now > attempt.deadline + GRACE)


# ---------------------------------------------------------------------------- start


def attempt_start(*, trainee, assessment: AssessmentPage, now=None) -> Attempt:
    """The trainee's attempt in progress, or a new one when they may start one.

    Eligibility: a logged-in trainee with an active enrolment (or a trainer, coordinator or admin
    previewing), within the availability window, with attempts left. An overdue attempt in
    progress is submitted first (time-out).
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
    questions = questions_for(assessment.pk)
    if not questions:
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
                deadline=assessment.deadline_for(now),
                max_score=sum((q.points for q in questions), Decimal("0")),
            )
            Answer.objects.bulk_create(
                Answer(
                    attempt=attempt,
                    question=question,
                    position=position,
                    competency_code=question.competency.code,
                    max_points=question.points,
                    needs_grading=question.to_spec(question.competency.code).is_open,
                )
                for position, question in enumerate(questions)
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


def clean_value(question, raw):
    """The JSON value stored for what the trainee sent (strings from a form, or JSON).

    Unknown choices are dropped; an invalid number is kept as typed (it scores 0), so that
    nothing the trainee typed is lost.
    """
    kind = question.kind
    if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
        known = {choice.pk for choice in question.choices.all()}
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
    text = "" if raw is None else str(raw)
    limit = 20_000 if kind == Kind.LONG_TEXT else 500
    return text[:limit]


def _lock_in_progress(attempt: Attempt, now) -> Attempt:
    """Lock the attempt row; refuse when it is closed, submit it when it is overdue."""
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not locked.is_in_progress:
        raise AttemptError(
            "Cette tentative est déjà envoyée : vos réponses ne peuvent plus être modifiées.",
            attempt=locked,
        )
    if is_overdue(locked, now):
        raise AttemptError("Le temps est écoulé : vos réponses enregistrées ont été envoyées.")
    return locked


def attempt_save_answers(*, attempt: Attempt, values: dict, now=None) -> int:
    """Autosave several answers at once ({question: raw value}); returns how many changed.

    Refused after submission or after the deadline (then the attempt is submitted with what was
    saved before).
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            _lock_in_progress(attempt, now)
            answers = {
                answer.question_id: answer
                for answer in Answer.objects.filter(
                    attempt=attempt, question_id__in=[q.pk for q in values]
                )
            }
            changed = []
            for question, raw in values.items():
                answer = answers.get(question.pk)
                if answer is None:
                    continue
                answer.value = clean_value(question, raw)
                answer.saved_at = now
                changed.append(answer)
            Answer.objects.bulk_update(changed, ["value", "saved_at"])
            return len(changed)
    except AttemptError:
        if is_overdue(attempt, now):
            attempt_submit(attempt=attempt, now=now, timed_out=True)
        raise


def attempt_save_answer(*, attempt: Attempt, question, value, now=None) -> None:
    attempt_save_answers(attempt=attempt, values={question: value}, now=now)


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
    second (or concurrent) call returns the attempt as it was graded the first time.
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
        specs = {
            question.pk: question.to_spec(question.competency.code)
            for question in questions_for(locked.assessment_id)
        }
        answers = list(Answer.objects.filter(attempt=locked))
        for answer in answers:
            spec = specs.get(answer.question_id)
            if spec is None:  # question deleted since the start: nothing to grade
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
        status=Attempt.Status.IN_PROGRESS, deadline__lt=now - GRACE
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
    if answer.question_id is None:
        raise GradingError({"__all__": "La question a été supprimée : cette réponse est close."})
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("assessment")
            .get(pk=answer.attempt_id)
        )
        if attempt.is_in_progress:
            raise GradingError({"__all__": "Le stagiaire n'a pas encore envoyé cette tentative."})
        question = questions_for_answer(answer)
        spec = question.to_spec(answer.competency_code)
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
        _recompute(attempt, answers, now)
        attempt.save()
    return answer


def questions_for_answer(answer: Answer):
    from .models import Question

    return (
        Question.objects.select_related("competency")
        .prefetch_related("choices", "rubric_criteria")
        .get(pk=answer.question_id)
    )
