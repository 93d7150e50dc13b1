"""Demo certifications: a few past ensembliers certified in ended demo sessions, so that the
national tracker and the public results page are not empty (idempotent)."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lms.models import User
from lms.roles import Role
from modules.models import Attendance, Competency, Enrolment, SessionSlot, TrainingSession

from ..models import CompetencyDecision, CompetencyResult
from .models import Certification
from .services import certificate_contents, next_certificate_number

PER_SESSION = 6
SESSIONS = 2
FIRST_NAMES = ["Aline", "Bruno", "Céline", "Damien", "Élodie", "Fabien"]
LAST_NAMES = ["Garnier", "Henry", "Imbert", "Joly", "Klein", "Lemoine"]


def _certifier(session):
    trainer = session.trainers.order_by("pk").first()
    if trainer is not None:
        return trainer
    return (
        User.objects.filter(groups__name=Role.COORDINATOR.value).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


@transaction.atomic
def seed_certification(stdout=None) -> int:
    today = timezone.localdate()
    ended = list(
        TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED)
        .annotate(last_day=Max("slots__date"))
        .filter(last_day__lt=today)
        .order_by("-last_day")[:SESSIONS]
    )
    competencies = list(Competency.objects.order_by("code"))
    trainee_group, _ = Group.objects.get_or_create(name=Role.TRAINEE.value)
    created = 0
    for index, session in enumerate(ended):
        if Certification.objects.filter(session=session).exists():
            continue
        certifier = _certifier(session)
        if certifier is None or not competencies:
            continue
        slots = list(SessionSlot.objects.filter(session=session))
        for number in range(PER_SESSION):
            email = f"ancien.stagiaire{index * PER_SESSION + number + 1}@demo.ensemblier.example"
            trainee = User.objects.filter(email=email).first()
            if trainee is None:
                trainee = User.objects.create_user(
                    email=email,
                    password=None,
                    first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(number + index) % len(LAST_NAMES)],
                )
                trainee.groups.add(trainee_group)
            enrolment, _ = Enrolment.objects.get_or_create(
                session=session,
                trainee=trainee,
                defaults={"status": Enrolment.Status.COMPLETED},
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(enrolment=enrolment, slot=slot, status="present")
                    for slot in slots
                    if number or slot.day_number != 15  # one trainee missed the last half-day
                ],
                ignore_conflicts=True,
            )
            last_day = session.last_day
            decided = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time(16)))
            for competency in competencies:
                result, _ = CompetencyResult.objects.get_or_create(
                    trainee=trainee,
                    competency=competency,
                    defaults={
                        "computed_level": 75 + (number * 3 + len(competency.code)) % 20,
                        "assessment_level": 80,
                        "assessment_count": 2,
                        "proposal": CompetencyResult.Proposal.REACHED,
                        "computed_at": decided,
                        "status": CompetencyResult.Status.VALIDATED,
                        "validated_by": certifier,
                        "validated_at": decided,
                    },
                )
                if not result.decisions.exists():
                    CompetencyDecision.objects.create(
                        result=result,
                        decided_by=certifier,
                        decision=CompetencyDecision.Decision.VALIDATED,
                        level_at_decision=result.computed_level,
                    )
            if not Certification.objects.filter(trainee=trainee, status="valid").exists():
                hours = sum(
                    (
                        datetime.datetime.combine(last_day, slot.end_time)
                        - datetime.datetime.combine(last_day, slot.start_time)
                    ).total_seconds()
                    / 3600
                    for slot in slots
                    if number or slot.day_number != 15
                )
                Certification.objects.create(
                    number=next_certificate_number(last_day.year),
                    trainee=trainee,
                    enrolment=enrolment,
                    session=session,
                    territory_id=session.territory_id,
                    certified_on=last_day,
                    certified_by=certifier,
                    attended_hours=round(hours, 1),
                    issued_on=last_day,
                    **certificate_contents(enrolment),
                )
                created += 1
    if stdout is not None and created:
        stdout.write(f"  {created} ensembliers certifiés dans des sessions passées")
    return created
