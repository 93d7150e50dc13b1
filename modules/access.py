"""Who manages whom, and whose work a user may see: the one place that answers it.

Every selector, view, export, admin viewset and Wagtail permission policy asks here
(ARCHITECTURE.md, "Roles and what they may do"):

- administrators (superusers) and the national coordination manage every session;
- a trainer manages the sessions they train, and follows the work their trainees did *within*
  those sessions: the scope is the enrolment, not the person. Someone enrolled in two sessions
  is two scopes, and the trainer of one never sees the work done in the other;
- a trainee sees their own work.

The enrolment statuses that count (active, signing, attending, certifiable) are named once on
`Enrolment.Status`.
"""

import datetime

from django.db.models import Q, QuerySet

from lms.roles import Role, is_coordinator, is_disability_referent, is_trainee, is_trainer

from .models import Enrolment, TrainingSession

Status = Enrolment.Status


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def sees_all_sessions(user) -> bool:
    """Administrators and the national coordination manage (read) every session."""
    return _authenticated(user) and (user.is_superuser or is_coordinator(user))


# --- Sessions ----------------------------------------------------------------------------------


def managed_sessions(user) -> QuerySet[TrainingSession]:
    """Sessions `user` manages: all for coordinators and administrators, the ones they train
    for trainers, none for anybody else. A queryset (usable as a subquery)."""
    sessions = TrainingSession.objects.all()
    if sees_all_sessions(user):
        return sessions
    if _authenticated(user) and is_trainer(user):
        return sessions.filter(trainers=user)
    return sessions.none()


def manages_session(user, session: TrainingSession) -> bool:
    """Whether `user` manages `session` (reads prefetched trainers when there are, else one
    query)."""
    if not _authenticated(user):
        return False
    if sees_all_sessions(user):
        return True
    if not is_trainer(user):
        return False
    prefetched = getattr(session, "_prefetched_objects_cache", {}).get("trainers")
    if prefetched is not None:
        return any(trainer.pk == user.pk for trainer in prefetched)
    return session.trainers.filter(pk=user.pk).exists()


# --- Enrolments --------------------------------------------------------------------------------


def managed_enrolments(user) -> QuerySet[Enrolment]:
    """Enrolments of the sessions `user` manages, whatever their status (admin listings)."""
    return Enrolment.objects.filter(session__in=managed_sessions(user))


def followed_enrolments(user) -> QuerySet[Enrolment]:
    """Active enrolments of the sessions `user` manages: the scopes whose work they follow."""
    return managed_enrolments(user).filter(status__in=Status.ACTIVE)


def follows_trainee(user, trainee_id: int) -> bool:
    """Whether `trainee_id` has an active enrolment in a session `user` manages (one query;
    for decisions about the person, such as competencies)."""
    if sees_all_sessions(user):
        return True
    return followed_enrolments(user).filter(trainee_id=trainee_id).exists()


def followed_trainee_ids(user):
    """None when `user` follows everybody; else a subquery of the trainee ids they follow."""
    if sees_all_sessions(user):
        return None
    return followed_enrolments(user).values("trainee_id")


def active_enrolments_of(trainee) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(trainee=trainee, status__in=Status.ACTIVE)


def has_active_enrolment(user) -> bool:
    """Whether `user` holds an active enrolment in any session (one query)."""
    return _authenticated(user) and active_enrolments_of(user).exists()


def choose_enrolment(enrolments, on: datetime.date):
    """Pure rule: of `enrolments` (ordered by their session's first week), the one whose
    session is under way on `on`; else the next to start; else the last one; None if empty.
    A session runs from the Monday of week 1 to the Friday of week 3."""
    for enrolment in enrolments:
        last_day = enrolment.session.week3_start + datetime.timedelta(days=4)
        if enrolment.session.week1_start <= on <= last_day:
            return enrolment
    for enrolment in enrolments:
        if enrolment.session.week1_start > on:
            return enrolment
    return enrolments[-1] if enrolments else None


def _work_enrolments(enrolment_model):
    return (
        enrolment_model.objects.filter(status__in=Status.ACTIVE)
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .select_related("session")
        .order_by("session__week1_start", "pk")
    )


def work_enrolment(trainee, on: datetime.date) -> Enrolment | None:
    """The enrolment a trainee's new work (attempt, dossier) belongs to on day `on`
    (`choose_enrolment` among their active enrolments in sessions not cancelled). One query."""
    return choose_enrolment(list(_work_enrolments(Enrolment).filter(trainee=trainee)), on)


def attribute_existing_work(apps, app_label: str, model_name: str, date_field: str) -> None:
    """For data migrations: give each row of `app_label.model_name` without an enrolment the
    one its trainee was in on `date_field` (`choose_enrolment`). Uses the historical models."""
    model = apps.get_model(app_label, model_name)
    by_trainee: dict[int, list] = {}
    for enrolment in _work_enrolments(apps.get_model("modules", "Enrolment")):
        by_trainee.setdefault(enrolment.trainee_id, []).append(enrolment)
    rows = model.objects.filter(enrolment__isnull=True).only("pk", "trainee_id", date_field)
    for row in rows:
        day = getattr(row, date_field).date()
        enrolment = choose_enrolment(by_trainee.get(row.trainee_id, []), day)
        if enrolment is not None:
            model.objects.filter(pk=row.pk).update(enrolment=enrolment)


# --- Work (attempts, answers, dossiers) ---------------------------------------------------------


def visible_work(
    user, queryset: QuerySet, *, trainee: str = "trainee", enrolment: str = "enrolment"
) -> QuerySet:
    """Filter `queryset` (of attempts, answers, dossiers…) to the rows `user` may read.

    `trainee` and `enrolment` name the lookups to the row's person and enrolment (for answers:
    "attempt__trainee", "attempt__enrolment"). Own work, everything for coordinators and
    administrators, and for trainers the work done within an active enrolment of their sessions.
    """
    if not _authenticated(user):
        return queryset.none()
    if sees_all_sessions(user):
        return queryset
    own = Q(**{trainee: user})
    if is_trainer(user):
        return queryset.filter(own | Q(**{f"{enrolment}__in": followed_enrolments(user)}))
    return queryset.filter(own)


def gradable_work(
    user, queryset: QuerySet, *, trainee: str = "trainee", enrolment: str = "enrolment"
) -> QuerySet:
    """Filter `queryset` to the rows `user` may grade or review: never their own; administrators
    all the others; trainers the work done within an active enrolment of their sessions.
    Coordinators read but do not grade (architecture: "read; certify")."""
    if not _authenticated(user):
        return queryset.none()
    others = queryset.exclude(**{trainee: user})
    if user.is_superuser:
        return others
    if is_trainer(user):
        return others.filter(**{f"{enrolment}__in": followed_enrolments(user)})
    return queryset.none()


def may_see_work(user, *, trainee_id: int, enrolment_id: int | None) -> bool:
    """`visible_work` for one row already loaded (at most one query)."""
    if not _authenticated(user):
        return False
    if trainee_id == user.pk or sees_all_sessions(user):
        return True
    if not is_trainer(user) or enrolment_id is None:
        return False
    return followed_enrolments(user).filter(pk=enrolment_id).exists()


def may_grade_work(user, *, trainee_id: int, enrolment_id: int | None) -> bool:
    """`gradable_work` for one row already loaded (at most one query)."""
    if not _authenticated(user) or trainee_id == user.pk:
        return False
    if user.is_superuser:
        return True
    if not is_trainer(user) or enrolment_id is None:
        return False
    return followed_enrolments(user).filter(pk=enrolment_id).exists()


def reviewers_of_work(*, trainee_id: int, enrolment_id: int | None) -> QuerySet:
    """The trainers who review work done within `enrolment_id` (the people for whom
    `may_grade_work` is true through their session, administrators aside): the trainers of the
    enrolment's session, while the enrolment is active, never the trainee themself. Those told
    that a dossier milestone waits for review. Active accounts only."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if enrolment_id is None:
        return users.none()
    return (
        users.filter(
            Q(groups__name=Role.TRAINER) | Q(is_superuser=True),
            sessions_as_trainer__enrolments__pk=enrolment_id,
            sessions_as_trainer__enrolments__status__in=Status.ACTIVE,
        )
        .exclude(pk=trainee_id)
        .distinct()
    )


def scope_filter(user, *, enrolment: str = "enrolment") -> Q | None:
    """A Q on `enrolment` limiting rows to the scopes `user` follows; None for everything."""
    if sees_all_sessions(user):
        return None
    return Q(**{f"{enrolment}__in": followed_enrolments(user)})


# --- Accommodations (disability referent) -----------------------------------------------------


def records_accommodations(user) -> bool:
    """The disability referent (and administrators) record, change and end accommodations, and
    are the only ones to read their confidential note (health details)."""
    return _authenticated(user) and is_disability_referent(user)


def visible_accommodations(user, queryset: QuerySet, *, trainee: str = "trainee") -> QuerySet:
    """Filter `queryset` (of accommodations) to the rows `user` may read: all for the disability
    referent, coordinators and administrators; for trainers, those of the trainees they follow
    (an active enrolment in one of their sessions: they apply them); for anybody else their own.
    What is read is the arrangement, never the confidential note (`records_accommodations`)."""
    if not _authenticated(user):
        return queryset.none()
    if records_accommodations(user) or sees_all_sessions(user):
        return queryset
    own = Q(**{trainee: user})
    if is_trainer(user):
        followed = followed_enrolments(user).values("trainee_id")
        return queryset.filter(own | Q(**{f"{trainee}__in": followed}))
    return queryset.filter(own)


# --- Complaints and incidents --------------------------------------------------------------------


def handles_complaints(user) -> bool:
    """The national coordination (and administrators) handle the complaints register."""
    return sees_all_sessions(user)


def visible_complaints(user, queryset: QuerySet, *, filed_by: str = "filed_by") -> QuerySet:
    """The register for those who handle it; for anybody else what they filed themselves."""
    if not _authenticated(user):
        return queryset.none()
    if handles_complaints(user):
        return queryset
    return queryset.filter(**{filed_by: user})


# --- Admin history ------------------------------------------------------------------------------


def _scoped_admin_objects():
    """The admin-edited models that belong to a session, and how to find a user's share."""
    from .models import SessionSlot

    return (
        (TrainingSession, managed_sessions),
        (SessionSlot, lambda user: SessionSlot.objects.filter(session__in=managed_sessions(user))),
        (Enrolment, managed_enrolments),
    )


def scope_log_entries(user, queryset: QuerySet) -> QuerySet:
    """Filter a queryset of Wagtail `ModelLogEntry` rows: entries about sessions, their
    half-days and enrolments are kept only for the sessions `user` manages (the site history
    report; issue 10, finding 5). Other entries are left to Wagtail's own permission rules."""
    if sees_all_sessions(user):
        return queryset
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    for model, visible in _scoped_admin_objects():
        content_type = ContentType.objects.get_for_model(model)
        ids = visible(user).annotate(object_key=Cast("pk", CharField())).values("object_key")
        queryset = queryset.exclude(Q(content_type=content_type) & ~Q(object_id__in=ids))
    return queryset


# --- Referrals of the repérage checklist (assessments.awareness) --------------------------------
# A referral (a household passed on, with its consent, to one listed ensemblier) is visible to
# that ensemblier and to the national coordination (and administrators), to nobody else: not the
# other ensemblier, not the trainers, not even the field actor who sent it once it is sent.


def sees_all_referrals(user) -> bool:
    return _authenticated(user) and (user.is_superuser or is_coordinator(user))


def visible_referrals(user, queryset: QuerySet) -> QuerySet:
    """The referrals of `queryset` that `user` may read."""
    if sees_all_referrals(user):
        return queryset
    if not _authenticated(user):
        return queryset.none()
    return queryset.filter(ensemblier_id=user.pk)


def may_see_referral(user, referral) -> bool:
    return sees_all_referrals(user) or (_authenticated(user) and referral.ensemblier_id == user.pk)


# --- The public register of certified ensembliers (assessments.register) -------------------------
# Being listed is the person's own choice (GDPR consent): they give and withdraw it themselves,
# from their account. Nobody decides for them: not a trainer, not the coordination, not an
# administrator (they read the history, they never write it).


def may_choose_register_consent(user) -> bool:
    """Trainees (certified or not yet) choose whether they appear in the public register."""
    return _authenticated(user) and user.is_active and is_trainee(user)


def may_change_register_consent(actor, person) -> bool:
    """Only the person themself changes their consent."""
    return (
        may_choose_register_consent(actor)
        and person is not None
        and getattr(person, "pk", None) == actor.pk
    )


def sees_register_consents(user) -> bool:
    """The national coordination (and administrators) read everybody's consent history: proof
    of consent (GDPR art. 7(1)), never a way to change it."""
    return _authenticated(user) and user.is_active and (user.is_superuser or is_coordinator(user))


def visible_consent_events(user, queryset: QuerySet, *, person: str = "person") -> QuerySet:
    """The consent changes of `queryset` that `user` may read: all of them for the coordination,
    their own for anybody else (a trainee never reads another's), none for a visitor."""
    if sees_register_consents(user):
        return queryset
    if not _authenticated(user):
        return queryset.none()
    return queryset.filter(**{person: user})


# --- Verifiable credentials (assessments.credentials) ---------------------------------------------
# A certificate's or attestation's Open Badges credential names its holder (hashed e-mail, name):
# it is the holder's alone to download. Trainers and the coordination read certificates through
# their own pages and check them by number; they never get a credential issued to someone else.


def may_download_credential(user, *, holder_id: int | None) -> bool:
    return _authenticated(user) and holder_id is not None and holder_id == user.pk
