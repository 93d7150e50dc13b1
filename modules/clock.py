"""The one place the attendance code reads the time.

Signing windows depend on the server's clock in Europe/Paris. Views and services call
`clock.now()` (through the module, never `from .clock import now`), so that tests can
monkeypatch `modules.clock.now` — including for the live server thread of browser tests.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current instant, timezone-aware."""
    return timezone.now()


def today() -> datetime.date:
    """Today's date in the site's time zone (Europe/Paris)."""
    return timezone.localtime(now()).date()
