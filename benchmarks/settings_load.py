"""Settings of the load benchmark (benchmarks/load.py): the production settings, read from the
same environment variables (PostgreSQL through DATABASE_URL, Redis through REDIS_URL, whitenoise
with collected static files, DEBUG off, secure cookies), with four differences, all for the
benchmark's own sake:
- a fast password hasher: a thousand trainees log in within seconds at each step, where real
  ones log in over a morning (PBKDF2 costs about half a second of CPU per login);
- the demo and load-data commands are allowed (the throwaway database is filled with them);
- the attendance clock (`modules.clock`) reads today at BENCH_CLOCK (default 10:30, Paris time),
  so that the morning half-day is open for signing whatever the hour of the run;
- quiet logs;
- cookies without the Secure flag: the benchmark speaks plain HTTP on 127.0.0.1 (no TLS proxy
  in front), and a client does not send Secure cookies over HTTP.
The HTTPS redirect is turned off from the environment (DJANGO_SECURE_SSL_REDIRECT=false).
"""

import datetime
import os

from lms.settings.production import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_SEED_ALLOWED = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


def _pin_attendance_clock() -> None:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from modules import clock

    paris = ZoneInfo("Europe/Paris")
    hour, minute = (int(part) for part in os.environ.get("BENCH_CLOCK", "10:30").split(":"))
    real = datetime.datetime.now(paris)
    offset = real.replace(hour=hour, minute=minute, second=0, microsecond=0) - real
    clock.now = lambda: timezone.now() + offset


_pin_attendance_clock()
