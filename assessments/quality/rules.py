"""Pure rules of the quality loop: no ORM query, plain values in, plain values out (the
complaint statuses are Django `TextChoices`, a plain str enum, so that models share them)."""

import datetime
import math
from decimal import Decimal

from django.db.models import TextChoices

# --- Accommodations ------------------------------------------------------------------------------

MAX_TIME_FACTOR = Decimal("3.00")


def is_in_force(starts_on: datetime.date, ended_on: datetime.date | None, day: datetime.date):
    """An accommodation applies from its first day until the day before it was ended."""
    return starts_on <= day and (ended_on is None or day < ended_on)


def time_allowed(minutes: int, factor: Decimal) -> datetime.timedelta:
    """The time a trainee has for an assessment limited to `minutes`, with the time factor of
    their accommodation (1 without), rounded up to the whole second: never less than granted."""
    if factor < 1:
        factor = Decimal(1)
    seconds = Decimal(minutes) * 60 * factor
    return datetime.timedelta(seconds=math.ceil(seconds))


def combined_factor(factors) -> Decimal:
    """Several accommodations in force: the most generous time factor applies (1 without)."""
    return max((Decimal(factor) for factor in factors), default=Decimal(1))


# --- Complaints ----------------------------------------------------------------------------------


class ComplaintStatus(TextChoices):
    FILED = "filed", "Déposée"
    ACKNOWLEDGED = "acknowledged", "Réception accusée"
    ANALYSED = "analysed", "Analysée"
    ANSWERED = "answered", "Réponse apportée"
    CLOSED = "closed", "Clôturée"


COMPLAINT_FLOW = (
    ComplaintStatus.FILED,
    ComplaintStatus.ACKNOWLEDGED,
    ComplaintStatus.ANALYSED,
    ComplaintStatus.ANSWERED,
    ComplaintStatus.CLOSED,
)
# What the person handling must write at each step (the register keeps the reasoning).
COMPLAINT_NOTE_REQUIRED = {
    ComplaintStatus.ANALYSED: "Écrivez l'analyse : causes, personnes entendues.",
    ComplaintStatus.ANSWERED: "Écrivez la réponse apportée à la personne.",
}


def next_complaint_status(current: str) -> ComplaintStatus | None:
    """The one step that follows `current` (None once closed): handling goes in order, so that
    each date of the register exists and none is skipped."""
    index = COMPLAINT_FLOW.index(ComplaintStatus(current))
    return COMPLAINT_FLOW[index + 1] if index + 1 < len(COMPLAINT_FLOW) else None


def complaint_step_refusal(current: str, target: str, note: str) -> str | None:
    """Why moving a complaint from `current` to `target` with `note` is refused (French), or
    None when it is allowed."""
    if next_complaint_status(current) != target:
        return "Cette étape n'est pas la suivante : la réclamation a peut-être déjà avancé."
    if target in COMPLAINT_NOTE_REQUIRED and not note.strip():
        return COMPLAINT_NOTE_REQUIRED[ComplaintStatus(target)]
    return None
