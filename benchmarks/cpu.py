"""CPU time per page, in process: ``python benchmarks/cpu.py [--requests N] [--profile PAGE]``.

Seeds a throwaway SQLite database with the demo (or reuses ``--database PATH``, seeded on first
use), then requests the demo trainee's pages (and a trainer's counter-signing screen) with
Django's test client under the benchmark settings (DEBUG off, compiled templates cached) and
prints, for each page, the SQL query count and the CPU time of one request (the median of N
requests' ``process_time`` after a warm-up, test client included). CPU time, unlike latency, hardly
depends on what else the machine runs: it is the figure to compare before and after a change.

``--profile PAGE`` (a label below, e.g. ``today``) runs cProfile over N requests of that page
and prints the functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("today", "Aujourd'hui", "/aujourdhui/"),
    ("module", "module 9 (stagiaire inscrit)", "/programme/module-9/"),
    ("dossier", "dossier", "{dossier_url}"),
    ("dossiers", "Mes dossiers", "/dossiers/"),
    ("quiz", "quiz en cours", "{attempt_url}"),
    ("parcours", "Mon parcours", "/mon-parcours/"),
    ("attendance", "Mon émargement", "/mon-emargement/"),
    ("countersign", "émargement formateur (contre-signature)", "{countersign_url}"),
]


def setup(database: str | None) -> Path | None:
    """Django set up on the benchmark database; the throwaway file to remove (None if kept)."""
    path = Path(database) if database else Path(tempfile.gettempdir()) / f"cpu-{os.getpid()}.db"
    fresh = not path.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings_bench"
    os.environ.setdefault("DJANGO_PAGE_CACHE_DIR", str(path.with_suffix(".pages")))
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
    return None if database else path


def urls() -> tuple[dict, object, object]:
    """The pages' URLs, the demo trainee and the demo trainer (a quiz attempt is started)."""
    from assessments.models import AssessmentPage, Attempt
    from assessments.services import AttemptError, attempt_start
    from casestudies.models import Dossier
    from lms.models import User
    from modules import clock
    from modules.models import SessionSlot

    trainee = User.objects.get(email="stagiaire@ensemblier.example")
    trainer = User.objects.get(email="formateur@ensemblier.example")
    dossier = Dossier.objects.filter(trainee=trainee).order_by("pk").first()
    attempt = Attempt.objects.filter(trainee=trainee, submitted_at__isnull=True).first()
    if attempt is None or attempt.deadline < clock.now():
        for assessment in AssessmentPage.objects.live().filter(kind=AssessmentPage.Kind.QUIZ):
            try:
                attempt = attempt_start(trainee=trainee, assessment=assessment)
                break
            except AttemptError:
                continue
    slot = (
        SessionSlot.objects.filter(
            session__enrolments__trainee=trainee, date__lte=clock.now().date()
        )
        .order_by("-date", "-start_time")
        .first()
    )
    found = {
        "dossier_url": f"/dossiers/{dossier.pk}/" if dossier else "",
        "attempt_url": f"/tentatives/{attempt.pk}/" if attempt else "",
        "countersign_url": f"/formateur/creneaux/{slot.pk}/emargement/" if slot else "",
    }
    return found, trainee, trainer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database", help="SQLite file to reuse (seeded when absent)")
    parser.add_argument("--profile", help="page label to profile with cProfile")
    parser.add_argument("--pages", help="comma-separated labels (default: all)")
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args()
    throwaway = setup(args.database)
    try:
        measure(args)
    finally:
        if throwaway is not None:
            for leftover in throwaway.parent.glob(throwaway.name + "*"):
                leftover.unlink(missing_ok=True)  # the database and its -wal / -shm files
            shutil.rmtree(throwaway.with_suffix(".pages"), ignore_errors=True)


def measure(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found, trainee, trainer = urls()
    chosen = set(args.pages.split(",")) if args.pages else None
    clients = {}
    for user in (trainee, trainer):
        client = Client()
        client.force_login(user)
        clients[user.pk] = client
    rows = []
    for label, name, template in PAGES:
        if chosen and label not in chosen and label != args.profile:
            continue
        if args.profile and label != args.profile:
            continue
        path = template.format(**found)
        if not path:
            rows.append((name, None, None))
            continue
        client = clients[trainer.pk if label == "countersign" else trainee.pk]
        for _ in range(3):  # warm-up: compiled templates, per-process caches
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        spent_each = []
        for _ in range(args.requests):
            start = time.process_time()
            client.get(path)
            spent_each.append(time.process_time() - start)
        # The median: on a shared machine a few requests are slowed down by the others' work
        # (caches, frequency), which the mean would count.
        spent = statistics.median(spent_each)
        if args.profile:
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(args.lines)
            stats.sort_stats("cumulative").print_stats(args.lines)
        rows.append((name, count, spent * 1000))
    print(f"\nCPU par requête, en processus (client de test, {args.requests} requêtes par page)\n")
    print(f"{'page':42} {'requêtes SQL':>12} {'CPU ms (médiane)':>17}")
    for name, count, spent in rows:
        if count is None:
            print(f"{name:42} {'absente':>12}")
            continue
        print(f"{name:42} {count:>12} {spent:>17.1f}")


if __name__ == "__main__":
    main()
