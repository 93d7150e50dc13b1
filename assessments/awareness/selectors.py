"""Reads of the awareness app: listed ensembliers, referrals a user may read, course progress."""

from django.db.models import QuerySet

from lms.models import Territory, User
from modules import access

from ..certification.models import Certification
from .models import Attestation, FieldProfile, LessonCompletion, Referral


def certified_user_ids(users=None) -> QuerySet:
    rows = Certification.objects.filter(status=Certification.Status.VALID)
    if users is not None:
        rows = rows.filter(trainee__in=users)
    return rows.values("trainee_id")


def is_certified(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Certification.objects.filter(trainee=user, status=Certification.Status.VALID).exists()
    )


def listed_ensembliers(territory: Territory | None) -> list[User]:
    """Certified ensembliers of `territory` who agreed to be proposed to field actors."""
    if territory is None:
        return []
    return list(
        User.objects.filter(
            field_profile__listed=True,
            field_profile__territory=territory,
            is_active=True,
            pk__in=certified_user_ids(),
        )
        .select_related("structure")
        .order_by("last_name", "first_name", "pk")
    )


def referrals_for(user) -> QuerySet[Referral]:
    return access.visible_referrals(
        user, Referral.objects.select_related("ensemblier", "sent_by", "territory")
    )


def profile_of(user) -> FieldProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return FieldProfile.objects.filter(user=user).select_related("territory").first()


def completed_lesson_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(LessonCompletion.objects.filter(user=user).values_list("lesson_id", flat=True))


def attestation_of(user) -> Attestation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Attestation.objects.filter(user=user).first()


def national_figures() -> dict:
    """People sensibilised (attestations: completed the course) by territory, role and year,
    and referrals sent by territory and year (the tallies, which purging keeps). Two queries
    whatever the numbers; grouped by year in Python (SQLite's year extraction is slow)."""
    from collections import defaultdict

    from django.db.models import Count, Sum

    from .models import FieldRole, ReferralTally

    roles = dict(FieldRole.choices)
    people: dict[tuple, int] = defaultdict(int)
    for name, role, day, count in (
        Attestation.objects.values("territory__name", "role", "issued_on")
        .annotate(count=Count("id"))
        .values_list("territory__name", "role", "issued_on", "count")
        .order_by()
    ):
        people[(day.year, name or "Hors territoire", roles.get(role, role))] += count
    referrals = [
        {"year": year, "territory": name or "Hors territoire", "count": count}
        for year, name, count in ReferralTally.objects.values("year", "territory__name")
        .annotate(total=Sum("count"))
        .values_list("year", "territory__name", "total")
        .order_by("year", "territory__name")
    ]
    sensibilised = [
        {"year": year, "territory": territory, "role": role, "count": count}
        for (year, territory, role), count in sorted(people.items())
    ]
    return {
        "sensibilised": sensibilised,
        "sensibilised_total": sum(row["count"] for row in sensibilised),
        "referrals": referrals,
        "referrals_total": sum(row["count"] for row in referrals),
    }
