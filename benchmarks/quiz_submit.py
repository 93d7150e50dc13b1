"""Quiz submit under load: ``python benchmarks/quiz_submit.py [--trainees 100] [--window 60]``.

One command: a temporary SQLite database (PostgreSQL instead when DATABASE_URL points to a
PostgreSQL server: a ``_quiz_bench`` database is created), migrations, the seeded assessments,
one session with N trainees each holding an attempt in progress on the week-1 quiz with every
answer saved; then gunicorn on a free port of 127.0.0.1 (--workers, --threads) and N submits
(POST /tentatives/<id>/soumettre/) from threads, spread at deterministic random instants over
the window. Prints p50 / p95 / p99 latency and errors. Target: p95 under 200 ms.
Only loopback traffic; every request loop is bounded in count and time.
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

CSRF = "b" * 32


def prepare(count: int) -> list[dict]:
    """Child mode: trainees with an attempt in progress and a logged-in session each."""
    import django

    django.setup()
    from assessments.models import AssessmentPage, Question
    from assessments.seed import seed as seed_assessments
    from assessments.services import attempt_save_answers, attempt_start

    seed_assessments()
    quiz = AssessmentPage.objects.filter(kind=AssessmentPage.Kind.QUIZ).order_by("pk").first()
    questions = list(Question.objects.filter(page_id=quiz.pk).prefetch_related("choices"))
    rows = []
    for user in enrolled_trainees(count, slug="session-mesure", email_prefix="mesure"):
        attempt = attempt_start(trainee=user, assessment=quiz)
        values = {}
        for question in questions:
            choices = list(question.choices.all())
            if choices:
                values[question] = [choices[0].pk]
            elif question.kind == "true_false":
                values[question] = "true"
            else:
                values[question] = "42"
        attempt_save_answers(attempt=attempt, values=values)
        rows.append({"attempt": attempt.pk, "session": login_session(user)})
    return rows


def submit(port: int, row: dict) -> tuple[float, int | str]:
    body = f"csrfmiddlewaretoken={CSRF}"
    headers = {
        "Cookie": f"sessionid={row['session']}; csrftoken={CSRF}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Host": f"127.0.0.1:{port}",
    }
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", f"/tentatives/{row['attempt']}/soumettre/", body, headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError as error:
        status = type(error).__name__
    return (time.perf_counter() - started) * 1000, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=100)
    parser.add_argument("--window", type=float, default=60.0, help="secondes")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(prepare(args.trainees)))
        return
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as folder:
        url, label, drop = database(folder, "quiz_bench")
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
        run([sys.executable, "manage.py", "migrate", "-v0"], env)
        out = run(
            [
                sys.executable,
                "benchmarks/quiz_submit.py",
                "--prepare",
                f"--trainees={args.trainees}",
            ],
            env,
        )
        rows = json.loads(out.strip().splitlines()[-1])
        with gunicorn(env, workers=args.workers, threads=args.threads) as port:
            schedule = random.Random(2026)  # noqa: S311 - deterministic spread, not security
            offsets = sorted(schedule.uniform(0, args.window) for _ in rows)
            results: list[tuple[float, int | str]] = []
            lock = threading.Lock()
            start = time.monotonic()

            def fire(row, offset):
                delay = start + offset - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                outcome = submit(port, row)
                with lock:
                    results.append(outcome)

            threads = [
                threading.Thread(target=fire, args=(row, offset))
                for row, offset in zip(rows, offsets, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.window + 60)
            elapsed = time.monotonic() - start
        drop()
    timings = [ms for ms, status in results]
    errors = [status for ms, status in results if status != 302]
    p95 = percentile(timings, 0.95)
    print(
        f"{label}, gunicorn {args.workers} workers × {args.threads} threads: "
        f"{len(results)} submits in {elapsed:.0f} s — "
        f"p50 {percentile(timings, 0.50)} ms, p95 {p95} ms, p99 {percentile(timings, 0.99)} ms, "
        f"mean {statistics.mean(timings):.1f} ms, errors {len(errors)} {errors[:5] or ''}"
        f" — {'OK' if p95 < 200 and not errors else 'AU-DESSUS DE LA CIBLE'} (target p95 < 200 ms)"
    )


if __name__ == "__main__":
    main()
