"""Writes of the quality app: keyword-only `<noun>_<verb>` functions, atomic. Nothing of the
register is deleted: accommodations are ended, complaints closed."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.notifications import kinds
from lms.notifications.services import notify
from lms.roles import Role
from lms.text import without_nul
from modules import access

from . import rules
from .models import Accommodation, Complaint, ComplaintStep, ImprovementAction
from .rules import ComplaintStatus

ACCOMMODATION_FIELDS = (
    "time_factor",
    "alternative_format",
    "room_note",
    "confidential_note",
    "consent_on",
    "starts_on",
)


def _require_referent(user):
    if not access.records_accommodations(user):
        raise PermissionDenied("Réservé au ou à la référent·e handicap.")


@transaction.atomic
def accommodation_record(*, by, trainee, **values) -> Accommodation:
    """A new accommodation for `trainee`, recorded by the disability referent `by`."""
    _require_referent(by)
    accommodation = Accommodation(trainee=trainee, recorded_by=by)
    for field in ACCOMMODATION_FIELDS:
        if field in values:
            setattr(accommodation, field, values[field])
    accommodation.full_clean()
    accommodation.save()
    return accommodation


@transaction.atomic
def accommodation_update(*, by, accommodation: Accommodation, **values) -> Accommodation:
    _require_referent(by)
    locked = Accommodation.objects.select_for_update().get(pk=accommodation.pk)
    for field in ACCOMMODATION_FIELDS:
        if field in values:
            setattr(locked, field, values[field])
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def accommodation_end(
    *, by, accommodation: Accommodation, on: datetime.date, reason: str
) -> Accommodation:
    """End an accommodation on `on` (it no longer applies from that day); kept in the register."""
    _require_referent(by)
    locked = Accommodation.objects.select_for_update().get(pk=accommodation.pk)
    if locked.ended_on is None or on < locked.ended_on:
        locked.ended_on = max(on, locked.starts_on)
        locked.end_reason = reason
        locked.save(update_fields=["ended_on", "end_reason", "updated_at"])
    return locked


# --- Complaints ----------------------------------------------------------------------------------


class ComplaintError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


STEP_DATE_FIELD = {
    ComplaintStatus.ACKNOWLEDGED: "acknowledged_at",
    ComplaintStatus.ANALYSED: "analysed_at",
    ComplaintStatus.ANSWERED: "answered_at",
    ComplaintStatus.CLOSED: "closed_at",
}


def _handlers():
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=Role.COORDINATOR.value).distinct()


@transaction.atomic
def complaint_file(
    *,
    by,
    kind: str,
    filer_name: str,
    filer_email: str,
    filer_role: str,
    subject: str,
    description: str,
    session=None,
    now=None,
) -> Complaint:
    """Record a complaint or an incident (`by` is the account, None for a visitor) and tell the
    coordination."""
    now = now or timezone.now()
    account = by if getattr(by, "is_authenticated", False) else None
    complaint = Complaint(
        kind=kind,
        filed_by=account,
        filer_name=without_nul(filer_name).strip(),
        filer_email=filer_email.strip(),
        filer_role=filer_role,
        session=session,
        subject=without_nul(subject).strip(),
        description=without_nul(description).strip(),
    )
    complaint.full_clean()
    complaint.save()
    ComplaintStep.objects.create(
        complaint=complaint, status=ComplaintStatus.FILED, at=complaint.filed_at, by=account
    )
    url = reverse("quality:complaint", args=[complaint.pk])
    for handler in _handlers():
        notify(
            handler,
            kinds.COMPLAINT_FILED,
            title=f"{complaint.get_kind_display()} n° {complaint.reference} : {complaint.subject}",
            url=url,
        )
    return complaint


@transaction.atomic
def complaint_advance(*, by, complaint: Complaint, status: str, note: str = "", now=None):
    """Take the next handling step of `complaint` (acknowledge, analyse, answer, close), dated
    now and signed by `by`. Analysis and answer need their text (`rules`)."""
    if not access.handles_complaints(by):
        raise PermissionDenied
    now = now or timezone.now()
    note = without_nul(note).strip()
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    refusal = rules.complaint_step_refusal(locked.status, status, note)
    if refusal:
        raise ComplaintError(refusal)
    target = ComplaintStatus(status)
    locked.status = target
    setattr(locked, STEP_DATE_FIELD[target], now)
    if target == ComplaintStatus.ANALYSED:
        locked.analysis = note
    elif target == ComplaintStatus.ANSWERED:
        locked.answer = note
    locked.save()
    ComplaintStep.objects.create(complaint=locked, status=target, at=now, by=by, note=note)
    if target == ComplaintStatus.ANSWERED and locked.filed_by_id:
        notify(
            locked.filed_by,
            kinds.COMPLAINT_ANSWERED,
            title=f"Votre {locked.get_kind_display().lower()} n° {locked.reference} a une réponse",
            url=reverse("quality:complaint", args=[locked.pk]),
        )
    return locked


@transaction.atomic
def improvement_action_add(
    *, by, complaint: Complaint, description: str, owner: str = "", due_on=None
) -> ImprovementAction:
    if not access.handles_complaints(by):
        raise PermissionDenied
    action = ImprovementAction(
        complaint=complaint,
        description=without_nul(description).strip(),
        owner=without_nul(owner).strip(),
        due_on=due_on,
        decided_by=by,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def improvement_action_done(*, by, action: ImprovementAction, on: datetime.date):
    if not access.handles_complaints(by):
        raise PermissionDenied
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if locked.done_on is None:
        locked.done_on = on
        locked.save(update_fields=["done_on"])
    return locked
