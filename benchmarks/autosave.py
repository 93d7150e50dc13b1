"""Dossier autosave under load: ``python benchmarks/autosave.py [--trainees 40] [--duration 20]``.

One command: a temporary SQLite database (PostgreSQL instead when DATABASE_URL points to a
PostgreSQL server: an ``<name>_autosave_bench`` database is created, then dropped), migrations,
one case study, one session with N trainees each logged in (a session row per trainee) with a
dossier open; then gunicorn on a free port of 127.0.0.1 (--workers, --threads) and N threads,
one per trainee, each "typing": an autosave POST of one field about once a second (random
field of the Identifier or Organiser et financer milestone, random text, jittered interval)
for --duration seconds over a keep-alive connection. Prints the p50 / p95 / p99 latency,
throughput and errors (any answer that is not 200 with "Enregistré à"). Target: p95 < 100 ms.
Only loopback traffic; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

from harness import (
    ROOT,
    SETTINGS,
    database,
    enrolled_trainees,
    gunicorn,
    login_session,
    percentile,
    run,
)

CSRF = "c" * 32
TARGET_P95_MS = 100
FIELDS = [
    ("identifier", "social_situation", "text"),
    ("identifier", "needs", "text"),
    ("identifier", "trusted_third_party", "text"),
    ("identifier", "income_category", "category"),
    ("organiser", "diagnosis", "text"),
    ("organiser", "gestures", "text"),
    ("organiser", "works_cost_ht", "amount"),
    ("organiser", "aid_mpr_accompagnee", "amount"),
    ("organiser", "reste_a_charge", "amount"),
]
WORDS = ["maison", "isolée", "humidité", "combles", "chaudière", "fioul", "ménage", "devis"]


def prepare(count: int) -> list[dict]:
    """Child mode: N trainees enrolled, each with a dossier and a logged-in session."""
    import django

    django.setup()
    from casestudies.models import CaseStudyPage
    from casestudies.seed import seed as seed_casestudies
    from casestudies.services import dossier_open

    seed_casestudies()
    case = CaseStudyPage.objects.live().order_by("path").first()
    rows = []
    for user in enrolled_trainees(count, slug="session-mesure-autosave", email_prefix="saisie"):
        dossier = dossier_open(trainee=user, case_study=case)
        rows.append({"dossier": dossier.pk, "session": login_session(user)})
    return rows


def field_value(kind: str, rng: random.Random) -> str:
    if kind == "amount":
        return f"{rng.randint(0, 60_000):,}".replace(",", " ")
    if kind == "category":
        return rng.choice(["tres_modeste", "modeste", "intermediaire", "superieur"])
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))


def typist(port, row, index, duration, results, lock, start_barrier):
    """One trainee typing: an autosave about every second, for `duration` seconds at most."""
    rng = random.Random(index)  # noqa: S311 - deterministic load, not security
    headers = {
        "Cookie": f"sessionid={row['session']}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
        "Host": f"127.0.0.1:{port}",
    }
    path = f"/dossiers/{row['dossier']}/enregistrer/"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start_barrier.wait()
    time.sleep(rng.uniform(0, 1))  # trainees do not all type on the same beat
    deadline = time.monotonic() + duration
    local = []
    for _ in range(int(duration * 2) + 2):  # bounded even if the clock misbehaves
        if time.monotonic() >= deadline:
            break
        milestone, name, kind = rng.choice(FIELDS)
        body = urlencode({"_milestone": milestone, "_field": name, name: field_value(kind, rng)})
        started = time.perf_counter()
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            saved = "Enregistré à" in text or "Brouillon gardé à" in text  # kept even if invalid
            status = response.status if saved else f"{response.status} sans état"
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local.append(((time.perf_counter() - started) * 1000, status))
        time.sleep(max(0.0, rng.uniform(0.7, 1.3) - (time.perf_counter() - started)))
    connection.close()
    with lock:
        results.extend(local)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--duration", type=float, default=20.0, help="secondes")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(prepare(args.trainees)))
        return
    args.duration = max(1.0, min(args.duration, 300.0))
    with tempfile.TemporaryDirectory(prefix="autosave-bench-") as folder:
        url, label, drop = database(folder, "autosave_bench")
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
        try:
            run([sys.executable, "manage.py", "migrate", "-v0"], env)
            out = run([sys.executable, __file__, "--prepare", f"--trainees={args.trainees}"], env)
            rows = json.loads(out.strip().splitlines()[-1])
            with gunicorn(env, workers=args.workers, threads=args.threads) as port:
                results: list[tuple[float, int | str]] = []
                lock = threading.Lock()
                barrier = threading.Barrier(len(rows) + 1)
                threads = [
                    threading.Thread(
                        target=typist,
                        args=(port, row, index, args.duration, results, lock, barrier),
                    )
                    for index, row in enumerate(rows)
                ]
                for thread in threads:
                    thread.start()
                barrier.wait()
                start = time.monotonic()
                for thread in threads:
                    thread.join(timeout=args.duration + 60)
                elapsed = time.monotonic() - start
        finally:
            drop()
    timings = [ms for ms, _status in results]
    errors = [status for _ms, status in results if status != 200]
    p95 = percentile(timings, 0.95)
    verdict = "OK" if p95 < TARGET_P95_MS and not errors else "AU-DESSUS DE LA CIBLE"
    print(
        f"{label}, gunicorn {args.workers} workers × {args.threads} threads, "
        f"{len(rows)} stagiaires : {len(results)} enregistrements en {elapsed:.0f} s "
        f"({len(results) / elapsed:.0f}/s) — p50 {percentile(timings, 0.50)} ms, "
        f"p95 {p95} ms, p99 {percentile(timings, 0.99)} ms, max {max(timings):.1f} ms, "
        f"moyenne {statistics.mean(timings):.1f} ms, erreurs {len(errors)} {errors[:5] or ''}"
        f" — {verdict} (cible p95 < {TARGET_P95_MS} ms)"
    )


if __name__ == "__main__":
    main()
