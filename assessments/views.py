"""Trainee and trainer screens of assessments: take an attempt, submit, results, grading queue.

Views stay thin: permissions and HTTP here, reads in selectors, writes in services.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from lms.formats import format_moment, format_number, format_time
from lms.numbers import parse_number
from lms.roles import is_staff_role
from lms.text import without_nul

from .forms import RubricGradingForm
from .grading import Kind, competency_breakdown, format_points, is_blank
from .models import Answer, AssessmentIndexPage, AssessmentPage, Attempt
from .question_html import question_fieldset
from .selectors import (
    attempt_answers,
    attempt_for_display,
    can_grade_answer,
    can_see_answer,
    can_view_attempt,
    grading_queue,
    late_answers,
    own_attempt,
)
from .services import (
    AttemptError,
    GradingError,
    LateAnswerError,
    UnknownQuestionError,
    answer_grade,
    attempt_expire_if_overdue,
    attempt_save_answer,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    text_limit,
)

# ---------------------------------------------------------------------------- helpers


def _own_attempt(request, attempt_id: int) -> Attempt:
    """The request user's own attempt; anybody else's is a 404 (no hint that it exists)."""
    attempt = own_attempt(attempt_id, request.user)
    if attempt is None:
        raise Http404("Tentative introuvable.")
    return attempt_expire_if_overdue(attempt=attempt)


def _raw_value(post, question):
    name = f"q-{question.pk}"
    if question.kind == Kind.MULTIPLE_CHOICE:
        return post.getlist(name)
    return post.get(name)


def _items(answers: list[Answer]) -> list[dict]:
    """One row per answer of the attempt, in its order, with the question as it was frozen."""
    items = []
    for number, answer in enumerate(answers, start=1):
        question = answer.frozen_question
        value = answer.value
        selected = set()
        if question.kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE) and value is not None:
            selected = set(value if isinstance(value, list) else [value])
        items.append(
            {
                "number": number,
                "question": question,
                "answer": answer,
                "value": value,
                "text": "" if value is None or isinstance(value, bool | list) else str(value),
                "selected": selected,
                "answered": not is_blank(value),
                "rubric_rows": _rubric_rows(question, answer),
                "late": _late_label(question, answer),
                "number_problem": _number_problem(question, value),
            }
        )
    return items


def _number_problem(question, value) -> str:
    """Why a numeric answer is not read as a number ("« 15.475 » est ambigu…"), or "": the
    autosave says it while typing; the confirmation and the result say it again, since such an
    answer is counted wrong (never guessed; docs/decisions.md, issue 11)."""
    if question.kind != Kind.NUMERIC or is_blank(value):
        return ""
    parsed = parse_number(value)
    if parsed.value is not None:
        return ""
    return parsed.error or "Ce n'est pas un nombre : la réponse est comptée fausse."


def _late_label(question, answer) -> str | None:
    """What arrived after the attempt closed, as the trainee gave it (never graded)."""
    if not answer.has_late_value:
        return None
    value = answer.late_value
    if question.kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
        keys = value if isinstance(value, list) else [value]
        texts = {choice.key: choice.text for choice in question.choices}
        return " ; ".join(texts[key] for key in keys if key in texts) or "aucune proposition"
    if isinstance(value, bool):
        return "Vrai" if value else "Faux"
    return "" if value is None else str(value)


def _rubric_rows(question, answer) -> list[dict]:
    if question.kind != Kind.LONG_TEXT:
        return []
    scores = (answer.rubric_scores if answer else None) or []
    return [
        {
            "criterion": criterion,
            "score": format_points(Decimal(scores[index])) if index < len(scores) else None,
        }
        for index, criterion in enumerate(question.rubric_criteria)
    ]


def _time_label(moment) -> str:
    return format_time(moment)


# ---------------------------------------------------------------------------- trainee


@login_required
def my_assessments(request):
    """ "Mes évaluations": the list of assessments, with the trainee's status on each."""
    index = AssessmentIndexPage.objects.live().first()
    if index is None:
        raise Http404("Aucune évaluation n'est publiée.")
    return redirect(index.url)


@login_required
@require_POST
def attempt_begin(request, assessment_id: int):
    assessment = get_object_or_404(AssessmentPage.objects.live(), pk=assessment_id)
    try:
        attempt = attempt_start(trainee=request.user, assessment=assessment)
    except AttemptError as error:
        messages.error(request, error.message)
        return redirect(assessment.url)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_take(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    result_url = reverse("assessments:attempt_result", kwargs={"attempt_id": attempt.pk})
    if not attempt.is_in_progress and request.method == "GET":
        return redirect(result_url)
    assessment = attempt.assessment
    answers = attempt_answers(attempt)
    per_page = assessment.one_question_per_page and len(answers) > 1
    try:
        position = int(request.POST.get("q") or request.GET.get("q") or 1)
    except ValueError:
        position = 1
    position = min(max(position, 1), max(len(answers), 1))
    shown = answers[position - 1 : position] if per_page else answers

    if request.method == "POST":
        values = {
            answer.question_key: _raw_value(request.POST, answer.frozen_question)
            for answer in shown
            if answer.spec is not None
        }
        try:
            attempt_save_answers(attempt=attempt, values=values)
        except AttemptError as error:
            # Closed meanwhile (time-up, other tab): what differs is kept as late answers.
            messages.warning(request, error.message)
            return redirect(result_url)
        action = request.POST.get("action", "save")
        url = reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})
        if action == "timeout":
            attempt_submit(attempt=attempt)
            messages.info(request, "Le temps est écoulé : vos réponses ont été envoyées.")
            return redirect(result_url)
        if action == "review":
            return redirect("assessments:attempt_submit", attempt_id=attempt.pk)
        if action == "next":
            return redirect(f"{url}?q={min(position + 1, len(answers))}")
        if action == "previous":
            return redirect(f"{url}?q={max(position - 1, 1)}")
        if action.startswith("goto-") and action[5:].isdigit():
            return redirect(f"{url}?q={action[5:]}")
        messages.success(request, "Vos réponses sont enregistrées.")
        return redirect(f"{url}?q={position}" if per_page else url)

    items = _items(answers)
    shown_items = items[position - 1 : position] if per_page else items
    for item in shown_items:
        item["html"] = question_fieldset(
            item, attempt_pk=attempt.pk, count=len(answers), autosave=True
        )
    context = {
        "attempt": attempt,
        "assessment": assessment,
        "items": shown_items,
        "all_items": items,
        "per_page": per_page,
        "position": position,
        "count": len(answers),
        "answered_count": sum(1 for item in items if item.get("answered")),
        "server_now": timezone.now(),
        "result_url": result_url,
    }
    return render(request, "assessments/attempt/take.html", context)


def _save_state(css: str, message: str, status: int = 200, *, closed_url: str = ""):
    response = HttpResponse(format_html('<span class="{}">{}</span>', css, message), status=status)
    if closed_url:
        # The attempt is closed: the page's script shows the message, then the result.
        response["X-Attempt-Closed"] = closed_url
    return response


@login_required
@require_POST
def attempt_autosave(request, attempt_id: int, question_id: int):
    """Save one answer as the trainee types; returns the save state as an HTML fragment.

    200 "Enregistré à …" only when the answer is stored in the attempt; 404 when the question is
    not part of the attempt; 409 when the attempt is closed (a different value is then kept as a
    late answer for the trainer, never graded). The page's script retries anything else.
    """
    # The attempt alone (no assessment page, no user: an autosave reads neither).
    attempt = Attempt.objects.filter(pk=attempt_id, trainee=request.user).first()
    if attempt is None:
        raise Http404("Tentative introuvable.")
    attempt = attempt_expire_if_overdue(attempt=attempt)
    result_url = reverse("assessments:attempt_result", kwargs={"attempt_id": attempt.pk})
    typed = without_nul(request.POST.getlist(f"q-{question_id}"))  # PostgreSQL refuses NUL
    try:
        answer = attempt_save_answer(attempt=attempt, question=question_id, value=typed)
    except UnknownQuestionError as error:
        return _save_state("save-error", error.message, 404)
    except LateAnswerError as error:
        return _save_state("save-warning", error.message, 409, closed_url=result_url)
    except AttemptError as error:
        return _save_state("save-error", error.message, 409, closed_url=result_url)
    saved_at = _time_label(timezone.now())
    kind = answer.spec.kind if answer.spec else None
    text = typed[0] if typed else ""
    if kind is not None and len(text) > text_limit(kind):
        return _save_state(
            "save-warning",
            f"Enregistré à {saved_at}, mais la réponse est trop longue : seuls ses "
            f"{format_number(text_limit(kind))} premiers caractères sont gardés.",
        )
    problem = parse_number(text).error if kind == Kind.NUMERIC and not is_blank(text) else None
    if problem:
        return _save_state(
            "save-warning",
            f"Enregistré à {saved_at}, mais {problem[0].lower() + problem[1:]} "
            "Sinon la réponse sera comptée fausse.",
        )
    return _save_state("save-ok", f"Enregistré à {saved_at}")


@login_required
@require_http_methods(["GET", "POST"])
def attempt_confirm_submit(request, attempt_id: int):
    """The confirmation step before the final submit."""
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_in_progress:
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    if request.method == "POST":
        attempt_submit(attempt=attempt)
        messages.success(request, "Vos réponses sont envoyées.")
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    items = _items(attempt_answers(attempt))
    return render(
        request,
        "assessments/attempt/confirm.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "items": items,
            "unanswered": [item for item in items if not item["answered"]],
            "unreadable": [item for item in items if item["number_problem"]],
            "answered_count": sum(1 for item in items if item["answered"]),
            "server_now": timezone.now(),
        },
    )


@login_required
def attempt_result(request, attempt_id: int):
    attempt = attempt_for_display(attempt_id)
    if attempt is None or not can_view_attempt(request.user, attempt):
        raise Http404("Tentative introuvable.")
    attempt = attempt_expire_if_overdue(attempt=attempt)
    owner = attempt.trainee_id == request.user.pk
    if attempt.is_in_progress:
        if owner:
            return redirect("assessments:attempt", attempt_id=attempt.pk)
        raise Http404("Tentative en cours.")
    assessment = attempt.assessment
    policy = assessment.feedback
    graded = attempt.status == Attempt.Status.GRADED
    if not owner or policy == AssessmentPage.Feedback.AFTER_SUBMIT:
        show_score, show_corrections = True, True
    elif policy == AssessmentPage.Feedback.AFTER_GRADING:
        show_score, show_corrections = graded, graded
    else:
        show_score, show_corrections = graded, False
    answers = attempt_answers(attempt)
    items = _items(answers)
    breakdown = competency_breakdown(_scored(answer) for answer in answers if answer.spec)
    context = {
        "attempt": attempt,
        "assessment": assessment,
        "owner": owner,
        "graded": graded,
        "show_score": show_score,
        "show_corrections": show_corrections,
        "items": items,
        "breakdown": [
            {"code": code, "obtained": format_points(pair[0]), "possible": format_points(pair[1])}
            for code, pair in breakdown.items()
        ],
        "pending": sum(1 for answer in answers if answer.awaits_grading),
        "late_items": [item for item in items if item["late"] is not None],
    }
    return render(request, "assessments/attempt/result.html", context)


def _scored(answer: Answer):
    from .grading import ScoredAnswer

    return ScoredAnswer(
        competency=answer.competency_code,
        max_points=answer.max_points,
        points=answer.points_awarded,
        needs_manual=answer.needs_grading,
    )


# ---------------------------------------------------------------------------- trainers


def _require_staff(request):
    if not is_staff_role(request.user):
        raise PermissionDenied("Réservé aux formateurs et à la coordination.")


@login_required
def grading_queue_view(request):
    _require_staff(request)
    pending = list(grading_queue(request.user, pending=True)[:200])
    done = list(grading_queue(request.user, pending=False)[:20])
    late = list(late_answers(request.user)[:50])
    return render(
        request,
        "assessments/grading/queue.html",
        {
            "pending": pending,
            "by_question": _by_question(pending),
            "done": done,
            "late": late,
        },
    )


def _by_question(answers) -> list[dict]:
    """The pending answers grouped by question (across trainees), in queue order: each group
    opens on its oldest answer and grading goes on with the next copy of the same question."""
    groups: dict[tuple, dict] = {}
    for answer in answers:
        key = (answer.attempt.assessment_id, answer.question_key)
        group = groups.setdefault(
            key,
            {
                "first": answer,
                "count": 0,
                "assessment": answer.attempt.assessment.title,
                "text": (answer.snapshot or {}).get("text", ""),
            },
        )
        group["count"] += 1
    return list(groups.values())


def _next_of_question(user, question_key, after: Answer) -> Answer | None:
    """The next answer to grade of the same question (same assessment), other trainees."""
    return (
        grading_queue(user, pending=True)
        .filter(question_key=question_key, attempt__assessment_id=after.attempt.assessment_id)
        .exclude(pk=after.pk)
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def grade_answer_view(request, answer_id: int):
    _require_staff(request)
    answer = get_object_or_404(
        Answer.objects.select_related(
            "attempt", "attempt__trainee", "attempt__assessment", "grader"
        ).filter(needs_grading=True),
        pk=answer_id,
    )
    if not can_see_answer(request.user, answer) or answer.spec is None:
        raise Http404("Réponse introuvable.")
    may_grade = can_grade_answer(request.user, answer)
    # "?par=question": grading one question across trainees, the next copy comes after this one.
    by_question = request.GET.get("par") == "question"
    question = answer.frozen_question  # as the trainee was asked it, with its rubric then
    criteria = question.rubric_criteria
    form = RubricGradingForm(
        request.POST or None,
        criteria=criteria,
        initial_scores=answer.rubric_scores,
        initial={"comment": answer.comment},
    )
    if request.method == "POST":
        if not may_grade:
            raise PermissionDenied("La correction revient aux formateurs de la session.")
        if form.is_valid():
            try:
                answer_grade(
                    answer=answer,
                    grader=request.user,
                    rubric_scores=form.raw_scores(),
                    comment=form.cleaned_data["comment"],
                )
            except GradingError as error:
                for field, message in error.errors.items():
                    form.add_error(None if field == "__all__" else field, message)
            else:
                trainee = answer.attempt.trainee
                messages.success(
                    request,
                    f"Correction enregistrée pour {trainee.get_full_name() or trainee.email} : "
                    f"{format_points(answer.points_awarded)} / {format_points(answer.max_points)}.",
                )
                if by_question:
                    following = _next_of_question(request.user, answer.question_key, answer)
                    if following is not None:
                        return redirect(
                            reverse("assessments:grade_answer", args=[following.pk])
                            + "?par=question"
                        )
                    messages.info(request, "Toutes les copies de cette question sont corrigées.")
                return redirect("assessments:grading_queue")
        messages.error(request, "La correction est à compléter : voir ci-dessous.")
    return render(
        request,
        "assessments/grading/grade.html",
        {
            "answer": answer,
            "attempt": answer.attempt,
            "question": question,
            "form": form,
            "may_grade": may_grade,
            "by_question": by_question,
            "submitted_label": format_moment(answer.attempt.submitted_at),
        },
    )
