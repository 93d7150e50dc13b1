"""Pure rules of the quality loop: no ORM, plain values in, plain values out."""

import datetime
import math
from decimal import Decimal

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
