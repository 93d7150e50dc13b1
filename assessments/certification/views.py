"""Views of competency results, certification, certificates and their public verification.

Thin: permissions, then a read from `assessments.certification.selectors` or a write from
`assessments.certification.services`, then a template or a file.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from django_ratelimit.decorators import ratelimit

from lms import pagecache
from lms.converters import parse_id
from lms.csvfiles import SpreadsheetWriter, csv_response
from lms.formats import format_number
from lms.models import SiteSettings
from lms.roles import is_trainer
from lms.wording import de, plural
from modules import access
from modules.models import Enrolment, TrainingSession

from .. import pdf
from ..credentials.forms import CredentialUploadForm
from ..models import CompetencyDecision, CompetencyResult
from . import documents, numbers, rules
from . import selectors as reads
from .forms import BulkValidationForm, DecisionForm, NumberForm, ReissueForm, RevokeForm
from .models import Certification
from .services import (
    CertificationError,
    certification_create,
    certification_reissue,
    certification_revoke,
    competencies_validate_reached,
    competency_results_refresh,
    competency_validate,
)


def _staff_required(user):
    if access.sees_all_sessions(user):
        return
    if not (user.is_authenticated and access.managed_sessions(user).exists()):
        raise PermissionDenied


# --- Mon parcours (trainee) ------------------------------------------------------------------


@login_required
@require_GET
def parcours(request):
    user = request.user
    programme = reads.shared_programme_rules()
    competency_list = reads.shared_competencies()
    results = competency_results_refresh(trainees=[user]).get(user.pk, {})
    enrolments = reads.trainee_enrolments(user)
    hours = reads.attended_hours([enrolment.pk for enrolment in enrolments])
    decisions = reads.decisions_by_competency(user)
    certifications = reads.certifications_of(user)
    issues = documents.completion_issues(
        {enrolment.session_id for enrolment in enrolments}, timezone.localtime(), shared_days=True
    )
    enrolment_rows = [
        {
            "enrolment": enrolment,
            "final_completion": not issues[enrolment.session_id].provisional,
            "hours": hours.get(enrolment.pk, 0),
            "percent": rules.attendance_percent(
                hours.get(enrolment.pk, 0), programme.duration_hours
            ),
        }
        for enrolment in enrolments
    ]
    competency_rows = [
        {
            "competency": competency,
            "result": results.get(competency.code),
            "decisions": decisions.get(competency.code, []),
        }
        for competency in competency_list
    ]
    return render(
        request,
        "assessments/parcours/parcours.html",
        {
            "programme": programme,
            "enrolment_rows": enrolment_rows,
            "competency_rows": competency_rows,
            "certifications": certifications,
        },
    )


# --- Suivi de session (trainers) -------------------------------------------------------------


@login_required
@require_GET
def suivi_index(request):
    _staff_required(request.user)
    page = Paginator(reads.followed_sessions(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "assessments/suivi/index.html", {"page": page})


def _managed_session(user, session_id) -> TrainingSession:
    session = get_object_or_404(
        TrainingSession.objects.select_related("territory").prefetch_related("trainers"),
        pk=session_id,
    )
    if not access.manages_session(user, session):
        # Another trainer's session: as if it did not exist.
        raise Http404
    return session


def _suivi_context(session, *, errors=None):
    programme = reads.programme_rules()
    competency_list = reads.competencies()
    enrolments = reads.session_enrolments(session)
    trainee_ids = [enrolment.trainee_id for enrolment in enrolments]
    evidence = reads.evidence_for(trainee_ids)
    competency_results_refresh(trainees=trainee_ids)
    rows = reads.trainee_rows(
        enrolments, programme=programme, competency_list=competency_list, evidence=evidence
    )
    errors = errors or {}
    for row in rows:
        for _competency, result in row.cells:
            if result is not None:
                result.decision_error = errors.get(result.pk)
    return {
        "session": session,
        "programme": programme,
        "competencies": competency_list,
        "rows": rows,
        "certifiable_count": sum(1 for row in rows if row.certifiable),
        "to_validate_count": sum(row.to_validate for row in rows),
        "decision_choices": CompetencyDecision.Decision.choices,
    }


@login_required
@require_GET
def suivi_session(request, session_id):
    session = _managed_session(request.user, session_id)
    return render(request, "assessments/suivi/session.html", _suivi_context(session))


@login_required
@require_POST
def competency_decide(request, session_id, result_id):
    session = _managed_session(request.user, session_id)
    result = get_object_or_404(
        CompetencyResult.objects.select_related("competency", "trainee"),
        pk=result_id,
        trainee__enrolments__session=session,
    )
    form = DecisionForm(request.POST)
    error = None
    if form.is_valid():
        try:
            competency_validate(
                result=result,
                user=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except CertificationError as refused:
            error = refused.message
        else:
            label = dict(CompetencyDecision.Decision.choices)[form.cleaned_data["decision"]]
            messages.success(
                request,
                f"{result.competency.code} {de(result.trainee.get_full_name())} : {label.lower()}.",
            )
            return redirect(
                reverse("assessments:suivi_session", args=[session.pk])
                + f"#stagiaire-{result.trainee_id}"
            )
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    errors = {
        result.pk: {
            "message": error,
            "comment": request.POST.get("comment", ""),
            "decision": request.POST.get("decision", ""),
        }
    }
    context = _suivi_context(session, errors=errors)
    return render(request, "assessments/suivi/session.html", context, status=400)


@login_required
@require_GET
def suivi_session_csv(request, session_id):
    """The session's results as a spreadsheet: one row per trainee, the grid's columns (hours,
    attendance, accepted milestones, quiz results, each competency's level and decision,
    certification). Same access and same figures as the page."""
    session = _managed_session(request.user, session_id)
    context = _suivi_context(session)
    writer = SpreadsheetWriter()
    codes = [competency.code for competency in context["competencies"]]
    writer.writerow(
        [
            "Nom",
            "Prénom",
            "E-mail",
            "Heures de présence",
            "Assiduité (%)",
            "Jalons acceptés",
            "Résultats d'évaluation",
            *(f"{code} niveau (%)" for code in codes),
            *(f"{code} décision" for code in codes),
            "Certification",
        ]
    )
    for row in context["rows"]:
        levels, decisions = [], []
        for _competency, result in row.cells:
            if result is None:
                levels.append("")
                decisions.append("")
                continue
            levels.append(format_number(result.computed_level, 1))
            decisions.append(
                result.get_status_display()
                if result.status != CompetencyResult.Status.PROPOSED
                or result.proposal == CompetencyResult.Proposal.REACHED
                else result.get_proposal_display()
            )
        if row.certification:
            certification = f"Certifié·e n° {row.certification.number}"
        elif row.certifiable:
            certification = "Certifiable"
        else:
            certification = " ".join(row.eligibility.reasons)
        writer.writerow(
            [
                row.trainee.last_name,
                row.trainee.first_name,
                row.trainee.email,
                format_number(row.hours, 1),
                format_number(row.eligibility.attendance_percent, 1),
                row.dossier_count,
                row.quiz_count,
                *levels,
                *decisions,
                certification,
            ]
        )
    return csv_response(
        writer.content(),
        f"resultats-{session.slug or session.pk}-{timezone.localdate():%Y%m%d}.csv",
    )


@login_required
@require_http_methods(["GET", "POST"])
def competencies_validate_bulk(request, session_id):
    """Every competency proposed "atteinte" in the session, with its evidence, validated in one
    action with one comment (the trainer may uncheck some)."""
    session = _managed_session(request.user, session_id)
    results = reads.reached_to_validate(session)
    form = BulkValidationForm(request.POST or None, results=results)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = competencies_validate_reached(
                    session=session,
                    user=request.user,
                    result_ids=form.cleaned_data["results"],
                    comment=form.cleaned_data["comment"],
                )
            except CertificationError as refused:
                form.add_error(None, refused.message)
            else:
                count = len(outcome.validated)
                text = f"{count} compétence{plural(count)} validée{plural(count)}."
                if outcome.skipped:
                    text += (
                        f" {outcome.skipped} avai{'en' if outcome.skipped > 1 else ''}t changé "
                        "depuis l'affichage de la liste et n'"
                        f"{'ont' if outcome.skipped > 1 else 'a'} pas été validée"
                        f"{plural(outcome.skipped)}."
                    )
                messages.success(request, text)
                return redirect("assessments:suivi_session", session.pk)
        status = 400
    rows = [(result, form["results"][index]) for index, result in enumerate(results)]
    context = {
        "session": session,
        "form": form,
        "rows": rows,
        "programme": reads.programme_rules(),
    }
    return render(request, "assessments/suivi/validate_bulk.html", context, status=status)


# --- Certifications (trainers of the session, coordinators) -----------------------------------


@login_required
@require_GET
def certifications(request):
    _staff_required(request.user)
    form = NumberForm(request.GET or None)
    found = None
    searched = False
    if request.GET.get("numero") is not None and form.is_valid():
        searched = True
        found = reads.find_certification(form.cleaned_data["numero"])
        if found is not None and not reads.user_can_read_certification(request.user, found):
            found = None
        if found is not None:
            return redirect("assessments:certification_detail", number=found.number)
    programme = reads.programme_rules()
    candidates = reads.certification_candidates(request.user, parse_id(request.GET.get("session")))
    rows = reads.trainee_rows(
        candidates,
        programme=programme,
        competency_list=reads.competencies(),
        evidence=({}, {}),
    )
    recent = (
        Certification.objects.filter(session__in=access.managed_sessions(request.user))
        .select_related("trainee", "session")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "assessments/certification/index.html",
        {
            "form": form,
            "searched": searched,
            "eligible_rows": [row for row in rows if row.certifiable],
            "waiting_rows": [row for row in rows if not row.certifiable],
            "recent": recent,
            "programme": programme,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certify(request, enrolment_id):
    """GET: the evidence summary and a confirmation form; POST with `confirm`: certify."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session", "session__territory", "trainee"),
        pk=enrolment_id,
    )
    if not access.manages_session(request.user, enrolment.session):
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "oui":
        try:
            certification = certification_create(enrolment=enrolment, user=request.user)
        except CertificationError as refused:
            messages.error(request, refused.message)
            return redirect("assessments:certify", enrolment_id=enrolment.pk)
        messages.success(
            request,
            f"{enrolment.trainee.get_full_name()} est certifié·e : "
            f"certificat n° {certification.number}.",
        )
        return redirect("assessments:certification_detail", number=certification.number)
    return render(
        request,
        "assessments/certification/confirm.html",
        reads.certification_evidence(enrolment),
        status=400 if request.method == "POST" else 200,
    )


def _readable_certification(user, number) -> Certification:
    certification = reads.find_certification(number)
    if certification is None or not reads.user_can_read_certification(user, certification):
        raise Http404
    return certification


@login_required
@require_http_methods(["GET", "POST"])
def certification_detail(request, number):
    certification = _readable_certification(request.user, number)
    can_manage = access.manages_session(request.user, certification.session)
    if not can_manage:
        raise Http404
    action = request.POST.get("action", "revoke")
    form = RevokeForm(request.POST if request.method == "POST" and action == "revoke" else None)
    reissue_form = ReissueForm(
        request.POST if request.method == "POST" and action == "reissue" else None
    )
    status = 200
    if request.method == "POST":
        status = 400
        if action == "reissue" and reissue_form.is_valid():
            try:
                new = certification_reissue(
                    certification=certification,
                    user=request.user,
                    reason=reissue_form.cleaned_data["reason"],
                )
            except CertificationError as refused:
                reissue_form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    f"Certificat réémis au nom {de(new.holder_name)} : n° {new.number} "
                    f"(le n° {certification.number} est remplacé).",
                )
                return redirect("assessments:certification_detail", number=new.number)
        elif action == "revoke" and form.is_valid():
            try:
                certification_revoke(
                    certification=certification,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except CertificationError as refused:
                form.add_error("reason", refused.message)
            else:
                messages.success(request, f"Le certificat {certification.number} est révoqué.")
                return redirect("assessments:certification_detail", number=certification.number)
    return render(
        request,
        "assessments/certification/detail.html",
        {
            "certification": certification,
            "form": form,
            "reissue_form": reissue_form,
            "current_name": certification.trainee.get_full_name(),
        },
        status=status,
    )


# --- PDF files -----------------------------------------------------------------------------


def verification_url(number: str) -> str:
    """The public verification address printed on the certificate and in its QR code: the
    site's base URL (`WAGTAILADMIN_BASE_URL`, required in production) + the page's path."""
    path = reverse("assessments:verify_number", args=[number])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def certificate_file(request, number):
    """The certificate as issued: the stored name, session, dates and competencies."""
    certification = _readable_certification(request.user, number)
    data = pdf.CertificateData(
        full_name=certification.holder_name,
        number=certification.number,
        certified_on=certification.certified_on,
        competencies=certification.competency_pairs,
        session_name=certification.session_name,
        verification_url=verification_url(certification.number),
        revoked=not certification.is_valid,
        issuer=SiteSettings.load(request_or_site=request).organisation_name,
    )
    return _pdf_response(pdf.certificate_pdf(data), f"certificat-{certification.number}.pdf")


@login_required
@require_GET
def completion_file(request, enrolment_id):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("trainee", "structure", "session", "session__territory"),
        pk=enrolment_id,
    )
    if enrolment.trainee_id != request.user.pk and not access.manages_session(
        request.user, enrolment.session
    ):
        raise Http404
    data = documents.completion_data(
        enrolment,
        training_body=SiteSettings.load(request_or_site=request).training_body(),
        now_local=timezone.localtime(),
    )
    if data is None:
        raise Http404("Aucune demi-journée émargée présente : pas de certificat de réalisation.")
    name = "attestation-presence-provisoire" if data.provisional else "certificat-realisation"
    return _pdf_response(pdf.completion_pdf(data), f"{name}-{enrolment.pk}.pdf")


# --- Public verification ---------------------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


# Per client (IP address), both verification pages together, counters in the shared cache: a
# person checking certificates never reaches it; walking numbers meets 429 (the French page of
# RATELIMIT_VIEW) at the 101st request within a minute.
VERIFICATIONS_PER_CLIENT = "100/m"
verification_rate_limited = ratelimit(
    group="certificate-verification", key="ip", rate=VERIFICATIONS_PER_CLIENT, method=ratelimit.ALL
)


@verification_rate_limited
@require_GET
def verify(request):
    form = NumberForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("assessments:verify_number", number=form.cleaned_data["numero"])
    return _public(
        render(
            request,
            "assessments/verification/form.html",
            # Verifying an Open Badges credential by upload (assessments.credentials).
            {"form": form, "upload_form": CredentialUploadForm()},
        )
    )


VERIFICATION_STATES = {
    Certification.Status.VALID: "valide",
    Certification.Status.REVOKED: "révoqué",
    Certification.Status.SUPERSEDED: "remplacé",
}


@verification_rate_limited
@require_GET
def verify_number(request, number):
    """The holder's name and the date as issued, and the status; a replaced certificate names
    its replacement. The same page shape for an unknown or malformed number."""
    cleaned = numbers.normalise(number)
    if numbers.is_attestation(cleaned):
        return _verify_attestation(request, cleaned)
    # Always one query, whatever the shape: known, unknown and malformed cost the same.
    row = (
        Certification.objects.filter(number=cleaned)
        .values("status", "certified_on", "holder_name", "superseded_by__number")
        .first()
    )
    context = {"number": cleaned, "state": "inconnu", "name": "", "certified_on": None}
    if row is not None:
        context.update(
            state=VERIFICATION_STATES[row["status"]],
            name=row["holder_name"],
            certified_on=row["certified_on"],
            replaced_by=row["superseded_by__number"],
        )
    context["form"] = NumberForm(initial={"numero": cleaned})
    return _public(render(request, "assessments/verification/result.html", context))


def _verify_attestation(request, cleaned):
    """An awareness attestation (assessments.awareness): the holder's name and the date of
    issue, on the same page shape and with the same single query."""
    from ..awareness.models import Attestation

    row = Attestation.objects.filter(number=cleaned).values("holder_name", "issued_on").first()
    context = {
        "number": cleaned,
        "document": "attestation",
        "state": "valide" if row else "inconnu",
        "name": row["holder_name"] if row else "",
        "certified_on": row["issued_on"] if row else None,
        "form": NumberForm(initial={"numero": cleaned}),
    }
    return _public(render(request, "assessments/verification/result.html", context))


# --- Tableau national and public results -------------------------------------------------------

CSV_TABLES = {
    "annees": "certifies-par-annee",
    "territoires": "sessions-par-territoire-et-annee",
    "sessions": "sessions",
    "indicateurs": "indicateurs",
    "sensibilises": "sensibilises-par-territoire-profil-et-annee",
    "orientations": "orientations-par-territoire-et-annee",
}
NATIONAL_ONLY_TABLES = {"sensibilises", "orientations"}


def _tracker_access(user):
    if not user.is_authenticated:
        raise PermissionDenied
    if not (access.sees_all_sessions(user) or is_trainer(user)):
        raise PermissionDenied


def _percent(value) -> str:
    return "" if value is None else rules.format_percent(value)


def _indicator_rows(figures) -> list[tuple[str, str]]:
    trajectory = figures["trajectory"]
    return [
        ("Ensembliers certifiés", str(trajectory.total)),
        ("Objectif national", str(trajectory.target)),
        ("Échéance", trajectory.deadline.strftime("%d/%m/%Y")),
        ("Restant à certifier", str(trajectory.remaining)),
        ("Rythme actuel (certifiés sur 12 mois)", str(trajectory.last_12_months)),
        ("Rythme nécessaire (par mois)", _percent(trajectory.needed_per_month)),
        ("Rythme actuel (par mois)", _percent(trajectory.current_per_month)),
        (
            "Date projetée au rythme actuel",
            trajectory.projected_date.strftime("%d/%m/%Y") if trajectory.projected_date else "",
        ),
        ("Stagiaires en formation", str(figures["in_training"])),
        ("Taux de réussite (%)", _percent(figures["success_rate"])),
        ("Taux d'abandon (%)", _percent(figures["abandon_rate"])),
        ("Taux d'assiduité (%)", _percent(figures["attendance_rate"])),
    ]


@login_required
@require_GET
def tracker(request):
    _tracker_access(request.user)
    figures = reads.tracker_figures(request.user, timezone.localdate())
    national = access.sees_all_sessions(request.user)
    return render(
        request,
        "assessments/tracker/tracker.html",
        {
            **figures,
            "recent_sessions": figures["sessions"][:25],
            "national": national,
            "indicators": _indicator_rows(figures),
            # The awareness course and referrals are national (no session scope).
            "awareness": _awareness_figures() if national else None,
        },
    )


def _awareness_figures() -> dict:
    from ..awareness.selectors import national_figures

    return national_figures()


@login_required
@require_GET
def tracker_csv(request, table):
    if table not in CSV_TABLES:
        raise Http404
    _tracker_access(request.user)
    writer = SpreadsheetWriter()
    if table in NATIONAL_ONLY_TABLES:
        if not access.sees_all_sessions(request.user):
            raise PermissionDenied
        awareness = _awareness_figures()
        if table == "sensibilises":
            writer.writerow(["Année", "Territoire", "Profil", "Personnes sensibilisées"])
            for row in awareness["sensibilised"]:
                writer.writerow([row["year"], row["territory"], row["role"], row["count"]])
        else:
            writer.writerow(["Année", "Territoire", "Orientations transmises"])
            for row in awareness["referrals"]:
                writer.writerow([row["year"], row["territory"], row["count"]])
        return csv_response(
            writer.content(), f"{CSV_TABLES[table]}-{timezone.localdate():%Y%m%d}.csv"
        )
    figures = reads.tracker_figures(request.user, timezone.localdate())
    if table == "annees":
        writer.writerow(["Année", "Certifiés", "Cumul", "Cumul nécessaire"])
        for row in figures["trajectory"].years:
            writer.writerow(
                [
                    row.year,
                    row.certified,
                    row.cumulative,
                    "" if row.needed_cumulative is None else row.needed_cumulative,
                ]
            )
    elif table == "territoires":
        writer.writerow(["Territoire", "Année", "Sessions", "Stagiaires", "Certifiés"])
        for row in figures["by_territory"]:
            writer.writerow(
                [row["territory"], row["year"], row["sessions"], row["trainees"], row["certified"]]
            )
    elif table == "sessions":
        writer.writerow(["Session", "Territoire", "Début", "Statut", "Stagiaires", "Certifiés"])
        for session in figures["sessions"]:
            writer.writerow(
                [
                    session.name,
                    session.territory.name,
                    session.week1_start.strftime("%d/%m/%Y"),
                    session.get_status_display(),
                    session.trainees,
                    session.certified,
                ]
            )
    else:
        writer.writerow(["Indicateur", "Valeur"])
        writer.writerows(_indicator_rows(figures))
    return csv_response(writer.content(), f"{CSV_TABLES[table]}-{timezone.localdate():%Y%m%d}.csv")


@require_GET
@pagecache.cache_for_visitors(groups=(pagecache.SITE, pagecache.ATTENDANCE))
def results(request):
    """Public aggregate indicators (Qualiopi indicator 2), each with its base and period; the
    satisfaction figures come from the quality app's surveys. Stored whole for visitors
    (lms.pagecache): certifications, enrolments, sessions and survey answers are registered with
    the page cache, attendance records with its "attendance" group."""
    from ..quality.selectors import public_results

    figures = public_results(timezone.localdate())
    return render(request, "assessments/results/results.html", figures)
