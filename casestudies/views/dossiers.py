"""The trainee's dossiers: list, open, the dossier page, autosave, simulator check, submit."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST

from lms import shared
from lms.roles import is_staff_role
from modules import access

from .. import compare, grading, selectors, services
from ..forms import form_class_for
from ..milestones import MILESTONE_ORDER, Milestone
from ..models import CaseStudyPage, Dossier, MilestoneStatus
from ..permissions import get_own_dossier, may_work_case_studies
from .presenters import (
    answers_for_display,
    conflict_context,
    milestone_tabs,
    scored_submission,
    time_label,
)


@login_required
@require_GET
def my_dossiers(request):
    if not may_work_case_studies(request.user):
        return render(request, "casestudies/not_enrolled.html", status=403)
    dossiers = list(selectors.trainee_dossiers(request.user))
    opened = {d.case_study_id for d in dossiers}
    others = [c for c in selectors.live_case_studies() if c.pk not in opened]
    rows = [{"dossier": d, "milestones": selectors.milestones_in_order(d)} for d in dossiers]
    return render(request, "casestudies/my_dossiers.html", {"rows": rows, "case_studies": others})


@login_required
@require_POST
def dossier_open(request, case_study_id):
    if not may_work_case_studies(request.user):
        return render(request, "casestudies/not_enrolled.html", status=403)
    case_study = get_object_or_404(CaseStudyPage.objects.live(), pk=case_study_id)
    dossier = services.dossier_open(trainee=request.user, case_study=case_study)
    return redirect(dossier.get_absolute_url())


def _milestone_param(value) -> Milestone:
    try:
        return Milestone(value)
    except ValueError:
        raise Http404("Jalon inconnu.") from None


def _autosave_attrs(form, dossier, milestone, editable):
    """htmx attributes (the valid `data-hx-*` form) that autosave each field on its own.

    The offline safety net is casestudies/static/casestudies/dossier.js.
    """
    url = reverse("casestudies:autosave", args=[dossier.pk])
    for name, field in form.fields.items():
        # The help text first, then the save state: Django only points aria-describedby at
        # the help text when the widget has none of its own.
        described_by = f"etat-{name}"
        if field.help_text:
            described_by = f"{form[name].auto_id}_helptext {described_by}"
        attrs = field.widget.attrs
        if not editable:
            attrs["disabled"] = True
            continue
        attrs.update(
            {
                "data-hx-post": url,
                "data-hx-trigger": "input changed delay:600ms, change",
                "data-hx-include": f"#champ-{name}",
                "data-hx-vals": f'{{"_milestone": "{milestone}", "_field": "{name}"}}',
                "data-hx-target": f"#etat-{name}",
                "data-hx-swap": "innerHTML",
                "data-hx-sync": f"#champ-{name}:queue last",
                "data-autosave": name,
                "aria-describedby": described_by,
            }
        )


def render_dossier(
    request,
    dossier,
    milestone,
    *,
    form=None,
    status=200,
    conflicts=None,
    unsaved=None,
    states=None,
):
    """The dossier page on `milestone`. `conflicts` ({name: FieldConflict}) and `unsaved`
    (posted answers a locked milestone refused) are shown so that nothing typed is lost.
    `states`: the dossier's milestones when already read ({milestone: DossierMilestone})."""
    answers, versions = selectors.dossier_answers_and_versions(dossier)
    if states is None:
        states = selectors.dossier_states(dossier)
    state = states[milestone]
    own = dossier.trainee_id == request.user.pk
    editable = own and state.is_editable
    form_class = form_class_for(milestone)
    if form is None:
        form = form_class(initial=answers.get(milestone, {}))
    _autosave_attrs(form, dossier, milestone, editable)
    field_versions = versions.get(milestone, {})
    conflicts = conflicts or {}
    fields = [
        {
            "field": form[name],
            "version": field_versions.get(name, 0),
            "conflict": conflict_context(milestone, name, conflicts[name], None)
            if name in conflicts
            else None,
        }
        for name in form.fields
    ]
    submissions = selectors.milestone_submissions(state)
    last_decision = next((s for s in reversed(submissions) if s.is_decided), None)
    # The simulator's verdict (expected values, gap, trace): to the trainee once a trainer
    # has reviewed the submission, to the people who review at any time.
    verdict = last_decision if own else (submissions[-1] if submissions else None)
    case = dossier.case_study
    context = {
        "dossier": dossier,
        "page": case,
        "case": case,
        # The whole case study, read only when the household's stored fragment is missing
        # (the page itself loads its title and check limit: selectors.dossier_for_display).
        "household_case": SimpleLazyObject(lambda: selectors.full_case_study(case)),
        "milestone": milestone,
        "state": state,
        "tabs": milestone_tabs(dossier, states, milestone),
        "form": form,
        "fields": fields,
        "unsaved": [
            row for row in answers_for_display(milestone, unsaved or {}) if row["name"] in unsaved
        ]
        if unsaved
        else None,
        "editable": editable,
        "own": own,
        # Only people who may review get the link to the review screen (coordinators read).
        "may_review": not own
        and state.status == MilestoneStatus.SUBMITTED
        and access.may_grade_work(
            request.user, trainee_id=dossier.trainee_id, enrolment_id=dossier.enrolment_id
        ),
        "submissions": submissions,
        "last_submission": submissions[-1] if submissions else None,
        "last_decision": last_decision,
        "verdict": verdict,
        "scored_from": scored_submission(submissions),
        "checkable": milestone != Milestone.REALISER and (editable or not own),
        "checks_left": services.checks_remaining(state, case.simulator_check_limit),
        # The household is the published case study's, the same for every reader: a fragment
        # kept per state of the site (lms.shared).
        "household_generation": shared.generation(request),
    }
    return render(request, "casestudies/dossier.html", context, status=status)


@login_required
@require_GET
def dossier_detail(request, pk):
    if is_staff_role(request.user):
        # The people who run the training read the whole case study page: Wagtail's userbar
        # (their admin links) reads its tree fields.
        dossier = selectors.dossier_for_page(request.user, pk)
    else:
        dossier = selectors.dossier_for_display(request.user, pk)
    states = selectors.dossier_states(dossier)
    milestone = _milestone_param(request.GET.get("jalon") or _first_open(states))
    return render_dossier(request, dossier, milestone, states=states)


def _first_open(states) -> str:
    for milestone in MILESTONE_ORDER:
        state = states.get(milestone)
        if state is None or state.status != MilestoneStatus.VALIDATED:
            return milestone
    return Milestone.REALISER


@require_POST
def dossier_autosave(request, pk):
    """Save one field as typed; answer with a small status fragment (200 even when invalid).

    An expired session answers 401 (not a redirect to the login page, which htmx would swap
    into the status slot): the page's script keeps the value on the device and says so.
    """
    if not request.user.is_authenticated:
        return _save_state({"expired": True}, status=401)
    dossier = get_own_dossier(request.user, pk)
    milestone = _milestone_param(request.POST.get("_milestone"))
    name = request.POST.get("_field", "")
    form_class = form_class_for(milestone)
    if name not in form_class.base_fields:
        return HttpResponseBadRequest("Champ inconnu.")
    values = request.POST.getlist(name)
    try:
        outcome = services.dossier_field_save(
            dossier=dossier,
            milestone=milestone,
            name=name,
            values=values,
            version=_version_param(request.POST.get(f"_version_{name}")),
        )
    except services.MilestoneLocked:
        return _save_state({"locked": True}, status=409, outcome="locked")
    if outcome.conflict is not None:
        context = {"conflict": conflict_context(milestone, name, outcome.conflict, values)}
        return _save_state(context, status=409, outcome="conflict", version=outcome.version)
    return _save_state(
        {"saved_label": time_label(outcome.saved_at), "errors": outcome.errors},
        version=outcome.version,
    )


def _version_param(raw) -> int | None:
    """The field version the client last saw; None (no check) when absent or not a number."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def _save_state(
    context: dict, status: int = 200, *, outcome: str = "saved", version: int | None = None
) -> HttpResponse:
    """The small status fragment, rendered without the site-wide context processors.

    Headers for the page's script: X-Save-Outcome (saved | locked | conflict) and
    X-Field-Version (the field's version after the save, or the stored one on a conflict).
    """
    response = HttpResponse(
        render_to_string("casestudies/includes/save_state.html", context), status=status
    )
    response["X-Save-Outcome"] = outcome
    if version is not None:
        response["X-Field-Version"] = str(version)
    return response


def _answers_with_post(request, dossier, milestone) -> dict:
    """Stored answers, overridden by the whole form when it is posted (marker `_full`)."""
    answers = dict(selectors.dossier_answers(dossier).get(milestone, {}))
    if request.POST.get("_full") == "1":
        form_class = form_class_for(milestone)
        for name in form_class.base_fields:
            answers[name] = services.normalise_value(form_class, name, request.POST.getlist(name))
    return answers


@login_required
@require_POST
def dossier_check(request, pk, milestone):
    """Check the answers (as on screen) with the simulator; the answers are not stored.

    The trainee gets, per field, only agreement and what to re-read (casestudies.compare,
    `check_feedback`), counted against the case study's limit; the people who review see the
    full comparison (expected values, gap, trace) at any time.
    """
    dossier = selectors.dossier_for_page(request.user, pk)
    milestone = _milestone_param(milestone)
    answers = _answers_with_post(request, dossier, milestone)
    context = {"checked_at": time_label(timezone.now()), "case": dossier.case_study}
    if dossier.trainee_id != request.user.pk:
        comparisons = services.simulator_comparison(dossier, milestone, answers)
        context.update(
            comparisons=[c.to_dict() for c in comparisons],
            score=grading.automatic_score([c.ok for c in comparisons]),
            ok_count=sum(1 for c in comparisons if c.ok),
        )
        return render(request, "casestudies/includes/comparison.html", context)
    try:
        outcome = services.milestone_check(dossier=dossier, milestone=milestone, answers=answers)
    except services.MilestoneLocked:
        context["refused"] = "Ce jalon est soumis : la vérification n'est plus possible."
        return render(request, "casestudies/includes/check_feedback.html", context, status=409)
    except services.CheckLimitReached:
        context["refused"] = (
            "Vous avez utilisé toutes les vérifications permises pour ce jalon : relisez vos "
            "réponses et soumettez-le à votre formateur·rice."
        )
        context["remaining"] = 0
        return render(request, "casestudies/includes/check_feedback.html", context, status=409)
    counts = Counter(item.status for item in outcome.feedback)
    context.update(
        feedback=outcome.feedback,
        remaining=outcome.remaining,
        agree=counts[compare.AGREES],
        to_review=counts[compare.DIFFERS] + counts[compare.UNREADABLE],
        to_complete=counts[compare.TO_COMPLETE],
    )
    return render(request, "casestudies/includes/check_feedback.html", context)


@login_required
@require_POST
def dossier_submit(request, pk, milestone):
    """Save every posted field, then submit the milestone if it is complete and valid."""
    dossier = get_own_dossier(
        request.user, pk, Dossier.objects.select_related("case_study", "trainee")
    )
    milestone = _milestone_param(milestone)
    form_class = form_class_for(milestone)
    url = f"{dossier.get_absolute_url()}?jalon={milestone.value}"
    posted = {
        name: services.normalise_value(form_class, name, request.POST.getlist(name))
        for name in form_class.base_fields
    }
    conflicts = {}
    try:
        for name in form_class.base_fields:
            saved = services.dossier_field_save(
                dossier=dossier,
                milestone=milestone,
                name=name,
                values=request.POST.getlist(name),
                version=_version_param(request.POST.get(f"_version_{name}")),
            )
            if saved.conflict is not None:
                conflicts[name] = saved.conflict
    except services.MilestoneLocked:
        return _refused_on_locked(request, dossier, milestone, posted, url)
    if conflicts:
        messages.error(
            request,
            "Des champs ont été modifiés dans un autre onglet ou sur un autre appareil : rien "
            "n'est perdu. Choisissez pour chacun le texte à garder, puis enregistrez ou soumettez.",
        )
        form = form_class.from_values(posted)
        return render_dossier(request, dossier, milestone, form=form, conflicts=conflicts)
    if request.POST.get("action") == "save":
        messages.success(request, "Vos réponses sont enregistrées.")
        return redirect(url)
    try:
        outcome = services.milestone_submit(dossier=dossier, milestone=milestone)
    except services.MilestoneLocked:
        return _refused_on_locked(request, dossier, milestone, posted, url)
    if outcome.submission is None:
        messages.error(
            request,
            "Le jalon n'est pas encore complet : corrigez les champs signalés ci-dessous. "
            "Vos réponses sont enregistrées.",
        )
        return render_dossier(request, dossier, milestone, form=outcome.form, status=200)
    messages.success(request, _submitted_message(milestone))
    return redirect(url)


def _submitted_message(milestone) -> str:
    return (
        f"Jalon « {milestone.label} » soumis à votre formateur·rice. "
        "Vous serez prévenu·e de sa décision ici."
    )


def _refused_on_locked(request, dossier, milestone, posted: dict, url: str):
    """A save or submit that finds the milestone locked (submitted meanwhile, e.g. a double
    click or another tab). When what is posted is what was submitted, the answer is the first
    submission's own outcome; otherwise nothing is written and the page shows what was typed,
    so that nothing is lost."""
    state = dossier.milestones.get(milestone=milestone)
    latest = state.submissions.order_by("-submitted_at", "-pk").first()
    same = latest is not None and all(
        latest.answers.get(name, [] if isinstance(value, list) else "") == value
        for name, value in posted.items()
    )
    if same and state.status == MilestoneStatus.SUBMITTED:
        if request.POST.get("action") == "save":
            messages.success(request, "Vos réponses sont enregistrées.")
        else:
            messages.success(request, _submitted_message(milestone))
        return redirect(url)
    if same:
        messages.info(request, "Ce jalon est déjà soumis ou validé : vos réponses y sont.")
        return redirect(url)
    messages.warning(
        request,
        "Ce jalon est déjà soumis ou validé : il n'est plus modifiable et vos dernières saisies "
        "n'ont pas été enregistrées. Elles sont reprises ci-dessous pour que vous puissiez les "
        "copier.",
    )
    stored = latest.answers if latest is not None else {}
    unsaved = {name: value for name, value in posted.items() if stored.get(name) != value}
    return render_dossier(request, dossier, milestone, status=409, unsaved=unsaved)
