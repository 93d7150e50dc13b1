"""Per-person cooldowns for buttons that send an e-mail (issue 14 leftovers, session 4).

A rate (django-ratelimit: "5 per hour") caps a count in fixed windows; a cooldown says "not
again before N minutes after the last one", which is what a trainer pressing "Renvoyer
l'invitation" twice needs to hear. `claim` is atomic across app servers when the default cache
is shared (Redis in production: `cache.add` is SET NX); with the per-process memory cache of a
single server it holds per worker. Callers that also keep a database timestamp of the last
sending check it too (`remaining_after`), which survives a cache flush.
"""

import datetime
import math
import time

from django.core.cache import cache


def _key(scope: str, key: str) -> str:
    return f"cooldown:{scope}:{key}"


def claim(scope: str, key: str, seconds: int) -> int:
    """Start the cooldown of (`scope`, `key`) unless one runs. Returns 0 when it was started (the
    action may run now), else the seconds left before it may run again (at least 1)."""
    now = time.time()
    if seconds <= 0 or cache.add(_key(scope, key), now + seconds, timeout=seconds):
        return 0
    until = cache.get(_key(scope, key))
    if until is None:  # expired between the two calls: try once more
        return 0 if cache.add(_key(scope, key), now + seconds, timeout=seconds) else seconds
    return max(1, math.ceil(until - now))


def release(scope: str, key: str) -> None:
    """End a cooldown early (the action that started it did not happen)."""
    cache.delete(_key(scope, key))


def remaining_after(last: datetime.datetime | None, now: datetime.datetime, seconds: int) -> int:
    """Pure rule: the seconds left of a cooldown of `seconds` started at `last` (0 when over or
    never started)."""
    if last is None:
        return 0
    left = (last + datetime.timedelta(seconds=seconds) - now).total_seconds()
    return max(0, math.ceil(left))


def wait_label(seconds: int) -> str:
    """ "1 minute", "8 minutes": the wait rounded up to the minute, as the French read it."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
