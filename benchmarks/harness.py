"""What the HTTP load benchmarks share: a throwaway database, logged-in sessions, gunicorn.

Imported by `autosave.py` and `quiz_submit.py` (run as scripts from the repository root, so this
folder is on `sys.path`).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "benchmarks.settings_bench"


def run(command: list[str], env: dict) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"échec : {' '.join(command)}")
    return result.stdout


def login_session(user) -> str:
    """A stored session logged in as `user` (child process, after django.setup()): its key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def enrolled_trainees(count: int, *, slug: str, email_prefix: str) -> list:
    """`count` trainees "in training" in a session of this week (child process, after setup)."""
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from lms.models import Territory, User
    from lms.roles import Role
    from modules.models import Enrolment, TrainingSession
    from modules.services.sessions import session_generate_slots

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    session = TrainingSession.objects.create(
        name="Session de mesure",
        slug=slug,
        territory=Territory.objects.order_by("pk").first(),
        venue="Salle",
        week1_start=monday,
        week2_start=monday + datetime.timedelta(days=7),
        week3_start=monday + datetime.timedelta(days=14),
    )
    session_generate_slots(session=session)
    group = Group.objects.get(name=Role.TRAINEE.value)
    users = []
    for index in range(count):
        user = User.objects.create_user(
            email=f"{email_prefix}{index:03d}@exemple.fr",
            password="mesure-2026",  # noqa: S106 - throwaway benchmark database
            first_name="Stagiaire",
            last_name=f"{index:03d}",
        )
        user.groups.add(group)
        Enrolment.objects.create(session=session, trainee=user, status="in_training")
        users.append(user)
    return users


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1)


def database(folder: str, suffix: str) -> tuple[str, str, Callable[[], None]]:
    """(DATABASE_URL, label, drop): PostgreSQL when DATABASE_URL says so, else SQLite in folder."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{Path(folder) / f'{suffix}.sqlite3'}", "SQLite", lambda: None
    import psycopg

    head, _, name = base.rpartition("/")
    name = (name.split("?")[0] or "ensemblier") + f"_{suffix}"
    with psycopg.connect(f"{head}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{head}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{head}/{name}", "PostgreSQL", drop


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/compte/connexion/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn ne répond pas.")


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, threads: int) -> Iterator[int]:
    """gunicorn serving the project on a free loopback port, warmed up; yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "lms.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(port)
        for _ in range(workers * 4):  # warm every worker (URLconf, templates)
            wait_until_up(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
