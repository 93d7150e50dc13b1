"""Writes of the awareness app, keyword-only, each in one transaction."""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from lms.choices import require_choice
from lms.identity import normalise_email
from lms.models import Territory, User
from lms.notifications.kinds import REFERRAL_RECEIVED
from lms.notifications.services import after_commit, notify

from ..certification.numbers import ATTESTATION_PREFIX
from ..certification.services import next_certificate_number
from . import selectors
from .models import (
    Attestation,
    AttestationNumberCounter,
    CourseIndexPage,
    FieldProfile,
    FieldRole,
    LessonCompletion,
    LessonPage,
    Referral,
    ReferralTally,
    SignupRequest,
)

CONSENT_TEXT = (
    "Le ménage a donné son accord pour que ces informations soient transmises à "
    "l'ensemblier choisi, qui le recontactera."
)


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.AWARENESS_REFERRAL_RETENTION_DAYS)


# --- Profiles and listing -----------------------------------------------------------------------


@transaction.atomic
def profile_save(*, user: User, role: str, territory: Territory | None) -> FieldProfile:
    require_choice(role, FieldRole, field="role", what="un profil connu")
    profile, _ = FieldProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"role": role, "territory": territory}
    )
    profile.role, profile.territory = role, territory
    profile.save(update_fields=["role", "territory"])
    return profile


# --- Light-account sign-up (no account enumeration) --------------------------------------------
# The sign-up page answers "vérifiez votre boîte" whatever the address: a new address gets a link
# that creates the account; an address that has an account gets a "vous avez déjà un compte"
# e-mail with the login and reset links. Both paths hash the password (same work, same time).

SIGNUP_SALT = "assessments.awareness.signup"


def signup_link_age() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.AWARENESS_SIGNUP_LINK_HOURS)


def signup_token(signup: SignupRequest) -> str:
    return signing.dumps(signup.pk, salt=SIGNUP_SALT)


def signup_from_token(token: str) -> SignupRequest | None:
    """The pending sign-up of a confirmation link; None if the link is forged, expired or used."""
    try:
        pk = signing.loads(token, salt=SIGNUP_SALT, max_age=signup_link_age().total_seconds())
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return SignupRequest.objects.select_related("territory").filter(pk=pk).first()


@transaction.atomic
def signup_request(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    territory: Territory | None,
    password: str,
    next_url: str = "",
) -> None:
    """Record a sign-up and e-mail the address (after commit): a confirmation link when it has
    no account, else a notice to its owner. Returns nothing: the caller must not be able to
    tell the two apart."""
    from . import tasks

    require_choice(role, FieldRole, field="role", what="un profil connu")
    email = normalise_email(email)
    hashed = make_password(password)
    SignupRequest.objects.filter(created_at__lt=timezone.now() - signup_link_age()).delete()
    owner = User.objects.filter(email=email).first()
    if owner is not None:
        after_commit(tasks.send_existing_account_notice, owner.pk)
        return
    signup = SignupRequest.objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        territory=territory,
        password=hashed,
        next_url=next_url[:500],
    )
    after_commit(tasks.send_signup_confirmation, signup.pk)


@transaction.atomic
def signup_confirm(*, signup: SignupRequest) -> User | None:
    """Create the light account of a confirmed sign-up (its address is now proven) with the
    password chosen then; None if the address got an account meanwhile (another link followed,
    an import). Every pending sign-up of the address is then deleted."""
    pending = SignupRequest.objects.filter(email=signup.email)
    if not pending.select_for_update().filter(pk=signup.pk).exists():
        return None
    if User.objects.filter(email=signup.email).exists():
        pending.delete()
        return None
    user = User(email=signup.email, first_name=signup.first_name, last_name=signup.last_name)
    user.password = signup.password
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address confirmed at the same instant elsewhere
        return None
    profile_save(user=user, role=signup.role, territory=signup.territory)
    pending.delete()
    return user


@transaction.atomic
def listing_update(*, user: User, listed: bool, territory: Territory | None) -> FieldProfile:
    """A certified ensemblier agrees (or stops agreeing) to be proposed to field actors."""
    if listed and not selectors.is_certified(user):
        raise PermissionDenied("Seuls les ensembliers certifiés peuvent être proposés.")
    profile, _ = FieldProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"role": "ensemblier", "territory": territory}
    )
    profile.territory = territory
    if listed and not profile.listed:
        profile.listed_since = timezone.now()
    profile.listed = listed
    profile.save(update_fields=["territory", "listed", "listed_since"])
    return profile


# --- Referrals ----------------------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    sender: User,
    ensemblier: User,
    territory: Territory,
    contact: str,
    commune: str,
    note: str = "",
    consent: bool,
) -> Referral:
    """Pass a household on to one listed ensemblier of `territory`, with its consent."""
    if not consent:
        raise PermissionDenied("Sans l'accord du ménage, rien n'est transmis.")
    if ensemblier not in selectors.listed_ensembliers(territory):
        raise PermissionDenied("Cet ensemblier n'est pas proposé sur ce territoire.")
    now = timezone.now()
    referral = Referral.objects.create(
        ensemblier=ensemblier,
        sent_by=sender,
        territory=territory,
        contact=contact,
        commune=commune,
        note=note,
        consent_text=CONSENT_TEXT,
        consent_at=now,
        purge_after=now + retention(),
    )
    year = timezone.localdate(now).year
    tally, _ = ReferralTally.objects.get_or_create(territory=territory, year=year)
    ReferralTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
    # The notification says that a referral arrived, never what it holds: the household's
    # details stay behind the ensemblier's login (lms.notifications, in-app and e-mail).
    notify(
        ensemblier,
        REFERRAL_RECEIVED,
        title="Un acteur de terrain vous oriente un ménage, avec son accord",
        url=reverse("awareness:referrals"),
        body=(
            "L'orientation est supprimée automatiquement après "
            f"{settings.AWARENESS_REFERRAL_RETENTION_DAYS} jours."
        ),
    )
    return referral


def referral_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the referrals past their retention; the number deleted."""
    deleted, _ = Referral.objects.filter(purge_after__lte=now or timezone.now()).delete()
    return deleted


# --- Course progress and attestation ------------------------------------------------------------


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> bool:
    """Record that `user` answered every self-check of `lesson` right; True when new."""
    _, created = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    return created


def course_complete(user: User, course: CourseIndexPage) -> bool:
    lesson_ids = set(course.lessons().values_list("pk", flat=True))
    return bool(lesson_ids) and lesson_ids <= selectors.completed_lesson_ids(user)


@transaction.atomic
def attestation_issue(*, user: User, course: CourseIndexPage) -> Attestation:
    """The attestation of a person who completed every lesson (one per person)."""
    existing = Attestation.objects.select_for_update().filter(user=user).first()
    if existing is not None:
        return existing
    if not course_complete(user, course):
        raise PermissionDenied("Terminez toutes les leçons pour obtenir l'attestation.")
    profile = selectors.profile_of(user)
    today = timezone.localdate()
    return Attestation.objects.create(
        number=next_certificate_number(
            today.year, counter=AttestationNumberCounter, prefix=ATTESTATION_PREFIX
        ),
        user=user,
        holder_name=user.get_full_name() or user.email,
        role=profile.role if profile else "autre",
        territory=profile.territory if profile else None,
        issued_on=today,
        course_title=course.title,
    )
