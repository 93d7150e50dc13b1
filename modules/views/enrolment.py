"""Enrolment of trainees by CSV, for the trainers of a session and the coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lms.collation import sorted_people, trainee_names
from lms.csvfiles import ACCEPTED_ENCODINGS_LABEL
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
            if report.already_enrolled:
                messages.info(request, _already_enrolled_message(report.already_enrolled))
            return redirect("modules:enrolment_import", session_id=session.pk)
        messages.error(
            request,
            f"Aucune inscription n'a été faite : {len(report.errors)} erreur(s) dans "
            f"« {upload.name} ». Corrigez le fichier et importez-le à nouveau.",
        )
    enrolments = sorted_people(
        Enrolment.objects.filter(session=session).select_related("trainee", "structure"),
        trainee_names,
    )
    return render(
        request,
        "modules/enrolment/import.html",
        {
            "session": session,
            "form": form,
            "report": report,
            "enrolments": enrolments,
            "accepted_encodings": ACCEPTED_ENCODINGS_LABEL,
        },
        status=200,
    )


def _already_enrolled_message(rows, shown: int = 20) -> str:
    """'Déjà inscrit·e(s), laissé(s) tel(s) quel(s) : Lucie Bonnet (ligne 2, Confirmé), …'."""
    names = [
        f"{row.first_name} {row.last_name} (ligne {row.line}, {row.already_enrolled})"
        for row in rows[:shown]
    ]
    more = f" et {len(rows) - shown} autre(s)" if len(rows) > shown else ""
    return (
        f"{len(rows)} personne(s) déjà inscrite(s), laissée(s) telle(s) quelle(s) : "
        + ", ".join(names)
        + more
        + "."
    )
