"""Tableau national at national scale: ``python benchmarks/tracker.py [--scale 1] [--runs 30]``.

One command: creates a temporary SQLite database (and a PostgreSQL one when DATABASE_URL points
to a PostgreSQL server: its database name gets a ``_tracker_bench`` suffix, dropped first),
applies the migrations, runs ``generate_load_data`` (11,500 certified, 600 sessions, 60,000
attempts at --scale 1), then renders /tableau-national/ --runs times with the test client
logged in as a coordinator and prints the median and p95 render time and the query count.
Target: under 300 ms with a constant number of queries.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "benchmarks.settings_bench"


def run(command: list[str], env: dict) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"échec : {' '.join(command)}")
    return result.stdout


def prepare(database_url: str, scale: float) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": SETTINGS}
    started = time.perf_counter()
    run([sys.executable, "manage.py", "migrate", "-v0"], env)
    migrated = time.perf_counter()
    out = run([sys.executable, "manage.py", "generate_load_data", f"--scale={scale}"], env)
    generated = time.perf_counter()
    summary = [line for line in out.splitlines() if line.startswith("Données de charge")]
    return {
        "migrate_s": round(migrated - started, 1),
        "generate_s": round(generated - migrated, 1),
        "summary": summary[-1] if summary else "",
        "env": env,
    }


def measure(runs: int) -> dict:
    """Child mode: Django is set up from the environment; prints JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lms.models import User
    from lms.roles import Role

    coordinator, _ = User.objects.get_or_create(
        email="coordination-bench@exemple.fr",
        defaults={"first_name": "Coordination", "last_name": "Bench"},
    )
    from django.contrib.auth.models import Group

    coordinator.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/tableau-national/")  # warm-up: templates, settings cache
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get("/tableau-national/")
    # Read now: the next request's request_started signal empties the query log.
    query_count = len(queries.captured_queries)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/tableau-national/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    from assessments.models import Certification

    return {
        "certified": Certification.objects.filter(status="valid").count(),
        "queries": query_count,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "max_ms": round(timings[-1], 1),
        "runs": runs,
    }


def postgres_url(base: str) -> str:
    import psycopg

    head, _, name = base.rpartition("/")
    name = (name.split("?")[0] or "ensemblier") + "_tracker_bench"
    with psycopg.connect(f"{head}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{head}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure(args.runs)))
        return
    targets = []
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as folder:
        targets.append(("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}"))
        base = os.environ.get("DATABASE_URL", "")
        if base.startswith("postgres"):
            targets.append(("PostgreSQL", postgres_url(base)))
        for label, url in targets:
            prepared = prepare(url, args.scale)
            out = run(
                [sys.executable, "benchmarks/tracker.py", "--measure", f"--runs={args.runs}"],
                prepared["env"],
            )
            figures = json.loads(out.strip().splitlines()[-1])
            verdict = "OK" if figures["p95_ms"] < 300 else "AU-DESSUS DE LA CIBLE"
            print(
                f"{label}: {prepared['summary']}\n"
                f"  migrate {prepared['migrate_s']} s, "
                f"generate_load_data {prepared['generate_s']} s\n"
                f"  /tableau-national/ with {figures['certified']} certified: "
                f"median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, "
                f"max {figures['max_ms']} ms over {figures['runs']} renders, "
                f"{figures['queries']} queries — {verdict} (target < 300 ms)"
            )


if __name__ == "__main__":
    main()
