"""Attendance pages benchmark: ``python benchmarks/attendance.py [--runs N]``.

Builds a throwaway SQLite database (or uses ``BENCH_DATABASE_URL``), seeds the programme and
two groups, 40 and 120 trainees (the second trainee also enrolled in two other sessions), then
measures with Django's test client, in process, for each group size:
- "Aujourd'hui" for a trainee (GET /aujourdhui/);
- the counter-sign screen of today's morning (GET /formateur/creneaux/<id>/emargement/);
- the counter-sign POST for the whole group (one per half-day, on fresh half-days);
- the attendance sheet as CSV and PDF.
It prints the SQL query count of each request and its render time (median and worst of N runs,
after one warm-up). The query counts must not grow with the group size.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARIS = ZoneInfo("Europe/Paris")
WEEK1 = datetime.date(2026, 3, 2)
NOW = datetime.datetime(2026, 3, 10, 9, 40, tzinfo=PARIS)  # week 2, day 7, morning


def setup_django() -> Path | None:
    temp = None
    if "BENCH_DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        temp = Path(tempfile.gettempdir()) / f"ensemblier-bench-attendance-{os.getpid()}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{temp}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return temp


def build(size: int, label: str, extra_sessions: int = 0):
    from django.contrib.auth.models import Group

    from lms.models import Territory, User
    from lms.roles import Role
    from modules import clock
    from modules.models import Attendance, Enrolment, TrainingSession
    from modules.services.attendance import attendance_sign
    from modules.services.sessions import session_generate_slots

    territory = Territory.objects.order_by("pk").first()
    trainer = User.objects.create_user(
        email=f"formateur-{label}@bench.example", password=None, first_name="Karim", last_name=label
    )
    trainer.groups.add(Group.objects.get(name=Role.TRAINER.value))

    def new_session(name: str, week1: datetime.date) -> TrainingSession:
        session = TrainingSession.objects.create(
            name=name,
            slug=f"bench-{name}".lower().replace(" ", "-"),
            territory=territory,
            venue="Salle de test",
            week1_start=week1,
            week2_start=week1 + datetime.timedelta(days=7),
            week3_start=week1 + datetime.timedelta(days=14),
        )
        session.trainers.add(trainer)
        session_generate_slots(session=session)
        return session

    session = new_session(f"Groupe {label}", WEEK1)
    users = User.objects.bulk_create(
        [
            User(
                email=f"stagiaire-{label}-{index}@bench.example",
                first_name=f"Prénom{index}",
                last_name=f"Nom{index:03d}",
            )
            for index in range(size)
        ]
    )
    Group.objects.get(name=Role.TRAINEE.value).user_set.add(*users)
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(session=session, trainee=user, status="in_training") for user in users]
    )
    for index in range(extra_sessions):
        other = new_session(f"Ancien {label} {index}", datetime.date(2025, 9 + index, 1))
        Enrolment.objects.create(session=other, trainee=users[0], status="completed")
    slots = {(slot.day_number, slot.half): slot for slot in session.slots.all()}
    # Days 1–6 signed and counter-signed; this morning, half the group has signed.
    past = [slots[(day, half)] for day in range(1, 7) for half in ("am", "pm")]
    Attendance.objects.bulk_create(
        [
            Attendance(
                enrolment=enrolment,
                slot=slot,
                status="present",
                trainee_signed_at=datetime.datetime.combine(slot.date, slot.start_time, PARIS),
                trainer_signed_at=datetime.datetime.combine(slot.date, slot.end_time, PARIS),
                trainer_signed_by=trainer,
            )
            for slot in past
            for enrolment in enrolments
        ]
    )
    morning = slots[(7, "am")]
    for enrolment in enrolments[: size // 2]:
        attendance_sign(enrolment=enrolment, slot=morning, now=NOW)
    clock.now = lambda: NOW
    return session, trainer, users[0], morning, slots


def measure(client, method: str, url: str, runs: int, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, method)
    call(url, data) if data is not None else call(url)
    times, counts = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = call(url, data) if data is not None else call(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
        counts.add(len(queries))
    return counts, statistics.median(times), max(times)


def measure_posts(client, slots, enrolment_ids, runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from modules import clock

    times, counts = [], set()
    for day in range(8, 8 + runs):
        slot = slots[(day, "am")]
        data = {f"status-{pk}": "present" for pk in enrolment_ids}
        # A half-day is counter-signed once it has begun, never ahead: the trainer posts at its
        # start (each run on a fresh half-day of the following days).
        started_at = datetime.datetime.combine(slot.date, slot.start_time, PARIS)
        clock.now = lambda started_at=started_at: started_at
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(f"/formateur/creneaux/{slot.pk}/emargement/", data)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.status_code
        counts.add(len(queries))
    clock.now = lambda: NOW
    return counts, statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    temp = setup_django()
    try:
        from django.test import Client

        from lms.seed import seed_home
        from modules.seed import seed_programme

        seed_home()
        seed_programme()
        results = []
        for size, extra in ((40, 0), (120, 2)):
            session, trainer, trainee, morning, slots = build(size, f"g{size}", extra)
            enrolment_ids = list(session.enrolments.values_list("pk", flat=True))
            trainee_client, trainer_client = Client(), Client()
            trainee_client.force_login(trainee)
            trainer_client.force_login(trainer)
            base = f"/formateur/sessions/{session.pk}"
            rows = [
                ("Aujourd'hui", measure(trainee_client, "get", "/aujourdhui/", args.runs)),
                (
                    "Écran de contresignature",
                    measure(
                        trainer_client,
                        "get",
                        f"/formateur/creneaux/{morning.pk}/emargement/",
                        args.runs,
                    ),
                ),
                (
                    "Contresigner (POST, tout le groupe)",
                    measure_posts(trainer_client, slots, enrolment_ids, min(args.runs, 7)),
                ),
                (
                    "Page session (30 demi-journées)",
                    measure(trainer_client, "get", f"{base}/", args.runs),
                ),
                ("Feuille CSV", measure(trainer_client, "get", f"{base}/feuille.csv", 5)),
                ("Feuille PDF", measure(trainer_client, "get", f"{base}/feuille.pdf", 3)),
            ]
            for name, (counts, median, worst) in rows:
                results.append((size, name, counts, median, worst))
        print(f"{'Stagiaires':>10}  {'Page':<38} {'Requêtes':>8}  {'Médiane':>9}  {'Pire':>9}")
        for size, name, counts, median, worst in results:
            count = "/".join(str(c) for c in sorted(counts))
            print(f"{size:>10}  {name:<38} {count:>8}  {median:>7.1f} ms  {worst:>6.1f} ms")
        by_page: dict[str, set] = {}
        for _size, name, counts, _median, _worst in results:
            by_page.setdefault(name, set()).update(counts)
        varying = [name for name, counts in by_page.items() if len(counts) > 1]
        if varying:
            print("ERREUR : nombre de requêtes variable pour " + ", ".join(varying))
            sys.exit(1)
        print("Nombre de requêtes constant de 40 à 120 stagiaires : OK")
    finally:
        if temp is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{temp}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
