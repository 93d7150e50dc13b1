"""CPU time per page, in process: ``python benchmarks/cpu.py [--requests N] [--profile PAGE]``.

Seeds a throwaway SQLite database with the demo (or reuses ``--database PATH``, seeded on first
use), then requests the demo trainee's pages (and a trainer's counter-signing screen) with
Django's test client under the benchmark settings (DEBUG off, compiled templates cached) and
prints, for each page, the SQL query count and the CPU time of one request (the median of N
requests' ``process_time`` after a warm-up, test client included). CPU time, unlike latency, hardly
depends on what else the machine runs: it is the figure to compare before and after a change.

The writes of the load benchmark's mix are measured the same way (``ACTIONS``): signing the
half-day (the clock pinned inside today's half-day, the signature removed between requests,
outside the measure), a dossier autosave and a quiz autosave (a different value each time, as
typed), and a login (a fresh client each time; the benchmark settings' fast hasher, the
production hasher's own cost is printed apart).

``--profile PAGE`` (a label below, e.g. ``today`` or ``sign``) runs cProfile over N requests of
that page and prints the functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import random
import re
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
# Writes: label, name (see `actions`).
ACTIONS = [
    ("sign", "émarger (POST)"),
    ("dossier_save", "dossier : enregistrement auto (POST)"),
    ("quiz_save", "quiz : enregistrement auto (POST)"),
    ("login", "connexion (POST, hacheur MD5 du banc)"),
]
PASSWORD = "cpu-2026"  # noqa: S105 - throwaway benchmark database
WORDS = ["maison", "isolée", "humidité", "combles", "chaudière", "fioul", "ménage", "devis"]
QUESTION_INPUT = re.compile(r'<(?:input|textarea)[^>]*name="q-(\d+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


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


def actions(found, trainee, trainer) -> dict:
    """label -> (user, one request returning its response, untimed reset or None, expected
    status, setup, teardown) for the writes of the load mix."""
    from django.conf import settings
    from django.shortcuts import resolve_url
    from django.test import Client
    from django.utils import timezone

    from casestudies.forms import form_class_for
    from casestudies.models import EDITABLE_STATUSES, Dossier, DossierMilestone
    from modules import clock
    from modules.models import Attendance, Enrolment, SessionSlot

    rng = random.Random(12)  # noqa: S311 - benchmark values
    found_actions = {}

    slot = (
        SessionSlot.objects.filter(session__enrolments__trainee=trainee, date=timezone.localdate())
        .order_by("start_time")
        .first()
    )
    if slot is not None:
        enrolment = Enrolment.objects.get(trainee=trainee, session_id=slot.session_id)
        opened = timezone.make_aware(
            datetime.datetime.combine(slot.date, slot.start_time) + datetime.timedelta(minutes=10)
        )
        real_now = clock.now

        def pin():
            clock.now = lambda: opened

        def unpin():
            clock.now = real_now

        def unsign():
            Attendance.objects.filter(enrolment=enrolment, slot=slot).delete()

        found_actions["sign"] = (
            trainee,
            lambda client: client.post(
                f"/emargement/{slot.pk}/signer/", {}, headers={"Accept": "application/json"}
            ),
            unsign,
            200,
            pin,
            unpin,
        )

    milestone = (
        DossierMilestone.objects.filter(dossier__trainee=trainee, status__in=EDITABLE_STATUSES)
        .order_by("dossier_id", "pk")
        .first()
    )
    if milestone is not None:
        form_class = form_class_for(milestone.milestone)
        text_fields = [
            name
            for name, field in form_class.base_fields.items()
            if field.__class__.__name__ == "CharField" and not getattr(field, "choices", None)
        ]
        dossier = Dossier.objects.get(pk=milestone.dossier_id)

        def dossier_save(client):
            name = rng.choice(text_fields)
            typed = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))
            return client.post(
                f"/dossiers/{dossier.pk}/enregistrer/",
                {"_milestone": milestone.milestone, "_field": name, name: typed},
                headers={"HX-Request": "true"},
            )

        if text_fields:
            found_actions["dossier_save"] = (trainee, dossier_save, None, 200, None, None)

    if found["attempt_url"]:
        questions = {}

        def quiz_setup():
            client = Client()
            client.force_login(trainee)
            html = client.get(found["attempt_url"]).content.decode()
            for match in QUESTION_INPUT.finditer(html):
                value = VALUE.search(match.group(0))
                choice = 'type="radio"' in match.group(0) or 'type="checkbox"' in match.group(0)
                options = questions.setdefault(match.group(1), [])
                if choice and value:
                    options.append(value.group(1))

        def quiz_save(client):
            key = rng.choice(sorted(questions))
            options = questions[key]
            value = rng.choice(options) if options else str(rng.randint(1, 99))
            return client.post(
                f"{found['attempt_url']}reponse/{key}/",
                {f"q-{key}": value},
                headers={"HX-Request": "true"},
            )

        found_actions["quiz_save"] = (trainee, quiz_save, None, 200, quiz_setup, None)

    def login(_client):
        fresh = Client()
        return fresh.post(
            resolve_url(settings.LOGIN_URL), {"username": trainee.email, "password": PASSWORD}
        )

    found_actions["login"] = (trainee, login, None, 302, None, None)
    return found_actions


def measure(args) -> None:
    from django.test import Client

    found, trainee, trainer = urls()
    trainee.set_password(PASSWORD)  # before logging in: a new password ends the sessions
    trainee.save(update_fields=["password"])
    chosen = set(args.pages.split(",")) if args.pages else None
    clients = {}
    for user in (trainee, trainer):
        client = Client()
        client.force_login(user)
        clients[user.pk] = client
    steps = []
    for label, name, template in PAGES:
        path = template.format(**found)
        user = trainer if label == "countersign" else trainee
        steps.append(
            (label, name, user, (lambda c, path=path: c.get(path)) if path else None, None, 200)
            + (None, None)
        )
    writes = actions(found, trainee, trainer)
    for label, name in ACTIONS:
        steps.append((label, name, *(writes.get(label) or (trainee, None, None, 200, None, None))))
    rows = []
    for label, name, user, one, reset, status, setup, teardown in steps:
        if chosen and label not in chosen and label != args.profile:
            continue
        if args.profile and label != args.profile:
            continue
        if one is None:
            rows.append((name, None, None))
            continue
        client = clients[user.pk]
        if setup:
            setup()
        try:
            rows.append((name, *run(args, label, client, one, reset, status)))
        finally:
            if teardown:
                teardown()
    print(f"\nCPU par requête, en processus (client de test, {args.requests} requêtes par page)\n")
    print(f"{'page':42} {'requêtes SQL':>12} {'CPU ms (médiane)':>17}")
    for name, count, spent in rows:
        if count is None:
            print(f"{name:42} {'absente':>12}")
            continue
        print(f"{name:42} {count:>12} {spent:>17.1f}")
    if not args.profile and (not chosen or "login" in chosen):
        print(f"{'  + hacheur de production (une connexion)':42} {'':>12} {hasher_ms():>17.1f}")


def run(args, label, client, one, reset, status) -> tuple[int, float]:
    """Warm up, count the queries of one request, then the median CPU time of N requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: compiled templates, per-process caches
        if reset:
            reset()
        response = one(client)
        assert response.status_code == status, (label, response.status_code)
    if reset:
        reset()
    with CaptureQueriesContext(connection) as queries:
        one(client)
    count = len(queries)
    if args.profile:
        profiler = cProfile.Profile()
    spent_each = []
    for _ in range(args.requests):
        if reset:
            reset()
        if args.profile:
            profiler.enable()
        start = time.process_time()
        one(client)
        spent_each.append(time.process_time() - start)
        if args.profile:
            profiler.disable()
    if args.profile:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.lines)
        stats.sort_stats("cumulative").print_stats(args.lines)
    # The median: on a shared machine a few requests are slowed down by the others' work
    # (caches, frequency), which the mean would count.
    return count, statistics.median(spent_each) * 1000


def hasher_ms() -> float:
    """CPU time of checking one password with the production settings' first hasher."""
    from django.conf import global_settings
    from django.utils.module_loading import import_string

    from lms.settings import base

    hashers = getattr(base, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    hasher = import_string(hashers[0])()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    start = time.process_time()
    hasher.verify(PASSWORD, encoded)
    return (time.process_time() - start) * 1000


if __name__ == "__main__":
    main()
