"""Writes of the register: the person's consent, given or withdrawn, with its history."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from modules import access

from .models import RegisterConsent, RegisterConsentEvent
from .wording import CONSENT_WORDING


@transaction.atomic
def register_consent_set(*, actor, person, listed: bool) -> RegisterConsent:
    """Give (`listed=True`) or withdraw consent to appear in the public register.

    Only the person themself may do it (`access.may_change_register_consent`); anybody else,
    staff included, gets PermissionDenied and nothing is written. A change writes the current
    state and one dated event with the wording agreed to; asking for the state already in force
    (a second click, another tab) writes nothing. Withdrawal takes effect with the commit: the
    API reads the state on every request and caches nothing (docs/decisions.md, issue 17)."""
    if not access.may_change_register_consent(actor, person):
        raise PermissionDenied("Seule la personne concernée peut donner ou retirer son accord.")
    now = timezone.now()
    consent, _ = RegisterConsent.objects.select_for_update().get_or_create(
        person=person, defaults={"listed": False, "changed_at": now}
    )
    if consent.listed == listed:
        return consent
    consent.listed = listed
    consent.changed_at = now
    consent.save(update_fields=["listed", "changed_at"])
    RegisterConsentEvent.objects.create(
        person=person,
        action=RegisterConsentEvent.Action.GIVEN
        if listed
        else RegisterConsentEvent.Action.WITHDRAWN,
        at=now,
        by=actor,
        wording=CONSENT_WORDING,
    )
    return consent
