"""The trainer's side: dossiers of their sessions, and the review screen of a milestone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from lms.roles import is_coordinator, is_trainer
from lms.wording import de

from .. import selectors, services
from ..forms import ReviewForm
from ..milestones import Milestone
from ..models import Dossier, MilestoneStatus
from ..permissions import get_reviewable_dossier
from ..rubrics import rubric_for
from .presenters import answers_for_display, scored_submission, status_badge


def _require_trainer(user):
    if not (user.is_superuser or is_trainer(user)):
        raise PermissionDenied("Cette page est réservée aux formateurs.")


@login_required
def review_list(request):
    """Trainers: their sessions' dossiers to review. Coordinators: every dossier, read only."""
    if not (request.user.is_superuser or is_trainer(request.user) or is_coordinator(request.user)):
        raise PermissionDenied("Cette page est réservée aux formateurs et à la coordination.")
    can_review = request.user.is_superuser or is_trainer(request.user)
    sessions = list(selectors.trainer_sessions(request.user))
    session = None
    session_id = request.GET.get("session", "")
    if session_id:
        session = next((s for s in sessions if str(s.pk) == session_id), None)
        if session is None:
            raise Http404("Session introuvable.")
    rows = []
    for dossier in selectors.review_rows(request.user, session=session):
        milestones = selectors.milestones_in_order(dossier)
        rows.append(
            {
                "dossier": dossier,
                "milestones": [{"state": m, "badge": status_badge(m.status)} for m in milestones],
                "to_review": [
                    m for m in milestones if can_review and m.status == MilestoneStatus.SUBMITTED
                ],
            }
        )
    rows.sort(key=lambda row: not row["to_review"])
    return render(
        request,
        "casestudies/review_list.html",
        {"rows": rows, "sessions": sessions, "session": session},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk, milestone):
    _require_trainer(request.user)
    dossier = get_reviewable_dossier(
        request.user, pk, Dossier.objects.select_related("case_study", "trainee")
    )
    try:
        milestone = Milestone(milestone)
    except ValueError:
        raise Http404("Jalon inconnu.") from None
    states = selectors.dossier_milestones(dossier)
    state = states[milestone]
    submissions = list(state.submissions.all())
    pending = next((s for s in submissions if not s.is_decided), None)
    criteria = rubric_for(milestone)
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST":
        if pending is None:
            messages.warning(request, "Aucune soumission en attente pour ce jalon.")
            return redirect(request.path)
        if form.is_valid():
            services.submission_decide(
                submission=pending,
                trainer=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                rubric_points=form.rubric_points(),
            )
            verb = "accepté" if form.cleaned_data["decision"] == "accepted" else "renvoyé"
            messages.success(
                request,
                f"Jalon « {milestone.label} » {de(dossier.trainee.get_full_name())} {verb}.",
            )
            return redirect(reverse("casestudies:review_list"))
        messages.error(request, "La revue est incomplète : voir les champs signalés.")
    shown = pending or (submissions[-1] if submissions else None)
    return render(
        request,
        "casestudies/review_detail.html",
        {
            "dossier": dossier,
            "case": dossier.case_study,
            "milestone": milestone,
            "state": state,
            "submission": shown,
            # The agreement that counts in the score: the first compared submission's.
            "scored_from": scored_submission(submissions),
            "pending": pending,
            "history": [s for s in submissions if s.is_decided],
            "answers": answers_for_display(milestone, shown.answers) if shown else [],
            "form": form,
            "criteria": criteria,
        },
    )
