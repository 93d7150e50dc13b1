"""Reads of the register: who is listed (consent given, certificate valid or revoked), each
person's consent and its history. Every list is a queryset or list read in a fixed number of
queries, whatever the number of people."""

import datetime
import unicodedata

from django.db.models import Q, QuerySet

from modules import access

from ..certification.models import Certification
from .models import RegisterConsent, RegisterConsentEvent

# Listed certificate statuses. A superseded certificate is not listed: the reissue that
# replaces it is, and the old one carries a former name (docs/decisions.md, issue 17).
LISTED_STATUSES = (Certification.Status.VALID, Certification.Status.REVOKED)


def folded(text: str) -> str:
    """Case- and accent-insensitive form for searching ("Élodie LEFÈVRE" → "elodie lefevre")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join(
        "".join(char for char in decomposed if not unicodedata.combining(char)).casefold().split()
    )


def listed_certifications() -> QuerySet[Certification]:
    """Certificates of the people who consent to the register now (active accounts), valid or
    revoked, in certificate-number order, with what the register shows loaded (one query)."""
    return (
        Certification.objects.filter(
            status__in=LISTED_STATUSES,
            trainee__register_consent__listed=True,
            trainee__is_active=True,
        )
        .select_related("territory", "trainee__structure")
        .order_by("number")
    )


def filter_listed(
    certifications: QuerySet[Certification],
    *,
    territory: str | None = None,
    year: int | None = None,
    structure: str | None = None,
    name: str | None = None,
) -> QuerySet[Certification]:
    """Filter by territory slug, certification year, and structure and name (each word of the
    query found in the name, case and accents ignored). Name and structure are matched in
    Python on the listed rows' names (one query): SQLite and PostgreSQL fold neither accents
    nor (SQLite) non-ASCII case the same way."""
    if territory:
        certifications = certifications.filter(territory__slug=territory)
    if year is not None:
        certifications = certifications.filter(
            certified_on__gte=datetime.date(year, 1, 1),
            certified_on__lte=datetime.date(year, 12, 31),
        )
    words = folded(name or "").split()
    wanted_structure = folded(structure or "")
    if words or wanted_structure:
        matching = [
            pk
            for pk, holder, structure_name in certifications.values_list(
                "pk", "holder_name", "trainee__structure__name"
            ).order_by()
            if all(word in folded(holder) for word in words)
            and (not wanted_structure or wanted_structure in folded(structure_name or ""))
        ]
        certifications = certifications.filter(pk__in=matching)
    return certifications


def consent_of(person) -> RegisterConsent | None:
    return RegisterConsent.objects.filter(person=person).first()


def is_listed(person) -> bool:
    return RegisterConsent.objects.filter(person=person, listed=True).exists()


def consent_history(person) -> list[RegisterConsentEvent]:
    """The person's consent changes, newest first, with who made them (one query)."""
    return list(
        access.visible_consent_events(person, RegisterConsentEvent.objects.filter(person=person))
        .select_related("by")
        .order_by("-at", "-pk")
    )


def consent_events(reader, *, search: str = "", action: str = "") -> QuerySet:
    """Every consent change `reader` may read (`access.visible_consent_events`), newest first,
    with the person and the author loaded; `search` matches each word in the person's first
    name, last name or e-mail, `action` one of the event actions (others are ignored)."""
    events = access.visible_consent_events(reader, RegisterConsentEvent.objects.all())
    for word in search.split():
        events = events.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
        )
    if action in RegisterConsentEvent.Action.values:
        events = events.filter(action=action)
    return events.select_related("person", "by").order_by("-at", "-pk")


def listed_count() -> int:
    """People listed now (consent given, active account)."""
    return RegisterConsent.objects.filter(listed=True, person__is_active=True).count()


def own_certifications(person) -> list[Certification]:
    """What the register would show about the person: their listed-status certificates."""
    return list(
        Certification.objects.filter(trainee=person, status__in=LISTED_STATUSES)
        .select_related("territory")
        .order_by("number")
    )
