"""Factories and helpers for competency results and certifications."""

import datetime
from decimal import Decimal

from django.utils import timezone

import factory

from assessments.models import Certification, CompetencyResult
from modules.models import Attendance, Competency, SessionSlot

from .lms import TraineeFactory, TrainerFactory
from .modules import EnrolmentFactory

__all__ = [
    "CertificationFactory",
    "CompetencyResultFactory",
    "attend",
    "eligible_enrolment",
    "validate_all",
]


class CompetencyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyResult
        django_get_or_create = ("trainee", "competency")

    trainee = factory.SubFactory(TraineeFactory)
    competency = factory.LazyFunction(lambda: Competency.objects.order_by("code").first())
    computed_level = Decimal("80.0")
    assessment_level = Decimal("80.0")
    assessment_count = 1
    proposal = CompetencyResult.Proposal.REACHED
    computed_at = factory.LazyFunction(timezone.now)
    status = CompetencyResult.Status.PROPOSED


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    number = factory.Sequence(lambda n: f"ES-2026-{900000 + n:06d}")
    enrolment = factory.SubFactory(EnrolmentFactory)
    trainee = factory.SelfAttribute("enrolment.trainee")
    session = factory.SelfAttribute("enrolment.session")
    territory = factory.SelfAttribute("enrolment.session.territory")
    certified_on = factory.LazyFunction(datetime.date.today)
    certified_by = factory.SubFactory(TrainerFactory)
    attended_hours = Decimal("105")


def attend(enrolment, present: int = 30, status: str = "present") -> list[Attendance]:
    """Mark the first `present` half-days of the enrolment's session with `status`."""
    slots = SessionSlot.objects.filter(session=enrolment.session).order_by("date", "start_time")
    return Attendance.objects.bulk_create(
        [Attendance(enrolment=enrolment, slot=slot, status=status) for slot in slots[:present]]
    )


def validate_all(trainee, *, level=Decimal("80.0"), status=CompetencyResult.Status.VALIDATED):
    """A result for each of the five competencies, validated (or in `status`)."""
    return [
        CompetencyResultFactory(
            trainee=trainee, competency=competency, computed_level=level, status=status
        )
        for competency in Competency.objects.order_by("code")
    ]


def eligible_enrolment(*, trainer=None, present: int = 30, **kwargs):
    """An enrolment whose trainee has five validated competencies and `present` half-days."""
    enrolment = EnrolmentFactory(**kwargs)
    if trainer is not None:
        enrolment.session.trainers.add(trainer)
    attend(enrolment, present)
    validate_all(enrolment.trainee)
    return enrolment
