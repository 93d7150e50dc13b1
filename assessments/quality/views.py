"""Views of the quality loop. Thin: permission (`modules.access`), then a selector or a
service, then a template or a file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from django_ratelimit.decorators import ratelimit

from lms.converters import parse_id
from lms.csvfiles import SpreadsheetWriter, csv_response
from lms.formats import format_moment
from lms.models import Territory
from modules import access
from modules.models import TrainingSession

from . import exports, rules, services
from . import selectors as reads
from .forms import (
    AccommodationEndForm,
    AccommodationForm,
    ComplaintForm,
    ComplaintStepForm,
    ImprovementActionForm,
    PeriodForm,
)
from .models import Accommodation, EvidencePack, ImprovementAction, SurveyInvitation


def _referent_required(user):
    if not access.records_accommodations(user):
        raise PermissionDenied


# --- The trainee's page --------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """What the trainee was granted, the surveys waiting for them, and how to complain."""
    today = timezone.localdate()
    return render(
        request,
        "quality/mine.html",
        {
            "accommodations": reads.own_accommodations(request.user, today),
            "invitations": reads.pending_invitations(request.user, today),
        },
    )


# --- Accommodations (disability referent; trainers read those of their trainees) -----------------


@login_required
@require_GET
def accommodation_list(request):
    user = request.user
    if not (
        access.records_accommodations(user)
        or access.sees_all_sessions(user)
        or access.managed_sessions(user).exists()
    ):
        raise PermissionDenied
    return render(
        request,
        "quality/accommodation_list.html",
        {
            "accommodations": list(reads.visible_accommodations(user)),
            "is_referent": access.records_accommodations(user),
            "today": timezone.localdate(),
        },
    )


def _save_accommodation(request, form, accommodation=None):
    try:
        if accommodation is None:
            return services.accommodation_record(
                by=request.user, trainee=form.cleaned_data["trainee"], **form.values()
            )
        return services.accommodation_update(
            by=request.user, accommodation=accommodation, **form.values()
        )
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def accommodation_create(request):
    _referent_required(request.user)
    form = AccommodationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save_accommodation(request, form):
        messages.success(request, "Aménagement enregistré : il s'applique dès aujourd'hui.")
        return redirect("quality:accommodations")
    return render(request, "quality/accommodation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def accommodation_edit(request, accommodation_id):
    _referent_required(request.user)
    accommodation = get_object_or_404(
        Accommodation.objects.select_related("trainee"), pk=accommodation_id
    )
    form = AccommodationForm(request.POST or None, instance=accommodation)
    end_form = AccommodationEndForm(initial={"ended_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_accommodation(request, form, accommodation)
    ):
        messages.success(request, "Aménagement modifié.")
        return redirect("quality:accommodations")
    return render(
        request,
        "quality/accommodation_form.html",
        {"form": form, "accommodation": accommodation, "end_form": end_form},
    )


@login_required
@require_POST
def accommodation_end(request, accommodation_id):
    _referent_required(request.user)
    accommodation = get_object_or_404(
        Accommodation.objects.select_related("trainee"), pk=accommodation_id
    )
    end_form = AccommodationEndForm(request.POST)
    if not end_form.is_valid():
        form = AccommodationForm(instance=accommodation)
        return render(
            request,
            "quality/accommodation_form.html",
            {"form": form, "accommodation": accommodation, "end_form": end_form},
            status=400,
        )
    services.accommodation_end(
        by=request.user,
        accommodation=accommodation,
        on=end_form.cleaned_data["ended_on"],
        reason=end_form.cleaned_data["reason"],
    )
    messages.success(request, "Aménagement terminé ; il reste dans le registre.")
    return redirect("quality:accommodations")


# --- Complaints and incidents --------------------------------------------------------------------

# A visitor (an employer contact) may file without an account: a few a day per address is plenty,
# more is someone filling the register.
COMPLAINTS_PER_CLIENT = "10/h"


@ratelimit(group="quality-complaint", key="ip", rate=COMPLAINTS_PER_CLIENT, method="POST")
@require_http_methods(["GET", "POST"])
def complaint_file(request):
    user = request.user
    form = ComplaintForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if user.is_authenticated:
            name, email = user.get_full_name() or user.email, user.email
        else:
            name, email = data["filer_name"], data["filer_email"]
        try:
            complaint = services.complaint_file(
                by=user,
                kind=data["kind"],
                filer_name=name,
                filer_email=email,
                filer_role=data["filer_role"],
                session=data["session"],
                subject=data["subject"],
                description=data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Votre {complaint.get_kind_display().lower()} est enregistrée sous le n° "
                f"{complaint.reference}. La coordination en accuse réception et vous répond.",
            )
            if user.is_authenticated:
                return redirect("quality:complaint", complaint.pk)
            return redirect("quality:complaint_file")
    return render(request, "quality/complaint_form.html", {"form": form})


@login_required
@require_GET
def complaint_list(request):
    user = request.user
    handles = access.handles_complaints(user)
    complaints = reads.visible_complaints(user)
    status = request.GET.get("statut", "")
    if handles and status in rules.ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    period = PeriodForm(request.GET or None)
    if handles and period.is_valid():
        complaints = complaints.filter(
            filed_at__date__gte=period.cleaned_data["du"],
            filed_at__date__lte=period.cleaned_data["au"],
        )
    return render(
        request,
        "quality/complaint_list.html",
        {
            "complaints": list(complaints),
            "handles": handles,
            "statuses": rules.ComplaintStatus.choices,
            "status": status,
            "period": period,
        },
    )


def _complaint_or_404(user, complaint_id):
    complaint = reads.complaint_for(user, complaint_id)
    if complaint is None:
        raise Http404
    return complaint


def _complaint_to_handle(user, complaint_id):
    if not access.handles_complaints(user):
        raise PermissionDenied
    return _complaint_or_404(user, complaint_id)


def _complaint_page(request, complaint, *, step_form=None, action_form=None, status=200):
    next_status = rules.next_complaint_status(complaint.status)
    handles = access.handles_complaints(request.user)
    return render(
        request,
        "quality/complaint_detail.html",
        {
            "complaint": complaint,
            "handles": handles,
            "next_status": next_status,
            "next_label": next_status.label if next_status else "",
            "note_required": rules.COMPLAINT_NOTE_REQUIRED.get(next_status, ""),
            "step_form": step_form or ComplaintStepForm(initial={"status": next_status}),
            "action_form": action_form or ImprovementActionForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_GET
def complaint_detail(request, complaint_id):
    return _complaint_page(request, _complaint_or_404(request.user, complaint_id))


@login_required
@require_POST
def complaint_step(request, complaint_id):
    complaint = _complaint_to_handle(request.user, complaint_id)
    form = ComplaintStepForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_advance(
                by=request.user,
                complaint=complaint,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except services.ComplaintError as error:
            form.add_error("note", error.message)
        else:
            messages.success(request, "Étape enregistrée.")
            return redirect("quality:complaint", complaint.pk)
    return _complaint_page(request, complaint, step_form=form, status=400)


@login_required
@require_POST
def improvement_action_add(request, complaint_id):
    complaint = _complaint_to_handle(request.user, complaint_id)
    form = ImprovementActionForm(request.POST)
    if form.is_valid():
        services.improvement_action_add(by=request.user, complaint=complaint, **form.cleaned_data)
        messages.success(request, "Action d'amélioration enregistrée.")
        return redirect("quality:complaint", complaint.pk)
    return _complaint_page(request, complaint, action_form=form, status=400)


@login_required
@require_POST
def improvement_action_done(request, action_id):
    if not access.handles_complaints(request.user):
        raise PermissionDenied
    action = get_object_or_404(ImprovementAction, pk=action_id)
    services.improvement_action_done(by=request.user, action=action, on=timezone.localdate())
    messages.success(request, "Action marquée comme réalisée.")
    return redirect("quality:complaint", action.complaint_id)


@login_required
@require_GET
def complaint_export(request):
    """The register of a period as CSV (`?du=AAAA-MM-JJ&au=AAAA-MM-JJ`)."""
    if not access.handles_complaints(request.user):
        raise PermissionDenied
    period = PeriodForm(request.GET)
    if not period.is_valid():
        return complaint_list(request)
    start, end = period.cleaned_data["du"], period.cleaned_data["au"]
    writer = SpreadsheetWriter()
    writer.writerows(exports.complaint_rows(reads.complaints_filed_between(start, end)))
    return csv_response(writer.content(), f"reclamations-{start:%Y%m%d}-{end:%Y%m%d}.csv")


# --- Surveys -------------------------------------------------------------------------------------


def _survey_questions(survey, values, errors):
    """The questions as the template shows them, with what was typed and what is wrong."""
    scale = [(str(n), n) for n in range(rules.SCALE_MIN, rules.SCALE_MAX + 1)]
    return [
        {
            "question": question,
            "name": f"q{question.pk}",
            "value": values.get(question.pk, ""),
            "error": errors.get(question.pk, ""),
            "scale": scale,
        }
        for question in survey.questions.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, invitation_id):
    invitation = get_object_or_404(
        SurveyInvitation.objects.select_related("survey", "enrolment__session"),
        pk=invitation_id,
        enrolment__trainee=request.user,
    )
    survey = invitation.survey.specific
    values, errors, message = {}, {}, ""
    anonymous = False
    if request.method == "POST":
        values = {
            question.pk: request.POST.get(f"q{question.pk}", "")
            for question in survey.questions.all()
        }
        anonymous = request.POST.get("anonymous") == "on"
        try:
            services.survey_answer(
                trainee=request.user, invitation=invitation, values=values, anonymous=anonymous
            )
        except services.SurveyError as error:
            message, errors = error.message, error.errors
        else:
            messages.success(request, "Merci : vos réponses sont enregistrées.")
            return redirect("quality:mine")
    return render(
        request,
        "quality/survey_answer.html",
        {
            "invitation": invitation,
            "survey": survey,
            "questions": _survey_questions(survey, values, errors),
            "anonymous": anonymous,
            "message": message,
            "answered": invitation.answered_at is not None,
        },
        status=400 if message else 200,
    )


def _scoped_responses(request):
    """The sessions `request.user` follows (every one for the coordination, their own for
    trainers; 403 for anybody else) and their survey responses under the page's filters
    (`territoire`, `session`, `annee`; a bad value is ignored). The dashboard and its CSV
    export read the same."""
    user = request.user
    if not (access.sees_all_sessions(user) or access.managed_sessions(user).exists()):
        raise PermissionDenied
    sessions = access.managed_sessions(user)
    territory_id = parse_id(request.GET.get("territoire"))
    session_id = parse_id(request.GET.get("session"))
    year = parse_id(request.GET.get("annee"))
    year = year if year and 2000 <= year <= 2100 else None
    responses = reads.responses_for(
        sessions=sessions, territory_id=territory_id, year=year, session_id=session_id
    )
    return sessions, responses, (territory_id, session_id, year)


@login_required
@require_GET
def survey_results_export(request):
    """The survey results of the dashboard's selection as CSV: per session, questionnaire and
    question, the figures the charts show and the free texts — never a person (the same scope
    and filters as the page)."""
    _sessions, responses, _filters = _scoped_responses(request)
    writer = SpreadsheetWriter()
    writer.writerows(
        exports.survey_result_rows(
            reads.survey_results(responses, by_session=True), with_session=True
        )
    )
    return csv_response(writer.content(), f"satisfaction-{timezone.localdate():%Y%m%d}.csv")


@login_required
@require_GET
def dashboard(request):
    """Survey results by session, territory and year: every session for the coordination, their
    own for trainers."""
    sessions, responses, (territory_id, session_id, year) = _scoped_responses(request)
    user = request.user
    return render(
        request,
        "quality/dashboard.html",
        {
            "by_measure": reads.satisfaction_by_measure(responses),
            "by_session": reads.satisfaction_by_session(responses),
            "results": reads.survey_results(responses) if session_id else [],
            "territories": Territory.objects.filter(
                pk__in=sessions.values("territory_id")
            ).order_by("name"),
            "sessions": sessions.order_by("-week1_start", "name").only("pk", "name"),
            "years": sorted(
                {day.year for day in sessions.values_list("week1_start", flat=True)},
                reverse=True,
            ),
            "filters": {"territory": territory_id, "session": session_id, "year": year},
            "sees_all": access.sees_all_sessions(user),
        },
    )


# --- A session's quality page and its evidence pack ---------------------------------------------


def _managed_session_or_404(user, session_id):
    session = get_object_or_404(TrainingSession.objects.select_related("territory"), pk=session_id)
    if not access.manages_session(user, session):
        raise Http404
    return session


@login_required
@require_GET
def session_quality(request, session_id):
    """For the session's trainers and the coordination: the accommodations to apply, the survey
    results, the evidence packs."""
    session = _managed_session_or_404(request.user, session_id)
    today = timezone.localdate()
    return render(
        request,
        "quality/session.html",
        {
            "session": session,
            "accommodations": reads.session_accommodations(session, today),
            "by_measure": reads.satisfaction_by_measure(reads.responses_for(session_id=session.pk)),
            "packs": list(
                EvidencePack.objects.filter(session=session)
                .select_related("requested_by")
                .defer("content")[:10]
            ),
        },
    )


# Each pack is a ZIP built by the worker and a notification e-mail: capped per person.
EVIDENCE_PACKS_PER_ACCOUNT = "10/h"


@login_required
@ratelimit(
    group="quality-evidence-pack", key="user", rate=EVIDENCE_PACKS_PER_ACCOUNT, method="POST"
)
@require_POST
def evidence_pack_request(request, session_id):
    session = _managed_session_or_404(request.user, session_id)
    pack = services.evidence_pack_request(by=request.user, session=session)
    if getattr(pack, "already_requested", False):
        messages.info(
            request,
            "Ce dossier de preuves est déjà en préparation (demandé le "
            f"{format_moment(pack.requested_at)}) : rechargez cette page dans quelques "
            "instants pour le télécharger.",
        )
    else:
        messages.success(
            request,
            "Dossier de preuves demandé : il se prépare en arrière-plan. Une notification vous "
            "préviendra ; rechargez cette page pour le télécharger.",
        )
    return redirect("quality:session", session.pk)


@login_required
@require_GET
def evidence_pack_download(request, pack_id):
    pack = get_object_or_404(
        EvidencePack.objects.select_related("session"),
        pk=pack_id,
        status=EvidencePack.Status.READY,
    )
    if not access.manages_session(request.user, pack.session):
        raise Http404
    response = HttpResponse(bytes(pack.content), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def session_pick(request):
    """The session chosen in the dashboard's "Dossier de preuves" form."""
    session_id = parse_id(request.GET.get("session"))
    if session_id is None:
        return redirect("quality:dashboard")
    return redirect("quality:session", session_id)
