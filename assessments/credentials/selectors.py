"""Reads of the credentials: which certificate or attestation a number names (one query)."""

import datetime

from ..awareness.models import Attestation
from ..certification import numbers
from ..certification.models import Certification


def document_by_number(number: str) -> Certification | Attestation | None:
    """The certificate (ENS-…) or awareness attestation (SEN-…) of `number`, with its holder."""
    cleaned = numbers.normalise(number)
    if not numbers.is_well_formed(cleaned):
        return None
    if numbers.is_attestation(cleaned):
        return Attestation.objects.select_related("user").filter(number=cleaned).first()
    return Certification.objects.select_related("trainee").filter(number=cleaned).first()


def holder_id(document: Certification | Attestation) -> int | None:
    if isinstance(document, Certification):
        return document.trainee_id
    return document.user_id


def awarded_on(document: Certification | Attestation) -> datetime.date:
    if isinstance(document, Certification):
        return document.certified_on
    return document.issued_on
