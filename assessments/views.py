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
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from lms.formats import format_time
from lms.numbers import parse_number
from lms.roles import is_staff_role

from .forms import RubricGradingForm
from .grading import Kind, competency_breakdown, format_points, is_blank
from .models import Answer, AssessmentIndexPage, AssessmentPage, Attempt, Question
from .selectors import (
    answers_by_question,
    attempt_for_display,
    can_grade_answer,
    can_see_answer,
    can_view_attempt,
    grading_queue,
    questions_for,
)
from .services import (
    AttemptError,
    GradingError,
    answer_grade,
    attempt_expire_if_overdue,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
)

# ---------------------------------------------------------------------------- helpers


def _own_attempt(request, attempt_id: int) -> Attempt:
    """The request user's own attempt; anybody else's is a 404 (no hint that it exists)."""
    attempt = attempt_for_display(attempt_id)
    if attempt is None or attempt.trainee_id != request.user.pk:
        raise Http404("Tentative introuvable.")
    return attempt_expire_if_overdue(attempt=attempt)


def _raw_value(post, question):
    name = f"q-{question.pk}"
    if question.kind == Kind.MULTIPLE_CHOICE:
        return post.getlist(name)
    return post.get(name)


def _items(questions, answers) -> list[dict]:
    items = []
    for number, question in enumerate(questions, start=1):
        answer = answers.get(question.pk)
        value = answer.value if answer else None
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
            }
        )
    return items


def _rubric_rows(question, answer) -> list[dict]:
    if question.kind != Kind.LONG_TEXT:
        return []
    scores = (answer.rubric_scores if answer else None) or []
    return [
        {
            "criterion": criterion,
            "score": format_points(Decimal(scores[index])) if index < len(scores) else None,
        }
        for index, criterion in enumerate(question.rubric_criteria.all())
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
    if not attempt.is_in_progress:
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    assessment = attempt.assessment
    questions = questions_for(assessment.pk)
    per_page = assessment.one_question_per_page and len(questions) > 1
    try:
        position = int(request.POST.get("q") or request.GET.get("q") or 1)
    except ValueError:
        position = 1
    position = min(max(position, 1), max(len(questions), 1))
    shown = questions[position - 1 : position] if per_page else questions

    if request.method == "POST":
        values = {question: _raw_value(request.POST, question) for question in shown}
        try:
            attempt_save_answers(attempt=attempt, values=values)
        except AttemptError as error:
            messages.warning(request, error.message)
            return redirect("assessments:attempt_result", attempt_id=attempt.pk)
        action = request.POST.get("action", "save")
        url = reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})
        if action == "timeout":
            attempt_submit(attempt=attempt)
            messages.info(request, "Le temps est écoulé : vos réponses ont été envoyées.")
            return redirect("assessments:attempt_result", attempt_id=attempt.pk)
        if action == "review":
            return redirect("assessments:attempt_submit", attempt_id=attempt.pk)
        if action == "next":
            return redirect(f"{url}?q={min(position + 1, len(questions))}")
        if action == "previous":
            return redirect(f"{url}?q={max(position - 1, 1)}")
        if action.startswith("goto-") and action[5:].isdigit():
            return redirect(f"{url}?q={action[5:]}")
        messages.success(request, "Vos réponses sont enregistrées.")
        return redirect(f"{url}?q={position}" if per_page else url)

    answers = answers_by_question(attempt)
    items = _items(questions, answers)
    context = {
        "attempt": attempt,
        "assessment": assessment,
        "items": items[position - 1 : position] if per_page else items,
        "all_items": items,
        "per_page": per_page,
        "position": position,
        "count": len(questions),
        "answered_count": sum(1 for item in items if item.get("answered")),
        "server_now": timezone.now(),
    }
    return render(request, "assessments/attempt/take.html", context)


@login_required
@require_POST
def attempt_autosave(request, attempt_id: int, question_id: int):
    """htmx: save one answer as the trainee types; returns the "Enregistré" state."""
    attempt = _own_attempt(request, attempt_id)
    question = (
        Question.objects.filter(pk=question_id, page_id=attempt.assessment_id)
        .prefetch_related("choices")
        .first()
    )
    if question is None:
        raise Http404("Question introuvable.")
    result_url = reverse("assessments:attempt_result", kwargs={"attempt_id": attempt.pk})
    if not attempt.is_in_progress:
        response = HttpResponse('<span class="save-error">Tentative déjà envoyée.</span>')
        response["HX-Redirect"] = result_url
        return response
    try:
        attempt_save_answers(attempt=attempt, values={question: _raw_value(request.POST, question)})
    except AttemptError as error:
        response = HttpResponse(format_html('<span class="save-error">{}</span>', error.message))
        response["HX-Redirect"] = result_url
        return response
    saved_at = _time_label(timezone.now())
    typed = _raw_value(request.POST, question)
    if question.kind == Kind.NUMERIC and not is_blank(typed):
        problem = parse_number(typed).error
        if problem:
            return HttpResponse(
                format_html(
                    '<span class="save-warning">Enregistré à {}, mais {} '
                    "Sinon la réponse sera comptée fausse.</span>",
                    saved_at,
                    problem[0].lower() + problem[1:],
                )
            )
    return HttpResponse(format_html('<span class="save-ok">Enregistré à {}</span>', saved_at))


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
    questions = questions_for(attempt.assessment_id)
    items = _items(questions, answers_by_question(attempt))
    return render(
        request,
        "assessments/attempt/confirm.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "items": items,
            "unanswered": [item for item in items if not item["answered"]],
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
    questions = questions_for(assessment.pk)
    answers = answers_by_question(attempt)
    items = _items(questions, answers)
    breakdown = competency_breakdown(
        _scored(answer) for answer in answers.values() if answer.question_id is not None
    )
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
        "pending": sum(1 for answer in answers.values() if answer.awaits_grading),
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
    return render(request, "assessments/grading/queue.html", {"pending": pending, "done": done})


@login_required
@require_http_methods(["GET", "POST"])
def grade_answer_view(request, answer_id: int):
    _require_staff(request)
    answer = get_object_or_404(
        Answer.objects.select_related(
            "attempt", "attempt__trainee", "attempt__assessment", "question", "grader"
        ).filter(needs_grading=True),
        pk=answer_id,
    )
    if not can_see_answer(request.user, answer) or answer.question_id is None:
        raise Http404("Réponse introuvable.")
    may_grade = can_grade_answer(request.user, answer)
    criteria = list(answer.question.rubric_criteria.order_by("sort_order", "pk"))
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
                return redirect("assessments:grading_queue")
        messages.error(request, "La correction est à compléter : voir ci-dessous.")
    return render(
        request,
        "assessments/grading/grade.html",
        {
            "answer": answer,
            "attempt": answer.attempt,
            "question": answer.question,
            "form": form,
            "may_grade": may_grade,
            "submitted_label": date_format(
                timezone.localtime(answer.attempt.submitted_at), "j F Y à H:i"
            )
            if answer.attempt.submitted_at
            else "",
        },
    )
