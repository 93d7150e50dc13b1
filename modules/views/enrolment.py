"""Enrolment of trainees by CSV, for the trainers of a session and the coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lms.roles import is_staff_role

from .. import access, selectors
from ..csv_import import csv_import as run_import
from ..forms import CsvImportForm
from ..models import Enrolment


def _require_staff(user):
    if not is_staff_role(user):
        raise PermissionDenied("Réservé aux formateurs et à la coordination.")


@login_required
def csv_import_choose_session(request):
    _require_staff(request.user)
    sessions = selectors.with_enrolled_count(
        access.managed_sessions(request.user).select_related("territory")
    ).order_by("-week1_start")
    return render(request, "modules/enrolment/import_choose.html", {"sessions": sessions})


@login_required
@require_http_methods(["GET", "POST"])
def csv_import(request, session_id: int):
    _require_staff(request.user)
    session = (
        selectors.with_enrolled_count(access.managed_sessions(request.user))
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        # Another trainer's session is as invisible as a missing one.
        raise Http404("Session introuvable.")
    form = CsvImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        report = run_import(
            session=session,
            raw=upload.read(),
            status=form.cleaned_data["statut"],
        )
        if report.ok:
            messages.success(
                request,
                f"{len(report.enrolments)} stagiaire(s) inscrit·e(s) à « {session} », "
                f"dont {report.created_accounts} nouveau(x) compte(s).",
            )
            return redirect("modules:enrolment_import", session_id=session.pk)
        messages.error(
            request,
            f"Aucune inscription n'a été faite : {len(report.errors)} erreur(s) dans "
            f"« {upload.name} ». Corrigez le fichier et importez-le à nouveau.",
        )
    enrolments = (
        Enrolment.objects.filter(session=session)
        .select_related("trainee", "structure")
        .order_by("trainee__last_name", "trainee__first_name")
    )
    return render(
        request,
        "modules/enrolment/import.html",
        {"session": session, "form": form, "report": report, "enrolments": enrolments},
        status=200,
    )
