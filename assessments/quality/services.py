"""Writes of the quality app: keyword-only `<noun>_<verb>` functions, atomic. Nothing of the
register is deleted: accommodations are ended, complaints closed."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from modules import access

from .models import Accommodation

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
