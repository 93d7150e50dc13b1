"""Issuing and signing credentials, and the cached status list.

- `issue(document)`: the credential of a certificate or attestation and its VC-JWT. Built at each
  download from the stored document and its `CredentialRecord` (allocated at the first download:
  a random free index of the status list and a salt), signed with the keyring's active key.
  Ed25519 signatures are deterministic: with the same key, every download is the same bytes.
  Nothing of the credential is stored but the record, so nothing can be lost; forging one needs
  the private key; moving one to another person breaks its signature.
- `status_list()`: the signed `BitstringStatusListCredential`; kept in the cache and signed again
  only when the set of withdrawn indexes (one query at each read) or the active key changed,
  so a revocation shows at once in every process, whatever the cache. Revoked and superseded
  certificates have their bit set.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joserfc import jwt

from lms.models import SiteSettings

from ..awareness.models import Attestation
from ..certification.models import Certification
from . import bitstring, keys, openbadges
from .models import CredentialRecord

STATUS_LIST_CACHE_KEY = "credentials:status-list"
# Rebuilt after every change anyway; the timeout only bounds a missed invalidation.
STATUS_LIST_SECONDS = 60 * 60
ALLOCATION_ATTEMPTS = 32


class CredentialError(Exception):
    """A credential that cannot be issued (French message)."""


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def issuer_id() -> str:
    """The issuer's id: the URL of its profile (no query)."""
    return absolute(reverse("credentials:issuer"))


def issuer() -> openbadges.Issuer:
    """The collective, as the site settings name it (one query)."""
    site = SiteSettings.load()
    return openbadges.Issuer(
        id=issuer_id(),
        name=site.organisation_name,
        url=absolute("/"),
        email=site.contact_email,
    )


def status_list_url() -> str:
    return absolute(reverse("credentials:status_list"))


def sign(claims: dict) -> str:
    """A compact JWS (VC-JWT) of `claims`, signed by the active key, `kid` in the header."""
    key = keys.keyring().active
    header = {"alg": keys.ALG, "kid": key.kid, "typ": "JWT"}
    return jwt.encode(header, claims, key, algorithms=[keys.ALG])


# --- Records --------------------------------------------------------------------------------


def record_for(document: Certification | Attestation) -> CredentialRecord:
    """The document's record; created at the first call with a random free status index."""
    field = "certification" if isinstance(document, Certification) else "attestation"
    existing = CredentialRecord.objects.filter(**{field: document}).first()
    if existing is not None:
        return existing
    for _attempt in range(ALLOCATION_ATTEMPTS):
        try:
            with transaction.atomic():
                return CredentialRecord.objects.create(
                    status_index=secrets.randbelow(bitstring.LIST_SIZE),
                    salt=secrets.token_hex(16),
                    **{field: document},
                )
        except IntegrityError:
            # The index was taken, or a concurrent first download created the record.
            existing = CredentialRecord.objects.filter(**{field: document}).first()
            if existing is not None:
                return existing
    raise CredentialError("La liste de statuts des badges est pleine : prévenez l'administration.")


# --- Credentials ----------------------------------------------------------------------------


def facts_of(document: Certification | Attestation, record: CredentialRecord):
    """What the credential states: the document as stored, and its record. A certificate and an
    attestation differ only in where their holder, date, title and competencies are read."""
    certificate = isinstance(document, Certification)
    holder = document.trainee if certificate else document.user
    awarded_on = document.certified_on if certificate else document.issued_on
    return openbadges.CredentialFacts(
        kind=openbadges.CERTIFICATE if certificate else openbadges.ATTESTATION,
        number=document.number,
        holder_id=holder.pk,
        holder_name=document.holder_name,
        holder_email=holder.email,
        salt=record.salt,
        awarded_on=awarded_on,
        issued_on=document.issued_on or awarded_on,
        title=document.programme_title if certificate else document.course_title,
        competencies=tuple(document.competency_pairs) if certificate else (),
        status_index=record.status_index,
    )


@dataclass(frozen=True)
class Issued:
    credential: dict
    token: str  # the VC-JWT (compact JWS)

    def json_document(self) -> dict:
        """The downloadable JSON: the credential, and its VC-JWT as the proof (the upload
        checks the signature of the JWT and that the readable part says the same)."""
        return {**self.credential, "proof": [{"type": "JwtProof2020", "jwt": self.token}]}


def credential_of(document: Certification | Attestation) -> dict:
    record = record_for(document)
    return openbadges.achievement_credential(
        facts_of(document, record),
        issuer=issuer(),
        credential_id=absolute(reverse("assessments:verify_number", args=[document.number])),
        status_list_url=status_list_url(),
    )


def issue(document: Certification | Attestation) -> Issued:
    """The credential of a valid certificate (or of an attestation) and its VC-JWT."""
    if isinstance(document, Certification) and not document.is_valid:
        raise CredentialError("Ce certificat n'est plus valide : aucun badge n'est délivré.")
    credential = credential_of(document)
    return Issued(credential, sign(openbadges.jwt_claims(credential)))


# --- Status list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusList:
    token: str  # the signed BitstringStatusListCredential
    encoded: str  # its encodedList
    kid: str
    indexes: tuple[int, ...] = ()  # the bits it sets


# A certificate in one of these states has its bit set in the status list.
WITHDRAWN_STATUSES = (Certification.Status.REVOKED, Certification.Status.SUPERSEDED)


def revoked_indexes() -> list[int]:
    """Status indexes whose certificate is revoked or superseded, in order (one query)."""
    return list(
        CredentialRecord.objects.filter(certification__status__in=WITHDRAWN_STATUSES)
        .order_by("status_index")
        .values_list("status_index", flat=True)
    )


def status_list(now: datetime.datetime | None = None) -> StatusList:
    """The status list credential (one query): the cached one while it sets the same bits and
    the active key signed it, else rebuilt and signed. The query makes every process agree at
    once: without Redis each worker has its own cache, which a revocation committed by another
    worker does not clear."""
    active = keys.keyring().active
    indexes = tuple(revoked_indexes())
    cached = cache.get(STATUS_LIST_CACHE_KEY)
    if isinstance(cached, StatusList) and cached.kid == active.kid and cached.indexes == indexes:
        return cached
    encoded = bitstring.encode(indexes)
    url = status_list_url()
    credential = openbadges.status_list_credential(
        list_url=url,
        issuer=issuer(),
        encoded_list=encoded,
        valid_from=(now or timezone.now()).replace(microsecond=0),
    )
    claims = openbadges.jwt_claims(credential)
    claims["iat"] = claims["nbf"]
    fresh = StatusList(token=sign(claims), encoded=encoded, kid=active.kid, indexes=indexes)
    cache.set(STATUS_LIST_CACHE_KEY, fresh, STATUS_LIST_SECONDS)
    return fresh


def forget_status_list() -> None:
    cache.delete(STATUS_LIST_CACHE_KEY)


def status_list_changed(sender, instance, **kwargs) -> None:
    """post_save of a certificate: the list is rebuilt once the change is committed."""
    transaction.on_commit(forget_status_list)
