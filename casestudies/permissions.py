"""Who may see, edit and review which dossiers (every view and endpoint goes through here).

- a trainee sees and edits only their own dossiers;
- a trainer sees and reviews the dossiers begun within an active enrolment of the sessions they
  train (not the same person's dossiers from another session);
- a coordinator reads every dossier; an administrator (superuser) may do everything.
The scoping rule itself is `modules.access`. Anything else is a 404, so that a dossier's
existence does not leak.
"""

from django.http import Http404

from lms.roles import is_staff_role, is_trainee
from modules import access

from .models import Dossier


def may_work_case_studies(user) -> bool:
    """Trainees with an active enrolment in any session, and the people who run the training."""
    if not user.is_authenticated:
        return False
    if is_staff_role(user):
        return True
    return is_trainee(user) and access.has_active_enrolment(user)


def visible_dossiers(user):
    """Dossiers `user` may read."""
    return access.visible_work(user, Dossier.objects.all())


def reviewable_dossiers(user):
    """Dossiers `user` may accept or send back (never their own)."""
    return access.gradable_work(user, Dossier.objects.all())


def get_visible_dossier(user, pk, queryset=None) -> Dossier:
    base = queryset if queryset is not None else Dossier.objects.all()
    dossier = access.visible_work(user, base).filter(pk=pk).first()
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
    dossier = access.gradable_work(user, base).filter(pk=pk).first()
    if dossier is None:
        raise Http404("Dossier introuvable.")
    return dossier
