"""Writes about enrolments: enrol a trainee within the session's capacity, change a status, move
to another session. An enrolment's trainee never changes (`Enrolment.save` refuses it)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lms.choices import require_choice

from ..models import Enrolment, TrainingSession
from ..models.sessions import new_token

Status = Enrolment.Status

# The only forward moves; any active status may also become "dropped".
NEXT_STATUS = {
    Status.PRE_REGISTERED: Status.CONFIRMED,
    Status.CONFIRMED: Status.IN_TRAINING,
    Status.IN_TRAINING: Status.COMPLETED,
}


def transition_allowed(old: str, new: str) -> bool:
    """Pure rule: pre-registered → confirmed → in training → completed; any → dropped;
    a dropped trainee comes back only as pre-registered (re-enrolment, within the capacity)."""
    if old == new:
        return True
    if old == Status.DROPPED:
        return new == Status.PRE_REGISTERED
    return new == Status.DROPPED or NEXT_STATUS.get(old) == new


def transition_error(old: str, new: str) -> str | None:
    """The French message explaining why a status change is refused, or None."""
    if transition_allowed(old, new):
        return None
    labels = dict(Status.choices)
    if old == Status.DROPPED:
        return (
            "Une inscription abandonnée ne peut que revenir à « Pré-inscrit·e » "
            "(réinscription), puis suivre les étapes."
        )
    expected = NEXT_STATUS.get(old)
    hint = f" ; étape suivante : « {labels[expected]} »" if expected else ""
    return (
        f"Passage impossible de « {labels.get(old, old)} » à « {labels.get(new, new)} »"
        f"{hint} (ou « Abandon »)."
    )


def seats_left(session: TrainingSession, *, active_count: int | None = None) -> int:
    if active_count is None:
        active_count = session.enrolments.filter(status__in=Status.ACTIVE).count()
    return max(session.capacity - active_count, 0)


def enrolment_check(*, session: TrainingSession, trainee, extra: int = 1) -> None:
    """Raise a French ValidationError if `trainee` cannot be enrolled (duplicate, capacity)."""
    existing = Enrolment.objects.filter(session=session, trainee=trainee).first()
    if existing is not None:
        name = trainee.get_full_name() or trainee.email
        if existing.status == Status.DROPPED:
            raise ValidationError(
                f"{name} a abandonné « {session} » : pour l'y réinscrire, modifiez son "
                "inscription et repassez-la à « Pré-inscrit·e ».",
                code="duplicate",
            )
        raise ValidationError(f"{name} est déjà inscrit·e à « {session} ».", code="duplicate")
    left = seats_left(session)
    if left < extra:
        raise ValidationError(
            f"La session « {session} » est complète ({session.capacity} places).",
            code="capacity",
        )


@transaction.atomic
def enrolment_create(
    *,
    session: TrainingSession,
    trainee,
    funder: str = "",
    status: str = Status.PRE_REGISTERED,
    structure=None,
) -> Enrolment:
    """Enrol `trainee` in `session`, refusing duplicates and enrolments beyond the capacity."""
    require_choice(status, Status, field="status", what="un statut d'inscription connu")
    if status == Status.DROPPED:
        raise ValidationError("Une nouvelle inscription ne peut pas être « Abandon ».")
    # Lock the session row so that two enrolments cannot both take the last seat.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    enrolment_check(session=session, trainee=trainee)
    return Enrolment.objects.create(
        session=session,
        trainee=trainee,
        funder=funder,
        status=status,
        structure=structure if structure is not None else trainee.structure,
    )


@transaction.atomic
def enrolment_set_status(*, enrolment: Enrolment, status: str) -> Enrolment:
    """Move an enrolment along its statuses (see `transition_allowed`).

    Coming back from "dropped" takes a seat again: the session row is locked and its capacity
    checked. Raises a French ValidationError ({"status": …} or {"session": …}).
    """
    require_choice(status, Status, field="status", what="un statut d'inscription connu")
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    message = transition_error(current.status, status)
    if message:
        raise ValidationError({"status": message})
    if current.status == Status.DROPPED and status in Status.ACTIVE:
        session = TrainingSession.objects.select_for_update().get(pk=current.session_id)
        if seats_left(session) < 1:
            raise ValidationError(
                {"session": f"La session « {session} » est complète ({session.capacity} places)."}
            )
    if current.status != status:
        current.status = status
        current.save(update_fields=["status", "updated_at"])
    enrolment.status = current.status
    return current


@transaction.atomic
def enrolment_update_details(*, enrolment: Enrolment, funder: str, structure) -> Enrolment:
    """Change what may change freely on an enrolment: its funder and its structure."""
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    current.funder = funder
    current.structure = structure
    current.save(update_fields=["funder", "structure", "updated_at"])
    return current


@transaction.atomic
def enrolment_move(*, enrolment: Enrolment, session: TrainingSession, by) -> Enrolment:
    """Move a trainee to another session: the enrolment they leave is marked "dropped" and
    keeps its signatures, attempts and dossiers (they stay with this person, in the session
    where they were made); a new enrolment with the same status, funder and structure is
    created in `session`, within its capacity.

    `by` must manage both sessions (`modules.access.manages_session`). Both session rows are
    locked (in id order). Raises a French ValidationError; returns the new enrolment.
    """
    from ..access import manages_session

    current = Enrolment.objects.select_for_update().select_related("trainee").get(pk=enrolment.pk)
    if current.session_id == session.pk:
        return current
    locked = {
        s.pk: s
        for s in TrainingSession.objects.select_for_update()
        .filter(pk__in=[current.session_id, session.pk])
        .order_by("pk")
        .prefetch_related("trainers")
    }
    source, target = locked[current.session_id], locked[session.pk]
    if not (manages_session(by, source) and manages_session(by, target)):
        raise ValidationError({"session": "Vous n'animez pas cette session."})
    if current.status == Status.DROPPED:
        raise ValidationError(
            {"status": "Une inscription abandonnée ne change pas de session : réinscrivez-la."}
        )
    try:
        enrolment_check(session=target, trainee=current.trainee)
    except ValidationError as error:
        raise ValidationError({"session": error.messages}) from error
    moved = Enrolment.objects.create(
        session=target,
        trainee=current.trainee,
        status=current.status,
        funder=current.funder,
        structure=current.structure,
    )
    current.status = Status.DROPPED
    current.save(update_fields=["status", "updated_at"])
    return moved


@transaction.atomic
def ical_tokens_renew(trainee) -> int:
    """New private-feed tokens for every enrolment of `trainee`: the old agenda addresses stop
    working at once (an address that was shared). Returns the number of enrolments changed."""
    enrolments = list(Enrolment.objects.select_for_update().filter(trainee=trainee))
    for enrolment in enrolments:
        enrolment.ical_token = new_token()
    Enrolment.objects.bulk_update(enrolments, ["ical_token"])
    return len(enrolments)
