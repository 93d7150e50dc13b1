"""Load benchmark: ``python benchmarks/load.py [--steps 250,500,…] [--measure S] [--quick]``.

Active trainees of running sessions, as a trainer would recognise them, against two app servers.

One command, on this machine only (every server listens on 127.0.0.1, every request goes there):
1. starts PostgreSQL (Debian's binaries, a throwaway cluster in a temporary folder, like
   .ci/run) and Redis (`redis-server`, no persistence);
2. migrates, collects the static files, seeds the demo, then `generate_load_data`: national-scale
   history (11,500 certified ensembliers, 600 past sessions, 60,000 graded attempts) plus sessions
   in progress with their trainees (40 per session) and one trainer each;
3. starts two gunicorn instances on two ports with the production settings
   (`benchmarks/settings_load.py`, sharing PostgreSQL and Redis), each of `--workers` gthread
   workers of `--threads` threads (1 × 2 by default, as `make serve-prod` deploys), and spreads
   the simulated people over both;
4. runs Locust (as a library, headless, bounded in users and time) in steps of N trainees. Each
   step opens a half-day: the trainees arrive over `--arrivals` seconds (5 minutes; most in
   the minutes before the start, a few late: a triangular distribution peaking at 70 % of the
   window), each one logs in, opens Aujourd'hui and signs the half-day, pauses (0–10 s), then
   opens Aujourd'hui, reads modules, types in a case-study dossier (an autosave every few
   seconds while typing), takes a quiz (autosaves, submit, result), looks at their dossiers,
   attendance and assessments: one request every 10 s on average. One trainer per session
   arrives in the first half of the window, watches the counter-signing screen and
   counter-signs past half-days; visitors (one per 20 trainees) read the public pages;
5. for each step, prints the opening (every arrival's requests: p50 / p95 / p99 without the
   logins, server CPU per request) and, from 10 s after the last arrival, measures the day for
   `--measure` seconds: p50 / p95 / p99 and errors per step of the journey (the day's steps
   over the measured window, the arrivals' own — logins, signatures — over the opening),
   requests/s, the server CPU per request (app servers, PostgreSQL, Redis, from /proc), the load
   average. A step passes with p95 < 200 ms both at the opening and during the day, and no
   error from the first login; the search stops at the first failing step. It prints the
   largest number of trainees per core that passed.

Then, unless `--no-compare`: the same steps with one app server of one worker (same threads:
how it scales from 1 to 2 workers), and the largest passing step again with sync workers (or
with 2 threads when the main run is sync). Between steps the day is replayed: today's signatures
and the trainees' attempts are removed.

`--quick` answers the issue's questions in about 25 minutes: 1/20 of the national history (the
pages read the running sessions, not the history), steps of 250, 500, 750 and 1,000 trainees
(125 to 500 per core on 2 cores) arriving over 2 minutes with 20 s measured, then one worker
alone and the sync comparison. `--smoke` is a tiny run (2 short steps of 40 and 80, 20 s of
arrivals) to try the script.

Logins are outside the measured window, so the benchmark settings' fast password hasher
changes no measured figure: a production login costs one PBKDF2 check (about a quarter of a
second of CPU, `benchmarks/cpu.py` prints it), once per trainee and half-day. The one request
every 10 s is unchanged by the arrivals: they only spread when each trainee starts.
The simulated people run in this process (Locust's FastHttpUser, gevent): they take CPU from the
2-core machine too; the figures say so. Targets: >= 500 trainees per core (goal 1,000).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import itertools
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "benchmarks.settings_load"
PASSWORD = "charge-2026"  # noqa: S105 - throwaway benchmark database
PER_SESSION = 40
P95_TARGET_MS = 200
SECONDS_PER_REQUEST = 10.0
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION_INPUT = re.compile(r'<(?:input|textarea)[^>]*name="q-(\d+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
DOSSIER_FIELDS = [
    ("identifier", "social_situation", "text"),
    ("identifier", "needs", "text"),
    ("identifier", "trusted_third_party", "text"),
    ("identifier", "income_category", "category"),
    ("organiser", "diagnosis", "text"),
    ("organiser", "gestures", "text"),
    ("organiser", "works_cost_ht", "amount"),
]
WORDS = ["maison", "isolée", "humidité", "combles", "chaudière", "fioul", "ménage", "devis"]


# --- child modes (run with the benchmark's settings, after django.setup()) -------------------


def prepare() -> dict:
    """Who and what the simulated people use: accounts, today's half-days, pages."""
    import django

    django.setup()
    from django.utils import timezone

    from assessments.models import AssessmentPage
    from casestudies.models import CaseStudyPage
    from modules.models import (
        Enrolment,
        ModulePage,
        ProgrammePage,
        SessionCalendarPage,
        SessionSlot,
        TrainingSession,
    )

    today = timezone.localdate()
    running = TrainingSession.objects.filter(slug__startswith="charge-en-cours-").order_by("slug")
    slots = defaultdict(dict)
    past = defaultdict(list)
    for slot in SessionSlot.objects.filter(session__in=running).order_by("date", "half"):
        if slot.date == today:
            slots[slot.session_id][slot.half] = slot.pk
        elif slot.date < today:
            past[slot.session_id].append(slot.pk)
    trainees = [
        {"email": email, "session": session_id, "am": slots[session_id].get("am")}
        for email, session_id in Enrolment.objects.filter(session__in=running)
        .order_by("trainee__email")
        .values_list("trainee__email", "session_id")
    ]
    trainers = [
        {
            "email": session.trainers.order_by("pk").first().email,
            "session": session.pk,
            "am": slots[session.pk].get("am"),
            "past": past[session.pk],
        }
        for session in running.prefetch_related("trainers")
    ]
    modules = [page.url for page in ModulePage.objects.live().order_by("path")]
    public = ["/"]
    public += [page.url for page in ProgrammePage.objects.live()]
    public += [page.url for page in SessionCalendarPage.objects.live()]
    public += modules
    return {
        "trainees": trainees,
        "trainers": trainers,
        "modules": modules,
        "public": public,
        "quizzes": list(
            AssessmentPage.objects.live()
            .filter(kind=AssessmentPage.Kind.QUIZ)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "cases": list(CaseStudyPage.objects.live().order_by("pk").values_list("pk", flat=True)),
    }


def reset_day() -> str:
    """Replay the day: remove today's attendance and the attempts of the running sessions."""
    import django

    django.setup()
    from django.utils import timezone

    from assessments.models import Attempt
    from modules.models import Attendance, Enrolment

    running = Enrolment.objects.filter(session__slug__startswith="charge-en-cours-")
    signatures, _ = Attendance.objects.filter(
        enrolment__in=running, slot__date=timezone.localdate()
    ).delete()
    attempts, _ = Attempt.objects.filter(trainee__in=running.values("trainee")).delete()
    return f"{signatures} émargements, {attempts} lignes de tentatives"


# --- servers --------------------------------------------------------------------------------

# Main process ids of the servers (their children are found in /proc): CPU time per request.
SERVER_PIDS: dict[str, list[int]] = {"app": [], "postgres": [], "redis": []}


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in glob.glob(f"/proc/{current}/task/*/children"):
            with contextlib.suppress(OSError), open(task) as handle:
                queue.extend(int(child) for child in handle.read().split())
    return found


def cpu_seconds(group: str) -> float:
    """CPU time (user + system) used so far by a server group and its children, in seconds."""
    ticks = 0
    for root in SERVER_PIDS[group]:
        for pid in descendants(root):
            with contextlib.suppress(OSError, ValueError, IndexError):
                with open(f"/proc/{pid}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                # utime, stime, cutime, cstime (fields 14-17; 12-15 after the name)
                ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgresql(folder: Path) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (Debian's binaries); yields DATABASE_URL."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    if not binaries:
        raise SystemExit("PostgreSQL manque : apt-get install postgresql")
    bin_dir = Path(binaries[-1])
    data = Path(tempfile.mkdtemp(prefix="ensemblier-load-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run(
        as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
        + ["-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(data / "log")])
        + ["-o", options, "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE ensemblier")
        SERVER_PIDS["postgres"] = [int((data / "postmaster.pid").read_text().split()[0])]
        yield f"postgres://postgres@127.0.0.1:{port}/ensemblier"
    finally:
        subprocess.run(
            as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def redis(folder: Path) -> Iterator[str]:
    """redis-server on 127.0.0.1, without persistence; yields REDIS_URL."""
    if not shutil.which("redis-server"):
        raise SystemExit("Redis manque : apt-get install redis-server")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.1)
        SERVER_PIDS["redis"] = [server.pid]
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)


def run(command: list[str], env: dict) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"échec : {' '.join(command)}")
    return result.stdout


def healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/sante/", headers={"Host": "127.0.0.1"})
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


@contextlib.contextmanager
def app_servers(env: dict, folder: Path, *, instances: int, workers: int, threads: int):
    """`instances` gunicorn servers on free loopback ports; yields their base URLs."""
    servers, urls = [], []
    try:
        for index in range(instances):
            port = free_port()
            log = open(folder / f"gunicorn-{index}.log", "ab")  # noqa: SIM115 - closed below
            servers.append(
                (
                    subprocess.Popen(
                        [
                            str(Path(sys.executable).with_name("gunicorn")),
                            "lms.wsgi:application",
                            f"--bind=127.0.0.1:{port}",
                            f"--worker-class={'gthread' if threads > 1 else 'sync'}",
                            f"--workers={workers}",
                            f"--threads={threads}",
                            "--log-level=warning",
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=log,
                    ),
                    log,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            port = int(url.rsplit(":", 1)[1])
            deadline = time.monotonic() + 60
            while not healthy(port):
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn ne répond pas ({folder}/gunicorn-*.log).")
                time.sleep(0.3)
            for _ in range(workers * threads * 4):  # warm every worker
                healthy(port)
        SERVER_PIDS["app"] = [server.pid for server, _ in servers]
        yield urls
    finally:
        for server, _ in servers:
            server.terminate()
        for server, log in servers:
            try:
                server.wait(timeout=40)  # gunicorn's graceful timeout is 30 s
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
            log.close()


# --- the simulated people ---------------------------------------------------------------------


def arrival_offset(rng: random.Random, arrivals: float) -> float:
    """When a trainee walks in, in seconds after the step starts: over `arrivals` seconds, most
    of them in the minutes before the half-day starts (at 70 % of the window), a few late
    (a triangular distribution, as a trainer sees a group arrive)."""
    return rng.triangular(0.0, arrivals, 0.7 * arrivals)


def people(plan: dict, urls: list[str], arrivals: float, arrived: list):
    """Locust user classes (imported here: Locust patches the standard library with gevent).

    Trainees and trainers append to `arrived` once they have arrived (logged in and, for a
    trainee, opened Aujourd'hui and signed the half-day)."""
    import gevent
    from locust import FastHttpUser, constant, task

    class Person(FastHttpUser):
        abstract = True
        wait_time = constant(0)
        network_timeout = 60.0
        connection_timeout = 10.0
        # A connection per request, as behind nginx (HTTP/1.0 to the upstream by default). With
        # keep-alive, a gthread worker closes a connection idle for 2 s while the client,
        # back after ~10 s, may be reusing it: a request with no answer (status 0), which is
        # the benchmark's race, not the application's.
        default_headers = {"Connection": "close"}  # noqa: RUF012 - Locust's class attribute
        counter = None  # set on each subclass

        def __init__(self, environment):
            self.number = next(type(self).counter)
            self.host = urls[self.number % len(urls)]
            super().__init__(environment)
            self.rng = random.Random(f"{type(self).__name__}-{self.number}")  # noqa: S311

        def csrf(self) -> str:
            for cookie in self.client.cookiejar:
                if cookie.name == "csrftoken":
                    return cookie.value
            return ""

        def log_in(self, email: str) -> None:
            page = self.client.get("/compte/connexion/", name="connexion (formulaire)")
            token = CSRF_INPUT.search(page.text or "")
            with self.client.post(
                "/compte/connexion/",
                data={
                    "username": email,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                },
                name="connexion",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302 or "connexion" in self.location(response):
                    response.failure(f"connexion refusée ({response.status_code})")

        @staticmethod
        def location(response) -> str:
            return response.headers.get("Location") or "" if response.headers else ""

        def pace(self, requests: int, started: float) -> None:
            """Sleep so that this person makes one request every 10 s on average."""
            budget = SECONDS_PER_REQUEST * requests * self.rng.uniform(0.5, 1.5)
            gevent.sleep(max(0.0, budget - (time.monotonic() - started)))

        def form_post(self, path: str, data: dict, name: str, **kwargs):
            headers = {"X-CSRFToken": self.csrf(), "Referer": self.host + path}
            headers.update(kwargs.pop("headers", {}))
            data = {"csrfmiddlewaretoken": self.csrf(), **data}
            return self.client.post(path, data=data, name=name, headers=headers, **kwargs)

    class Trainee(Person):
        counter = itertools.count()

        def on_start(self):
            """Arrival at the half-day's opening: log in, open Aujourd'hui, sign; then a pause
            (reading the day) before the day's activities."""
            self.me = plan["trainees"][self.number % len(plan["trainees"])]
            self.dossier = None
            gevent.sleep(arrival_offset(self.rng, arrivals))
            try:
                self.log_in(self.me["email"])
                self.client.get("/aujourdhui/", name="Aujourd'hui")
                if self.me["am"]:
                    with self.form_post(
                        f"/emargement/{self.me['am']}/signer/",
                        {},
                        "émarger",
                        headers={"Accept": "application/json"},
                        catch_response=True,
                    ) as response:
                        if response.status_code != 200:
                            response.failure(f"émargement refusé ({response.status_code})")
            finally:
                arrived.append(self.number)
            gevent.sleep(self.rng.uniform(0, SECONDS_PER_REQUEST))

        @task
        def day(self):
            started = time.monotonic()
            activity = self.rng.choices(
                [
                    self.today,
                    self.module,
                    self.type_in_dossier,
                    self.quiz,
                    self.dossiers,
                    self.attendance,
                    self.assessments,
                ],
                weights=[30, 30, 15, 5, 10, 5, 5],
            )[0]
            self.pace(activity(), started)

        def today(self) -> int:
            self.client.get("/aujourdhui/", name="Aujourd'hui")
            return 1

        def module(self) -> int:
            self.client.get(self.rng.choice(plan["modules"]), name="module (stagiaire)")
            return 1

        def dossiers(self) -> int:
            self.client.get("/dossiers/", name="Mes dossiers")
            return 1

        def attendance(self) -> int:
            self.client.get("/mon-emargement/", name="mon émargement")
            return 1

        def assessments(self) -> int:
            self.client.get("/mes-evaluations/", name="mes évaluations")
            return 1

        def type_in_dossier(self) -> int:
            if self.dossier is None:
                case = plan["cases"][self.number % len(plan["cases"])]
                opened = self.form_post(
                    f"/dossiers/ouvrir/{case}/", {}, "dossier (ouvrir)", allow_redirects=False
                )
                found = re.search(r"/dossiers/(\d+)/", self.location(opened))
                if not found:
                    return 1
                self.dossier = found.group(1)
            self.client.get(f"/dossiers/{self.dossier}/", name="dossier")
            typed = self.rng.randint(3, 6)
            for _ in range(typed):
                gevent.sleep(self.rng.uniform(2, 5))  # typing
                milestone, field, kind = self.rng.choice(DOSSIER_FIELDS)
                with self.form_post(
                    f"/dossiers/{self.dossier}/enregistrer/",
                    {"_milestone": milestone, "_field": field, field: self.value(kind)},
                    "dossier (enregistrement auto)",
                    headers={"HX-Request": "true"},
                    catch_response=True,
                ) as response:
                    text = response.text or ""
                    if "Enregistré à" not in text and "Brouillon gardé à" not in text:
                        response.failure(f"pas enregistré ({response.status_code})")
            return 1 + typed

        def value(self, kind: str) -> str:
            if kind == "amount":
                return f"{self.rng.randint(0, 60_000):,}".replace(",", " ")
            if kind == "category":
                return self.rng.choice(["tres_modeste", "modeste", "intermediaire", "superieur"])
            return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 40)))

        def quiz(self) -> int:
            quiz = self.rng.choice(plan["quizzes"])
            begun = self.form_post(
                f"/tentatives/commencer/{quiz}/", {}, "quiz (commencer)", allow_redirects=False
            )
            found = re.search(r"/tentatives/(\d+)/$", self.location(begun))
            if not found:  # no attempt left: the assessment page says so
                return 1
            attempt = found.group(1)
            page = self.client.get(f"/tentatives/{attempt}/", name="quiz (question)")
            questions = self.questions(page.text or "")
            requests, position = 2, 1
            for _ in range(5):
                if not questions:
                    position += 1
                    page = self.client.get(
                        f"/tentatives/{attempt}/?q={position}", name="quiz (question)"
                    )
                    requests += 1
                    questions = self.questions(page.text or "")
                    if not questions:
                        break
                key, values = questions.pop(0)
                gevent.sleep(self.rng.uniform(3, 8))  # reading, answering
                with self.form_post(
                    f"/tentatives/{attempt}/reponse/{key}/",
                    {f"q-{key}": self.rng.choice(values) if values else "42"},
                    "quiz (enregistrement auto)",
                    headers={"HX-Request": "true"},
                    catch_response=True,
                ) as response:
                    if "Enregistré à" not in (response.text or ""):
                        response.failure(f"réponse non enregistrée ({response.status_code})")
                requests += 1
            with self.form_post(
                f"/tentatives/{attempt}/soumettre/",
                {},
                "quiz (envoyer)",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                result = self.location(response)
                if "/resultat/" not in result:
                    response.failure(f"envoi sans résultat ({response.status_code})")
            if "/resultat/" in result:
                self.client.get(result, name="quiz (résultat)")
            return requests + 2

        @staticmethod
        def questions(html: str) -> list[tuple[str, list[str]]]:
            found: dict[str, list[str]] = {}
            for match in QUESTION_INPUT.finditer(html):
                value = VALUE.search(match.group(0))
                choice = 'type="radio"' in match.group(0) or 'type="checkbox"' in match.group(0)
                found.setdefault(match.group(1), [])
                if choice and value:
                    found[match.group(1)].append(value.group(1))
            return list(found.items())

    class Trainer(Person):
        counter = itertools.count()

        def on_start(self):
            self.me = plan["trainers"][self.number % len(plan["trainers"])]
            self.past = itertools.cycle(self.me["past"] or [self.me["am"]])
            gevent.sleep(self.rng.uniform(0, arrivals / 2))  # before most of the group
            try:
                self.log_in(self.me["email"])
            finally:
                arrived.append(-1 - self.number)
            gevent.sleep(self.rng.uniform(0, SECONDS_PER_REQUEST))

        @task
        def watch(self):
            started = time.monotonic()
            if self.rng.random() < 0.1:
                slot = next(self.past)
                with self.form_post(
                    f"/formateur/creneaux/{slot}/emargement/",
                    {},
                    "contresigner (demi-journée)",
                    allow_redirects=False,
                    catch_response=True,
                ) as response:
                    if response.status_code != 302:
                        response.failure(f"contresignature refusée ({response.status_code})")
            elif self.rng.random() < 0.2:
                self.client.get(f"/formateur/sessions/{self.me['session']}/", name="session")
            else:
                self.client.get(
                    f"/formateur/creneaux/{self.me['am']}/emargement/",
                    name="contresignature (écran)",
                )
            self.pace(1, started)

    class Visitor(Person):
        counter = itertools.count()

        def on_start(self):
            gevent.sleep(self.rng.uniform(0, SECONDS_PER_REQUEST))

        @task
        def read(self):
            started = time.monotonic()
            self.client.get(self.rng.choice(plan["public"]), name="page publique (visiteur)")
            self.pace(1, started)

    return Trainee, Trainer, Visitor


@contextlib.contextmanager
def profiling(target: Path | None, seconds: float) -> Iterator[None]:
    """py-spy samples every app server process for `seconds` (when asked and installed)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if target is None or not Path(spy).exists():
        yield
        return
    recorders = [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--subprocesses",
                "--full-filenames",
                "--format",
                "raw",
            ]
            + ["--duration", str(int(seconds)), "--output", f"{target}.{index}.txt"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for index, pid in enumerate(SERVER_PIDS["app"])
    ]
    try:
        yield
    finally:
        for recorder in recorders:
            with contextlib.suppress(subprocess.TimeoutExpired):
                recorder.wait(timeout=30)


def profile_summary(target: Path) -> list[str]:
    """Share of the app servers' samples per view, and of SQL, templates, Markdown."""
    views: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    total = 0
    for path in glob.glob(f"{target}.*.txt"):
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit() or "lms/wsgi" not in stack and "handlers" not in stack:
                continue  # idle workers (waiting for a request) and the master
            total += int(count)
            frames = stack.split(";")
            view = next(
                (
                    frame.split(" (")[0] + " (" + frame.split(" (")[1].split(":")[0] + ")"
                    for frame in frames
                    if "/views" in frame and str(ROOT) in frame
                ),
                "pages Wagtail (wagtail.views.serve)"
                if any("wagtail/views.py" in frame for frame in frames)
                else "hors vue (middleware, routage…)",
            )
            views[view] += int(count)
            for kind, marker in (
                ("SQL (psycopg)", "psycopg"),
                ("gabarits Django", "django/template/"),
                ("ORM (compilation, objets)", "django/db/models/"),
                ("Markdown + bleach", "bleach"),
                ("Redis (django_redis)", "django_redis"),
            ):
                if marker in stack:
                    kinds[kind] += int(count)
    if not total:
        return ["(aucun échantillon : py-spy absent ou refusé)"]
    lines = [
        f"{100 * n / total:5.1f} %  {name}"
        for name, n in sorted(views.items(), key=lambda x: -x[1])[:12]
    ]
    lines += [
        f"{100 * n / total:5.1f} %  dont {name}"
        for name, n in sorted(kinds.items(), key=lambda x: -x[1])
    ]
    return lines


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


LOGIN_STEPS = ("connexion", "connexion (formulaire)")


def run_step(
    plan: dict,
    urls: list[str],
    trainees: int,
    *,
    arrivals: float,
    measure: float,
    profile: Path | None = None,
) -> dict:
    """N trainees (+ trainers and visitors) arrive over `arrivals` seconds (the half-day's
    opening), then `measure` seconds of the day are measured; the figures of both phases."""
    import gevent
    from locust.env import Environment

    arrived: list[int] = []
    trainee_class, trainer_class, visitor_class = people(plan, urls, arrivals, arrived)
    trainee_class.fixed_count = trainees
    trainer_class.fixed_count = min(len(plan["trainers"]), max(1, trainees // PER_SESSION))
    visitor_class.fixed_count = max(1, trainees // 20)
    total = trainees + trainer_class.fixed_count + visitor_class.fixed_count
    environment = Environment(user_classes=[trainee_class, trainer_class, visitor_class])
    records: list[tuple[float, str, float, str | None]] = []

    def on_request(name, response_time, exception=None, **_):
        problem = repr(exception)[:160] if exception else None
        records.append((time.monotonic(), name, response_time, problem))

    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    cpu_before = os.times()
    cpu_opening = {group: cpu_seconds(group) for group in SERVER_PIDS}
    started = time.monotonic()
    # Everybody is spawned at once; each one waits for their own arrival time (people()).
    runner.start(total, spawn_rate=total)
    expected = trainees + trainer_class.fixed_count
    while len(arrived) < expected and time.monotonic() - started < 3 * arrivals + 60:
        gevent.sleep(0.2)
    opening_end = time.monotonic()
    cpu_opened = {group: cpu_seconds(group) for group in SERVER_PIDS}
    gevent.sleep(SECONDS_PER_REQUEST)  # the last arrivals' pause before their first activity
    cpu_start = {group: cpu_seconds(group) for group in SERVER_PIDS}
    window_start = time.monotonic()
    with profiling(profile, measure):
        gevent.sleep(measure)
    window_end = time.monotonic()
    cpu_used = {group: cpu_seconds(group) - cpu_start[group] for group in SERVER_PIDS}
    runner.quit()
    cpu_after = os.times()
    load = os.getloadavg()[0]
    window = [r for r in records if window_start <= r[0] < window_end]
    opening = [r for r in records if r[0] < opening_end]
    opening_times = [r[2] for r in opening if r[1] not in LOGIN_STEPS]
    per_name: dict[str, list] = defaultdict(list)
    for record in records:
        per_name[record[1]].append(record)
    steps = {}
    for name, rows in sorted(per_name.items()):
        # The day's steps over the measured window; the arrivals' own steps (logins,
        # signatures) over the opening.
        timed = [r[2] for r in rows if window_start <= r[0] < window_end]
        phase = "jour"
        if not timed:
            timed = [r[2] for r in rows if r[0] < opening_end] or [r[2] for r in rows]
            phase = "ouverture"
        steps[name] = {
            "count": len(rows),
            "phase": phase,
            "p50": percentile(timed, 0.50),
            "p95": percentile(timed, 0.95),
            "p99": percentile(timed, 0.99),
            "errors": sum(1 for r in rows if r[3]),
        }
    errors = [r for r in records if r[3]]
    times = [r[2] for r in window]
    client_cpu = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
    # Server CPU per request (app servers, PostgreSQL, Redis): what the machine's noise changes
    # least. One trainee makes 1 / SECONDS_PER_REQUEST requests a second, so a core serves
    # SECONDS_PER_REQUEST / (CPU seconds per request) trainees when nothing else runs.
    cpu_ms = {group: 1000 * used / max(len(window), 1) for group, used in cpu_used.items()}
    cpu_total_s = sum(cpu_ms.values()) / 1000
    opening_cpu = sum(cpu_opened[group] - cpu_opening[group] for group in SERVER_PIDS)
    return {
        "cpu_ms_per_request": {group: round(value, 1) for group, value in cpu_ms.items()},
        "trainees_per_core_by_cpu": round(SECONDS_PER_REQUEST / cpu_total_s) if cpu_total_s else 0,
        "trainees": trainees,
        "people": total,
        "requests_per_s": round(len(window) / max(measure, 1e-9), 1),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "opening": {
            "seconds": round(opening_end - started),
            "requests": len(opening),
            "p50": percentile(opening_times, 0.50),
            "p95": percentile(opening_times, 0.95),
            "p99": percentile(opening_times, 0.99),
            "cpu_ms_per_request": round(1000 * opening_cpu / max(len(opening), 1), 1),
        },
        "errors": len(errors),
        "error_examples": sorted({f"{r[1]}: {r[3]}" for r in errors})[:5],
        "steps": steps,
        "load_average": round(load, 2),
        "client_cpu_share": round(client_cpu / max(window_end - started, 1e-9), 2),
        "passed": bool(times)
        and percentile(times, 0.95) < P95_TARGET_MS
        and percentile(opening_times, 0.95) < P95_TARGET_MS
        and not errors,
    }


def print_step(label: str, result: dict, *, detail: bool) -> None:
    verdict = "OK" if result["passed"] else "ÉCHEC"
    print(
        f"  [{label}] {result['trainees']:>5} stagiaires ({result['people']} personnes) : "
        f"{result['requests_per_s']:.0f} req/s, p50 {result['p50']:.0f} ms, "
        f"p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, {result['errors']} erreur(s), "
        f"charge {result['load_average']}, client Locust {result['client_cpu_share']:.0%} "
        f"d'un cœur — {verdict}",
        flush=True,
    )
    opening = result["opening"]
    print(
        f"      ouverture (arrivées en {opening['seconds']} s, {opening['requests']} requêtes, "
        f"connexions à part) : p50 {opening['p50']:.0f} ms, p95 {opening['p95']:.0f} ms, "
        f"p99 {opening['p99']:.0f} ms ; CPU serveur {opening['cpu_ms_per_request']} ms par requête"
    )
    cpu = result["cpu_ms_per_request"]
    print(
        f"      CPU serveur par requête (journée) : app {cpu['app']} ms, PostgreSQL "
        f"{cpu['postgres']} ms, Redis {cpu['redis']} ms → capacité CPU ≈ "
        f"{result['trainees_per_core_by_cpu']} stagiaires par cœur (1 requête / 10 s)"
    )
    for example in result["error_examples"]:
        print(f"      erreur : {example}")
    if detail:
        print(f"      {'étape':<32} {'n':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'err':>4}  mesuré")
        for name, row in result["steps"].items():
            print(
                f"      {name:<32} {row['count']:>6} {row['p50']:>6.0f} {row['p95']:>6.0f} "
                f"{row['p99']:>6.0f} {row['errors']:>4}  {row['phase']}"
            )


def search(label, plan, env, folder, steps, args, *, instances, workers, threads) -> list[dict]:
    """Step ramp until the first failing step; the results."""
    results = []
    with app_servers(env, folder, instances=instances, workers=workers, threads=threads) as urls:
        for trainees in steps:
            print(f"  remise à zéro de la journée : {reset(env)}", flush=True)
            profile = folder / f"profil-{label}-{trainees}" if args.profile else None
            result = run_step(
                plan, urls, trainees, arrivals=args.arrivals, measure=args.measure, profile=profile
            )
            results.append(result)
            print_step(label, result, detail=not args.brief or not result["passed"])
            if profile is not None:
                print("      profil py-spy des serveurs d'application (part des échantillons) :")
                for line in profile_summary(profile):
                    print(f"        {line}")
            if not result["passed"]:
                break
    return results


def reset(env: dict) -> str:
    return run([sys.executable, __file__, "--reset"], env).strip().splitlines()[-1]


def cpu_summary(results: list[dict]) -> str:
    """Server CPU per request over every measured step of a configuration (mean of the steps),
    split by server, and the capacity it implies, whatever the latency on a shared machine."""
    if not results:
        return "aucun palier"
    mean = {
        group: sum(r["cpu_ms_per_request"][group] for r in results) / len(results)
        for group in SERVER_PIDS
    }
    total = sum(mean.values())
    capacity = SECONDS_PER_REQUEST * 1000 / total if total else 0
    return (
        f"CPU serveur {total:.1f} ms par requête (app {mean['app']:.1f} + PostgreSQL "
        f"{mean['postgres']:.1f} + Redis {mean['redis']:.1f}) → ≈ {capacity:.0f} stagiaires par "
        "cœur pleinement disponible"
    )


def scaling_by_cpu(single: list[dict], double: list[dict], workers: int) -> str:
    """1 worker against `workers`: CPU per request of each, and what it says of scaling."""
    return f"par le CPU : 1 worker {cpu_summary(single)} ; {workers} workers {cpu_summary(double)}"


def best(results: list[dict]) -> int:
    return max((r["trainees"] for r in results if r["passed"]), default=0)


def server_label(instances: int, workers: int, threads: int) -> str:
    kind = f"gthread × {threads} threads" if threads > 1 else "sync"
    return f"{instances} serveur(s) × {workers} worker(s) {kind}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--steps", default="", help="paliers (défaut 250,500,750,1000,1250,1500,2000)"
    )
    parser.add_argument("--measure", type=float, default=45.0, help="secondes mesurées par palier")
    parser.add_argument(
        "--arrivals", type=float, default=300.0, help="secondes d'arrivée à l'ouverture par palier"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="échelle de l'historique national")
    parser.add_argument("--workers", type=int, default=1, help="workers par serveur d'application")
    parser.add_argument("--threads", type=int, default=2, help="threads par worker (gthread)")
    parser.add_argument(
        "--no-compare", action="store_true", help="sans la comparaison 1 worker ni sync"
    )
    parser.add_argument("--brief", action="store_true", help="le détail des étapes en cas d'échec")
    parser.add_argument(
        "--quick", action="store_true", help="paliers 250–1000, 2 min d'arrivées (≈ 25 min)"
    )
    parser.add_argument("--smoke", action="store_true", help="petit essai du script")
    parser.add_argument(
        "--profile", action="store_true", help="profil py-spy des serveurs à chaque palier"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reset", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # Stopped (Ctrl-C, kill): the servers started here are stopped by the `finally` blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.prepare or args.reset:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(prepare()) if args.prepare else reset_day())
        return
    if args.smoke:
        args.steps = args.steps or "40,80"
        args.measure, args.arrivals, args.scale = 15.0, 20.0, 0.05
    elif args.quick:
        args.steps = args.steps or "250,500,750,1000"
        args.measure, args.arrivals, args.scale = 20.0, 120.0, 0.05
    args.steps = args.steps or "250,500,750,1000,1250,1500,2000"
    steps = sorted({max(1, min(int(n), 5000)) for n in args.steps.split(",") if n.strip()})
    args.measure = max(5.0, min(args.measure, 600.0))
    args.arrivals = max(1.0, min(args.arrivals, 1800.0))
    args.workers = max(1, min(args.workers, 16))
    args.threads = max(1, min(args.threads, 16))
    cores = os.cpu_count() or 1
    pool = max(steps)
    with tempfile.TemporaryDirectory(prefix="ensemblier-load-") as name:
        folder = Path(name)
        with postgresql(folder) as database_url, redis(folder) as redis_url:
            env = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("DJANGO_", "AWS_")) and key != "WAGTAILADMIN_BASE_URL"
            }
            env.update(
                {
                    "DJANGO_SETTINGS_MODULE": SETTINGS,
                    "DATABASE_URL": database_url,
                    "REDIS_URL": redis_url,
                    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
                    "WAGTAILADMIN_BASE_URL": "https://ensemblier.example.org",
                    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                    "DJANGO_SECURE_SSL_REDIRECT": "false",
                    "DJANGO_STATIC_ROOT": str(folder / "static"),
                    "DJANGO_MEDIA_ROOT": str(folder / "media"),
                    "PYTHONPATH": str(ROOT),
                }
            )
            started = time.monotonic()
            run([sys.executable, "manage.py", "migrate", "-v0"], env)
            run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env)
            run([sys.executable, "manage.py", "seed_demo"], env)
            sessions = math.ceil(pool / PER_SESSION)
            out = run(
                [
                    sys.executable,
                    "manage.py",
                    "generate_load_data",
                    f"--scale={args.scale}",
                    f"--running-sessions={sessions}",
                    f"--running-trainees={pool}",
                    f"--password={PASSWORD}",
                ],
                env,
            )
            print(out.strip().splitlines()[-1])
            plan = json.loads(run([sys.executable, __file__, "--prepare"], env).splitlines()[-1])
            print(
                f"Base prête en {time.monotonic() - started:.0f} s : PostgreSQL + Redis, "
                f"{len(plan['trainees'])} stagiaires dans {sessions} sessions en cours ; "
                f"{cores} cœurs, charge {os.getloadavg()[0]:.2f} au départ ; arrivées en "
                f"{args.arrivals:.0f} s, {args.measure:.0f} s mesurées par palier.",
                flush=True,
            )
            main_label = server_label(2, args.workers, args.threads)
            print(f"== {main_label}, paliers {steps}")
            main_results = search(
                f"2×{args.workers}w×{args.threads}t", plan, env, folder, steps, args,
                instances=2, workers=args.workers, threads=args.threads,
            )  # fmt: skip
            workers_total = 2 * args.workers
            passed = best(main_results)
            summary = [
                f"{main_label} : {passed} stagiaires actifs à p95 < {P95_TARGET_MS} ms sans "
                f"erreur (ouverture et journée), soit {passed / cores:.0f} par cœur ({cores} "
                "cœurs, PostgreSQL, Redis et Locust compris)"
            ]
            if not args.no_compare:
                print(
                    f"== {server_label(1, 1, args.threads)} (passage à l'échelle de 1 à "
                    f"{workers_total} workers)"
                )
                single = search(
                    f"1×1w×{args.threads}t", plan, env, folder, steps, args,
                    instances=1, workers=1, threads=args.threads,
                )  # fmt: skip
                summary.append(
                    f"1 worker : {best(single)} stagiaires ; {workers_total} workers : {passed} "
                    f"(× {passed / best(single):.2f})"
                    if best(single)
                    else f"1 worker : aucun palier réussi ; {workers_total} workers : {passed}"
                )
                summary.append(scaling_by_cpu(single, main_results, workers_total))
                other = 1 if args.threads > 1 else 2
                compared = [passed or steps[0]]
                print(f"== {server_label(2, args.workers, other)}, {compared[0]} stagiaires")
                versus = search(
                    f"2×{args.workers}w×{other}t", plan, env, folder, compared, args,
                    instances=2, workers=args.workers, threads=other,
                )  # fmt: skip
                row = versus[0]
                summary.append(
                    f"{server_label(2, args.workers, other)} à {row['trainees']} stagiaires : "
                    f"p95 {row['p95']:.0f} ms (ouverture {row['opening']['p95']:.0f} ms), "
                    f"{row['errors']} erreur(s) — {'réussi' if row['passed'] else 'échec'} ; "
                    f"{cpu_summary(versus)}"
                )
            capacity = [r["trainees_per_core_by_cpu"] for r in main_results if r["passed"]]
            if capacity:
                summary.append(
                    f"capacité estimée par le CPU serveur mesuré (paliers réussis) : "
                    f"{min(capacity)}–{max(capacity)} stagiaires par cœur"
                )
            summary.append(f"{main_label}, tous paliers : {cpu_summary(main_results)}")
            print("== Résumé")
            for line in summary:
                print(f"  {line}")
            print(
                f"  Objectif : >= 500 stagiaires actifs par cœur (but : 1 000) — "
                f"{'atteint' if passed / cores >= 500 else 'non atteint'} ; charge "
                f"{os.getloadavg()[0]:.2f} à la fin"
            )


if __name__ == "__main__":
    main()
