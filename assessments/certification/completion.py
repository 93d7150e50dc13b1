"""When the certificat de réalisation may be issued, and with which date (pure functions).

Code du travail L6353-1: the certificat de réalisation states what the trainee followed, so it
is issued once the action has ended. Before that, the trainee gets an attendance statement
marked provisional. The issue date is fixed, not "today": the day the session ended (its last
half-day), so every download of the same document says the same thing.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    provisional: bool
    issued_on: datetime.date  # the last day when final; the day of editing when provisional


def completion_issue(
    *,
    last_day: datetime.date | None,
    last_end: datetime.time | None,
    now_local: datetime.datetime,
) -> Issue:
    """Final once the session's last half-day (`last_day` at `last_end`, Paris wall-clock) has
    ended at `now_local` (Paris time); provisional before, or when the session has no half-day.
    """
    if last_day is None or last_end is None:
        return Issue(provisional=True, issued_on=now_local.date())
    ended = now_local.replace(tzinfo=None) >= datetime.datetime.combine(last_day, last_end)
    if ended:
        return Issue(provisional=False, issued_on=last_day)
    return Issue(provisional=True, issued_on=now_local.date())
