"""Throughput benchmark: ``python benchmarks/throughput.py [--seconds S] [--workers W]``.

Seeds a throwaway database with the demo, serves it with gunicorn (``--workers W``, same
settings for every page) on 127.0.0.1 only, and measures one page after the other in the same
run: a bare Django view (one query, a small template; `bare_urls.py`), then the project's public
pages as a visitor (no cookie), then the demo trainee's pages (a logged-in session cookie; the
demo session runs today). Each page gets S seconds (default 3) of C concurrent clients (default
8) after a warm-up; requests/s and the ratio to the bare view (measured first and last, the mean
of both) are printed. The clients are Python threads on the same machine, so they take CPU from
the server: compare the ratios, not the absolute figures, with other tools (wrk).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ROOT, SETTINGS, database, gunicorn, login_session, run  # noqa: E402

VISITOR_PAGES = [
    ("vue nue (1 requête, petit gabarit)", "/__banc__/vue-nue/"),
    ("accueil (visiteur)", "/"),
    ("programme (visiteur)", "/programme/"),
    ("module 9 (visiteur)", "/programme/module-9/"),
    ("calendrier des sessions (visiteur)", "/programme/sessions/"),
    ("page d'une session (visiteur)", "{session_url}"),
    ("résultats (visiteur)", "/resultats/"),
    ("santé (/sante/)", "/sante/"),
]
BARE_AGAIN = "vue nue (de nouveau, en fin de passage)"
TRAINEE_PAGES = [
    ("Aujourd'hui (stagiaire)", "/aujourdhui/"),
    ("module 9 (stagiaire inscrit)", "/programme/module-9/"),
    ("dossier (stagiaire)", "{dossier_url}"),
    ("quiz en cours (stagiaire)", "{attempt_url}"),
    ("Mon parcours (stagiaire)", "/mon-parcours/"),
]


def prepare() -> dict:
    """Child mode, on the seeded database: the demo trainee's session cookie and the URLs of
    their dossier, of a quiz attempt in progress (started here) and of the demo session."""
    import django

    django.setup()
    from django.conf import settings

    from assessments.models import AssessmentPage
    from assessments.services import AttemptError, attempt_start
    from casestudies.models import Dossier
    from lms.models import User
    from modules.models import SessionCalendarPage, TrainingSession

    trainee = User.objects.get(email="stagiaire@ensemblier.example")
    dossier = Dossier.objects.filter(trainee=trainee).order_by("pk").first()
    attempt = None
    # A weekly quiz (25–30 minutes allowed: longer than the whole measurement).
    for assessment in AssessmentPage.objects.live().filter(kind=AssessmentPage.Kind.QUIZ):
        try:
            attempt = attempt_start(trainee=trainee, assessment=assessment)
            break
        except AttemptError:
            continue
    session = TrainingSession.objects.filter(enrolments__trainee=trainee).first()
    calendar = SessionCalendarPage.objects.live().first()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={login_session(trainee)}",
        "dossier_url": f"/dossiers/{dossier.pk}/" if dossier else "",
        "attempt_url": f"/tentatives/{attempt.pk}/" if attempt else "",
        "session_url": calendar.session_url(session) if calendar and session else "",
    }


def hammer(port: int, url: str, seconds: float, clients: int, cookie: str = "") -> tuple[int, int]:
    """(successful requests, errors) of `clients` threads looping on GET url for `seconds`."""
    counts = [0] * clients
    errors = [0] * clients
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Host": "localhost"}
            if cookie:
                headers["Cookie"] = cookie
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
            finally:
                connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(prepare()))
        return
    with tempfile.TemporaryDirectory() as folder:
        url, label, drop = database(folder, "throughput")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DJANGO_ROOT_URLCONF": "benchmarks.bare_urls",
            "DJANGO_PAGE_CACHE_DIR": os.path.join(folder, "pages"),
        }
        try:
            python = sys.executable
            run([python, "manage.py", "migrate", "--verbosity=0"], env)
            run([python, "manage.py", "seed_demo"], env)
            found = json.loads(run([python, __file__, "--prepare"], env).strip().splitlines()[-1])
            pages = (
                [(name, path, "") for name, path in VISITOR_PAGES]
                + [(name, path, found["cookie"]) for name, path in TRAINEE_PAGES]
                + [(BARE_AGAIN, VISITOR_PAGES[0][1], "")]
            )
            rows = []
            with gunicorn(env, workers=args.workers, threads=args.threads) as port:
                for name, template, cookie in pages:
                    path = template.format(**found)
                    if not path:
                        rows.append((name, None, 0))  # nothing to measure (see prepare())
                        continue
                    hammer(port, path, 0.5, 2, cookie)  # warm-up (caches, compiled templates)
                    ok, errors = hammer(port, path, args.seconds, args.clients, cookie)
                    rows.append((name, ok / args.seconds, errors))
        finally:
            drop()
    # The bare view is measured first and last: on a shared machine the load drifts during the
    # run, and each page is compared with the mean of the two.
    bare = (rows[0][1] + rows[-1][1]) / 2 or 1.0
    print(
        f"\nDébit ({label}, gunicorn -w {args.workers} --threads {args.threads}, "
        f"{args.clients} clients, {args.seconds:g} s par page, dans le même passage)\n"
    )
    print(f"{'page':38} {'requêtes/s':>11} {'rapport':>8} {'erreurs':>8}")
    for name, rate, errors in rows:
        if rate is None:
            print(f"{name:38} {'absente':>11}")
            continue
        print(f"{name:38} {rate:>11.1f} {rate / bare:>8.3f} {errors:>8}")
    if any(errors for *_, errors in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
