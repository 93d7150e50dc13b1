"""`manage.py generate_load_data`: national-scale data for the benchmarks.

Defaults: 11,500 certified ensembliers, 600 sessions over the past years, 60,000 graded
attempts (pointing to the few seeded assessments), every half-day's attendance. `--scale 0.01`
makes a small run. Deterministic (`--seed`), bulk inserts only (no per-row save, no page per
attempt), refuses production settings and a database that already has load data.

`--running-sessions 25 --running-trainees 1000 --password …` adds sessions in progress (week 2
begins today, so today has two half-days to sign) with trainees in training and one trainer
each, who can log in with that password: the people of the load benchmark (benchmarks/load.py).
"""

import datetime
import math
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lms.models import Territory, User
from lms.roles import Role
from modules.models import Attendance, Competency, Enrolment, SessionSlot, TrainingSession

EMAIL_DOMAIN = "charge.ensemblier.test"
SLUG_PREFIX = "charge-"
BATCH = 2000
HALVES = (("am", datetime.time(9, 0), datetime.time(12, 30)),
          ("pm", datetime.time(13, 30), datetime.time(17, 0)))  # fmt: skip
FIRST_NAMES = [
    "Camille",
    "Jules",
    "Nadia",
    "Karim",
    "Sophie",
    "Léa",
    "Hugo",
    "Inès",
    "Malik",
    "Chloé",
    "Yanis",
    "Emma",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Roux",
    "Fournier",
]


class Command(BaseCommand):
    help = "Génère des données à l'échelle nationale pour les mesures de performance."

    def add_arguments(self, parser):
        parser.add_argument("--certified", type=int, default=11500)
        parser.add_argument("--sessions", type=int, default=600)
        parser.add_argument("--attempts", type=int, default=60000)
        parser.add_argument("--scale", type=float, default=1.0, help="Multiplie les trois nombres.")
        parser.add_argument("--seed", type=int, default=20260)
        parser.add_argument(
            "--no-attendance", action="store_true", help="Sans les émargements (plus rapide)."
        )
        parser.add_argument(
            "--running-sessions", type=int, default=0, help="Sessions en cours (semaine 2 ce jour)."
        )
        parser.add_argument(
            "--running-trainees", type=int, default=0, help="Stagiaires en formation, répartis."
        )
        parser.add_argument(
            "--password",
            default="",
            help="Mot de passe des stagiaires et formateurs des sessions en cours (sinon aucun).",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError("generate_load_data refuse de s'exécuter en production.")
        if TrainingSession.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise CommandError(
                "Des données de charge existent déjà : utilisez une base neuve "
                "(DATABASE_URL=sqlite:////tmp/charge.sqlite3)."
            )
        scale = options["scale"]
        certified = max(1, round(options["certified"] * scale))
        session_count = max(1, round(options["sessions"] * scale))
        attempt_count = max(0, round(options["attempts"] * scale))
        self.random = random.Random(options["seed"])  # noqa: S311 - not for security
        started = timezone.now()
        with transaction.atomic():
            counts = self.generate(
                certified, session_count, attempt_count, not options["no_attendance"]
            )
            if options["running_sessions"] > 0:
                counts.update(
                    self.make_running(
                        options["running_sessions"],
                        max(0, options["running_trainees"]),
                        options["password"],
                    )
                )
        seconds = (timezone.now() - started).total_seconds()
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Données de charge : {summary} ({seconds:.0f} s)."))

    # --- steps -------------------------------------------------------------------------------

    def generate(self, certified, session_count, attempt_count, with_attendance):
        territories = list(Territory.objects.order_by("pk"))
        competencies = list(Competency.objects.order_by("code"))
        if not territories or not competencies:
            raise CommandError("Appliquez d'abord les migrations (territoires, compétences).")
        today = timezone.localdate()
        password = make_password(None)  # unusable: nobody logs in as load data
        sessions = self.make_sessions(session_count, territories, today)
        trainers = self.make_users("formateur", max(1, session_count // 10), password)
        self.add_to_group(trainers, Role.TRAINER)
        through = TrainingSession.trainers.through
        through.objects.bulk_create(
            [
                through(trainingsession_id=session.pk, user_id=trainers[i % len(trainers)].pk)
                for i, session in enumerate(sessions)
            ],
            batch_size=BATCH,
        )
        slots = self.make_slots(sessions)
        per_session = math.ceil(certified / 0.85 / session_count)
        total = per_session * session_count
        trainees = self.make_users("stagiaire", total, password)
        self.add_to_group(trainees, Role.TRAINEE)
        enrolments, outcomes = self.make_enrolments(sessions, trainees, per_session, certified)
        attendance = self.make_attendance(enrolments, outcomes, slots) if with_attendance else 0
        results, certifications = self.make_certifications(
            enrolments, outcomes, competencies, trainers, sessions
        )
        attempts = self.make_attempts(enrolments, outcomes, attempt_count)
        return {
            "sessions": len(sessions),
            "demi-journées": sum(len(ids) for ids in slots.values()),
            "stagiaires": len(trainees),
            "émargements": attendance,
            "résultats": results,
            "certifiés": certifications,
            "tentatives": attempts,
        }

    def make_running(self, count, trainee_count, raw_password):
        """Sessions in progress: week 1 last week, week 2 from today; trainees in training."""
        territories = list(Territory.objects.order_by("pk"))
        today = timezone.localdate()
        sessions = [
            TrainingSession(
                name=f"Session en cours {index + 1:03d}",
                slug=f"{SLUG_PREFIX}en-cours-{index + 1:03d}",
                territory=territories[index % len(territories)],
                venue="Salle de formation",
                week1_start=today - datetime.timedelta(days=7),
                week2_start=today,
                week3_start=today + datetime.timedelta(days=7),
                capacity=max(40, math.ceil(trainee_count / count)),
                status=TrainingSession.Status.CLOSED,
            )
            for index in range(count)
        ]
        TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
        sessions = list(
            TrainingSession.objects.filter(slug__startswith=f"{SLUG_PREFIX}en-cours-").order_by(
                "slug"
            )
        )
        slots = self.make_slots(sessions)
        # One hash for everybody: hashing a thousand passwords one by one takes minutes.
        password = make_password(raw_password or None)
        trainers = self.make_users("encours-formateur", count, password)
        self.add_to_group(trainers, Role.TRAINER)
        through = TrainingSession.trainers.through
        through.objects.bulk_create(
            [
                through(trainingsession_id=session.pk, user_id=trainer.pk)
                for session, trainer in zip(sessions, trainers, strict=True)
            ],
            batch_size=BATCH,
        )
        trainees = self.make_users("encours-stagiaire", trainee_count, password)
        self.add_to_group(trainees, Role.TRAINEE)
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    session=sessions[index % count],
                    trainee_id=trainee.pk,
                    status=Enrolment.Status.IN_TRAINING,
                )
                for index, trainee in enumerate(trainees)
            ],
            batch_size=BATCH,
        )
        return {
            "sessions en cours": count,
            "demi-journées en cours": sum(len(slots.get(s.pk, [])) for s in sessions),
            "stagiaires en formation": len(trainees),
        }

    def make_sessions(self, count, territories, today):
        first = datetime.date(2024, 3, 4)
        last = today - datetime.timedelta(days=today.weekday() + 21)
        span_weeks = max(1, (last - first).days // 7)
        sessions = []
        for index in range(count):
            start = first + datetime.timedelta(weeks=index * span_weeks // count)
            sessions.append(
                TrainingSession(
                    name=f"Session de charge {index + 1:04d}",
                    slug=f"{SLUG_PREFIX}{index + 1:04d}",
                    territory=territories[index % len(territories)],
                    venue="Salle de formation",
                    week1_start=start,
                    week2_start=start + datetime.timedelta(days=7),
                    week3_start=start + datetime.timedelta(days=14),
                    capacity=40,
                    status=TrainingSession.Status.CLOSED,
                )
            )
        TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
        return list(TrainingSession.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"))

    def make_slots(self, sessions):
        slots = []
        for session in sessions:
            for day in range(1, 16):
                week, weekday = divmod(day - 1, 5)
                date = session.week_starts[week] + datetime.timedelta(days=weekday)
                for half, start, end in HALVES:
                    slots.append(
                        SessionSlot(
                            session=session,
                            day_number=day,
                            half=half,
                            date=date,
                            start_time=start,
                            end_time=end,
                        )  # fmt: skip
                    )
        SessionSlot.objects.bulk_create(slots, batch_size=BATCH)
        by_session = {}
        for slot_id, session_id in (
            SessionSlot.objects.filter(session__slug__startswith=SLUG_PREFIX)
            .order_by("session_id", "day_number", "half")
            .values_list("pk", "session_id")
        ):
            by_session.setdefault(session_id, []).append(slot_id)
        return by_session

    def make_users(self, kind, count, password):
        start = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
        users = [
            User(
                email=f"{kind}{start + i:06d}@{EMAIL_DOMAIN}",
                first_name=self.random.choice(FIRST_NAMES),
                last_name=self.random.choice(LAST_NAMES),
                password=password,
            )
            for i in range(count)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        return list(
            User.objects.filter(email__startswith=kind, email__endswith=f"@{EMAIL_DOMAIN}")
            .order_by("email")
            .only("pk")
        )

    def add_to_group(self, users, role):
        group, _ = Group.objects.get_or_create(name=role.value)
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=BATCH
        )

    def make_enrolments(self, sessions, trainees, per_session, certified):
        """Outcome per enrolment: certified, dropped (5 %) or not certified (the rest)."""
        enrolments, outcomes = [], []
        remaining = certified
        iterator = iter(trainees)
        for session in sessions:
            for _ in range(per_session):
                trainee = next(iterator)
                roll = self.random.random()
                if remaining > 0 and roll < 0.87:
                    outcome, status = "certified", Enrolment.Status.COMPLETED
                    remaining -= 1
                elif roll < 0.92:
                    outcome, status = "dropped", Enrolment.Status.DROPPED
                else:
                    outcome, status = "failed", Enrolment.Status.COMPLETED
                enrolments.append(Enrolment(session=session, trainee_id=trainee.pk, status=status))
                outcomes.append(outcome)
        # Top up when the random draw left certifications to give.
        for index, outcome in enumerate(outcomes):
            if remaining <= 0:
                break
            if outcome == "failed":
                outcomes[index] = "certified"
                remaining -= 1
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        return enrolments, outcomes

    def make_attendance(self, enrolments, outcomes, slots):
        created = 0
        rows = []
        for enrolment, outcome in zip(enrolments, outcomes, strict=True):
            session_slots = slots[enrolment.session_id]
            absences = {
                "certified": self.random.randint(0, 3),
                "failed": self.random.randint(2, 12),
                "dropped": 20,
            }[outcome]
            absent = set(self.random.sample(range(len(session_slots)), absences))
            for index, slot_id in enumerate(session_slots):
                status = (
                    "present" if index not in absent else self.random.choice(("absent", "excused"))
                )
                rows.append(Attendance(enrolment_id=enrolment.pk, slot_id=slot_id, status=status))
            if len(rows) >= 50000:
                Attendance.objects.bulk_create(rows, batch_size=BATCH)
                created += len(rows)
                rows = []
        Attendance.objects.bulk_create(rows, batch_size=BATCH)
        return created + len(rows)

    def make_certifications(self, enrolments, outcomes, competencies, trainers, sessions):
        from assessments.certification import numbers
        from assessments.models import CertificateNumberCounter, Certification, CompetencyResult

        sessions_by_pk = {session.pk: session for session in sessions}
        results, certifications = [], []
        # Continue after the numbers already given (a seeded demo, an earlier import): the
        # sequences are per year and the numbers are unique.
        counters = dict(CertificateNumberCounter.objects.values_list("year", "last_value"))
        now = timezone.now()
        for enrolment, outcome in zip(enrolments, outcomes, strict=True):
            if outcome == "dropped":
                continue
            session = sessions_by_pk[enrolment.session_id]
            certified_on = session.week3_start + datetime.timedelta(days=4)
            for competency in competencies:
                level = Decimal(self.random.randint(70, 98))
                validated = outcome == "certified" or self.random.random() < 0.6
                results.append(
                    CompetencyResult(
                        trainee_id=enrolment.trainee_id,
                        competency=competency,
                        computed_level=level,
                        assessment_level=level,
                        assessment_count=2,
                        proposal=CompetencyResult.Proposal.REACHED,
                        computed_at=now,
                        status=CompetencyResult.Status.VALIDATED
                        if validated
                        else CompetencyResult.Status.PROPOSED,
                        validated_at=now if validated else None,
                    )
                )
            if outcome == "certified":
                year = certified_on.year
                counters[year] = counters.get(year, 0) + 1
                certifications.append(
                    Certification(
                        number=numbers.format_number(year, counters[year], numbers.random_check()),
                        trainee_id=enrolment.trainee_id,
                        enrolment_id=enrolment.pk,
                        session_id=session.pk,
                        territory_id=session.territory_id,
                        certified_on=certified_on,
                        certified_by_id=trainers[0].pk,
                        attended_hours=Decimal("98.0"),
                        holder_name=f"Stagiaire {enrolment.trainee_id}",
                        session_name=session.name,
                        issued_on=certified_on,
                    )
                )
        CompetencyResult.objects.bulk_create(results, batch_size=BATCH)
        Certification.objects.bulk_create(certifications, batch_size=BATCH)
        CertificateNumberCounter.objects.bulk_create(
            [
                CertificateNumberCounter(year=year, last_value=value)
                for year, value in counters.items()
            ],
            update_conflicts=True,
            unique_fields=["year"],
            update_fields=["last_value"],
        )
        return len(results), len(certifications)

    def make_attempts(self, enrolments, outcomes, count):
        if count <= 0:
            return 0
        from assessments.models import Answer, AssessmentPage, Attempt

        kinds = [AssessmentPage.Kind.QUIZ, AssessmentPage.Kind.FINAL]
        pages = list(AssessmentPage.objects.filter(kind__in=kinds).order_by("pk"))
        if not pages:
            from assessments.seed import seed as seed_assessments

            seed_assessments()
            pages = list(AssessmentPage.objects.filter(kind__in=kinds).order_by("pk"))
        if not pages:
            self.stderr.write("Aucune évaluation : pas de tentatives générées.")
            return 0
        # (trainee, enrolment): the attempts belong to the session they were taken in.
        scopes = [
            (enrolment.trainee_id, enrolment.pk)
            for enrolment, outcome in zip(enrolments, outcomes, strict=True)
            if outcome != "dropped"
        ]
        codes = list(Competency.objects.order_by("code").values_list("code", flat=True))
        now = timezone.now()
        attempts = []
        number = 1
        while len(attempts) < count:
            for trainee_id, enrolment_id in scopes:
                for page in pages:
                    if len(attempts) >= count:
                        break
                    percent = Decimal(self.random.randint(40, 100))
                    attempts.append(
                        Attempt(
                            trainee_id=trainee_id,
                            enrolment_id=enrolment_id,
                            assessment_id=page.pk,
                            number=number,
                            started_at=now,
                            submitted_at=now,
                            status=Attempt.Status.GRADED,
                            score=percent / 5,
                            auto_score=percent / 5,
                            max_score=Decimal(20),
                            percent=percent,
                            passed=percent >= 50,
                            graded_at=now,
                        )
                    )
                if len(attempts) >= count:
                    break
            number += 1
        Attempt.objects.bulk_create(attempts, batch_size=BATCH)
        attempt_ids = list(
            Attempt.objects.filter(trainee__email__endswith=f"@{EMAIL_DOMAIN}").values_list(
                "pk", flat=True
            )
        )
        answers = []
        for attempt_id in attempt_ids:
            for position, code in enumerate(codes):
                answers.append(
                    Answer(
                        attempt_id=attempt_id,
                        position=position,
                        competency_code=code,
                        max_points=Decimal(4),
                        points_awarded=Decimal(self.random.randint(1, 4)),
                        is_correct=True,
                        graded_at=now,
                    )
                )
            if len(answers) >= 50000:
                Answer.objects.bulk_create(answers, batch_size=BATCH)
                answers = []
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        return len(attempts)
