"""Enrolment of trainees by CSV, for the trainers of a session and the coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lms import cooldown
from lms.collation import sorted_people, trainee_names
from lms.csvfiles import ACCEPTED_ENCODINGS_LABEL
from lms.notifications.services import invite, welcome_cooldown_seconds
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
            by=request.user,
        )
        if report.ok:
            invited = (
                " Chaque nouveau compte reçoit un e-mail pour choisir son mot de passe."
                if report.created_accounts
                else ""
            )
            messages.success(
                request,
                f"{len(report.enrolments)} stagiaire(s) inscrit·e(s) à « {session} », "
                f"dont {report.created_accounts} nouveau(x) compte(s).{invited}",
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
        Enrolment.objects.filter(session=session).select_related(
            "trainee", "trainee__invitation", "structure"
        ),
        trainee_names,
    )
    not_activated = sum(1 for e in enrolments if not e.trainee.has_usable_password())
    return render(
        request,
        "modules/enrolment/import.html",
        {
            "session": session,
            "form": form,
            "report": report,
            "enrolments": enrolments,
            "not_activated": not_activated,
            "accepted_encodings": ACCEPTED_ENCODINGS_LABEL,
        },
        status=200,
    )


@login_required
@require_POST
def send_invitations(request, session_id: int):
    """Send the welcome e-mail again: to one trainee of the session (`trainee`) or to every
    trainee of the session who has not chosen a password yet. Trainers of the session and
    coordinators only; nobody outside the session can be reached this way."""
    _require_staff(request.user)
    session = access.managed_sessions(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404("Session introuvable.")
    enrolments = Enrolment.objects.filter(session=session).select_related("trainee")
    trainee_id = request.POST.get("trainee", "")
    if trainee_id:
        if not trainee_id.isdigit():
            raise Http404("Stagiaire introuvable.")
        enrolments = enrolments.filter(trainee_id=int(trainee_id))
        if not enrolments:
            raise Http404("Stagiaire introuvable.")
    invited = invite(
        [enrolment.trainee for enrolment in enrolments],
        sent_by=request.user,
        session_name=session.name,
    )
    count = len(invited.queued)
    if trainee_id and invited.waiting:
        person, left = invited.waiting[0]
        messages.warning(
            request,
            f"Une invitation a été envoyée à {person.get_full_name()} il y a moins de "
            f"{cooldown.wait_label(welcome_cooldown_seconds())} : vous pourrez la renvoyer "
            f"dans {cooldown.wait_label(left)}.",
        )
    elif count == 0 and not invited.waiting:
        messages.info(request, "Aucune invitation à envoyer : ces comptes sont déjà activés.")
    elif trainee_id:
        name = enrolments[0].trainee.get_full_name()
        messages.success(request, f"L'invitation est renvoyée à {name}.")
    elif count:
        messages.success(
            request,
            "L'invitation est renvoyée à 1 stagiaire."
            if count == 1
            else f"L'invitation est renvoyée à {count} stagiaires.",
        )
    if invited.waiting and not trainee_id:
        waiting = len(invited.waiting)
        longest = max(left for _, left in invited.waiting)
        messages.info(
            request,
            (
                "1 stagiaire a reçu son invitation"
                if waiting == 1
                else f"{waiting} stagiaires ont reçu leur invitation"
            )
            + f" il y a moins de {cooldown.wait_label(welcome_cooldown_seconds())} : pas de "
            f"nouvel envoi pour l'instant (possible dans {cooldown.wait_label(longest)} au plus).",
        )
    return redirect("modules:enrolment_import", session_id=session.pk)


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
