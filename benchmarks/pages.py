"""Programme pages benchmark: ``python benchmarks/pages.py [--runs N]``.

Builds a throwaway SQLite database (or uses ``BENCH_DATABASE_URL``), seeds the real programme
(12 modules with their full content, the timetable) and the demo sessions, then measures with
Django's test client, in process:
- the programme page (anonymous);
- module 9 (the longest) for a visitor and for an enrolled trainee (full content);
- the session calendar with N sessions, then with 3N sessions (20 trainees each);
- one session's page and its public iCal feed.
It prints the SQL query count of each request and its render time (median and worst of N runs,
after one warm-up). The query counts must not grow with the number of sessions.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> Path | None:
    temp = None
    if "BENCH_DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        temp = Path(tempfile.gettempdir()) / f"ensemblier-bench-pages-{os.getpid()}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{temp}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return temp


def add_sessions(count: int, offset: int, trainees_each: int = 20) -> None:
    from django.contrib.auth.models import Group

    from lms.models import Territory, User
    from lms.roles import Role
    from modules.calendar import spaced_week_starts
    from modules.models import Enrolment, TrainingSession
    from modules.services.sessions import session_generate_slots

    territories = list(Territory.objects.all())
    group = Group.objects.get(name=Role.TRAINEE.value)
    start = datetime.date(2025, 1, 6)
    for index in range(offset, offset + count):
        starts = spaced_week_starts(start + datetime.timedelta(weeks=2 * index), (1, 1))
        session = TrainingSession.objects.create(
            name=f"Session de banc {index}",
            slug=f"banc-{index}",
            territory=territories[index % len(territories)],
            venue="Salle de test",
            week1_start=starts[0],
            week2_start=starts[1],
            week3_start=starts[2],
        )
        session_generate_slots(session=session)
        for number in range(trainees_each):
            user = User.objects.create_user(
                email=f"banc-{index}-{number}@bench.example",
                password=None,
                first_name="Stagiaire",
                last_name=f"{index}-{number}",
            )
            user.groups.add(group)
            Enrolment.objects.create(session=session, trainee=user, status="confirmed")


def measure(client, url: str, runs: int) -> tuple[int, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Read now: captured queries are a slice of the log that the next request resets.
    count = len(queries)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
    return count, statistics.median(timings), max(timings), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=20, help="N (then 3N) extra sessions")
    args = parser.parse_args()
    temp = setup_django()
    try:
        from django.test import Client

        from lms.models import User
        from lms.seed import seed as seed_lms
        from modules.models import SessionCalendarPage
        from modules.seed import seed_all

        seed_lms()
        seed_all()
        calendar = SessionCalendarPage.objects.get().url
        anonymous = Client(HTTP_HOST="localhost")
        trainee = Client(HTTP_HOST="localhost")
        trainee.force_login(User.objects.get(email="stagiaire@ensemblier.example"))

        rows = []

        def row(label, client, url):
            queries, median, worst, size = measure(client, url, args.runs)
            rows.append((label, queries, median, worst, size))

        row("programme (visiteur)", anonymous, "/programme/")
        row("module 9 (visiteur)", anonymous, "/programme/module-9/")
        row("module 9 (stagiaire inscrit)", trainee, "/programme/module-9/")
        add_sessions(args.sessions, 0)
        n = args.sessions + 17
        row(f"calendrier ({n} sessions)", anonymous, calendar)
        add_sessions(2 * args.sessions, args.sessions)
        n3 = 3 * args.sessions + 17
        row(f"calendrier ({n3} sessions)", anonymous, calendar)
        row(f"programme ({n3} sessions)", anonymous, "/programme/")
        row("session de démonstration", anonymous, f"{calendar}demonstration-carcassonne/")
        row("iCal public (30 événements)", anonymous, f"{calendar}demonstration-carcassonne/ical/")

        print(f"\nPages du programme — {args.runs} mesures par page, après un premier appel\n")
        print(f"{'page':38} {'requêtes':>8} {'médiane':>10} {'pire':>10} {'octets':>9}")
        for label, queries, median, worst, size in rows:
            print(f"{label:38} {queries:>8} {median:>8.1f}ms {worst:>8.1f}ms {size:>9}")
        by_label = {label: queries for label, queries, *_ in rows}
        constant = by_label[f"calendrier ({n} sessions)"] == by_label[f"calendrier ({n3} sessions)"]
        verdict = "oui" if constant else "NON"
        print(f"\nRequêtes du calendrier constantes de {n} à {n3} sessions : {verdict}")
        if not constant:
            sys.exit(1)
    finally:
        if temp is not None and temp.exists():
            temp.unlink()


if __name__ == "__main__":
    main()
