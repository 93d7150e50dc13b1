"""Throughput benchmark: ``python benchmarks/throughput.py [--seconds S] [--workers W]``.

Seeds a throwaway database with the demo, serves it with gunicorn (``--workers W``, same
settings for every page) on 127.0.0.1 only, and measures one page after the other in the same
run: a bare Django view (one query, a small template; `bare_urls.py`), then the project's public
pages. Each page gets S seconds (default 3) of C concurrent clients (default 8) after a warm-up;
requests/s and the ratio to the bare view are printed. The clients are Python threads on the same
machine, so they take CPU from the server: compare the ratios, not the absolute figures, with
other tools (wrk).
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import SETTINGS, database, gunicorn, run  # noqa: E402

PAGES = [
    ("vue nue (1 requête, petit gabarit)", "/__banc__/vue-nue/"),
    ("accueil (visiteur)", "/"),
    ("programme (visiteur)", "/programme/"),
    ("module 9 (visiteur)", "/programme/module-9/"),
    ("santé (/sante/)", "/sante/"),
]


def hammer(port: int, url: str, seconds: float, clients: int) -> tuple[int, int]:
    """(successful requests, errors) of `clients` threads looping on GET url for `seconds`."""
    counts = [0] * clients
    errors = [0] * clients
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", url, headers={"Host": "localhost"})
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, label, drop = database(folder, "throughput")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DJANGO_ROOT_URLCONF": "benchmarks.bare_urls",
        }
        try:
            python = sys.executable
            run([python, "manage.py", "migrate", "--verbosity=0"], env)
            run([python, "manage.py", "seed_demo"], env)
            rows = []
            with gunicorn(env, workers=args.workers, threads=args.threads) as port:
                for name, path in PAGES:
                    hammer(port, path, 0.5, 2)  # warm-up (caches, compiled templates)
                    ok, errors = hammer(port, path, args.seconds, args.clients)
                    rows.append((name, ok / args.seconds, errors))
        finally:
            drop()
    bare = rows[0][1] or 1.0
    print(
        f"\nDébit ({label}, gunicorn -w {args.workers} --threads {args.threads}, "
        f"{args.clients} clients, {args.seconds:g} s par page, dans le même passage)\n"
    )
    print(f"{'page':38} {'requêtes/s':>11} {'rapport':>8} {'erreurs':>8}")
    for name, rate, errors in rows:
        print(f"{name:38} {rate:>11.1f} {rate / bare:>8.3f} {errors:>8}")
    if any(errors for *_, errors in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
