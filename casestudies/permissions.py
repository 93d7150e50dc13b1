"""Who may see, edit and review which dossiers (every view and endpoint goes through here).

- a trainee sees and edits only their own dossiers;
- a trainer sees and reviews the dossiers of the trainees actively enrolled in the sessions
  they train;
- a coordinator reads every dossier; an administrator (superuser) may do everything.
Anything else is a 404, so that a dossier's existence does not leak.
"""

from django.http import Http404

from lms.roles import is_coordinator, is_staff_role, is_trainee, is_trainer
from modules.models import Enrolment

from .models import Dossier


def active_enrolments():
    return Enrolment.objects.filter(status__in=Enrolment.ACTIVE_STATUSES)


def may_work_case_studies(user) -> bool:
    """Trainees with an active enrolment in any session, and the people who run the training."""
    if not user.is_authenticated:
        return False
    if is_staff_role(user):
        return True
    return is_trainee(user) and active_enrolments().filter(trainee=user).exists()


def trained_trainee_ids(user):
    """Subquery: ids of the trainees actively enrolled in the sessions `user` trains."""
    return active_enrolments().filter(session__trainers=user).values("trainee_id")


def visible_dossiers(user):
    """Dossiers `user` may read."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if user.is_superuser or is_coordinator(user):
        return Dossier.objects.all()
    own = Dossier.objects.filter(trainee=user)
    if is_trainer(user):
        return Dossier.objects.filter(trainee_id__in=trained_trainee_ids(user)) | own
    return own


def reviewable_dossiers(user):
    """Dossiers `user` may accept or send back (never their own)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.exclude(trainee=user)
    if is_trainer(user):
        return Dossier.objects.filter(trainee_id__in=trained_trainee_ids(user)).exclude(
            trainee=user
        )
    return Dossier.objects.none()


def get_visible_dossier(user, pk, queryset=None) -> Dossier:
    dossier = (queryset if queryset is not None else visible_dossiers(user)).filter(pk=pk).first()
    if dossier is None:
        raise Http404("Dossier introuvable.")
    return dossier


def get_own_dossier(user, pk, queryset=None) -> Dossier:
    """The dossier `pk` if `user` is its trainee (the only one who may edit it)."""
    if not user.is_authenticated:
        raise Http404("Dossier introuvable.")
    base = queryset if queryset is not None else Dossier.objects.all()
    dossier = base.filter(pk=pk, trainee=user).first()
    if dossier is None:
        raise Http404("Dossier introuvable.")
    return dossier


def get_reviewable_dossier(user, pk, queryset=None) -> Dossier:
    base = queryset if queryset is not None else Dossier.objects.all()
    dossier = base.filter(pk=pk, pk__in=reviewable_dossiers(user).values("pk")).first()
    if dossier is None:
        raise Http404("Dossier introuvable.")
    return dossier
