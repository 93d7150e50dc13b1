"""Factories and helpers for competency results and certifications."""

import datetime
from decimal import Decimal

from django.utils import timezone

import factory

from assessments.certification import numbers
from assessments.models import AssessmentPage, Attempt, Certification, CompetencyResult
from modules.models import Attendance, Competency, SessionSlot

from .assessments import AssessmentPageFactory, make_question
from .lms import TraineeFactory, TrainerFactory
from .modules import EnrolmentFactory

__all__ = [
    "CertificationFactory",
    "CompetencyResultFactory",
    "attend",
    "eligible_enrolment",
    "final_assessment",
    "sit_final",
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

    number = factory.Sequence(lambda n: numbers.format_number(2026, 90000 + n, "K7QF"))
    enrolment = factory.SubFactory(EnrolmentFactory)
    trainee = factory.SelfAttribute("enrolment.trainee")
    session = factory.SelfAttribute("enrolment.session")
    territory = factory.SelfAttribute("enrolment.session.territory")
    certified_on = factory.LazyFunction(datetime.date.today)
    certified_by = factory.SubFactory(TrainerFactory)
    attended_hours = Decimal("105")
    holder_name = factory.LazyAttribute(lambda o: o.enrolment.trainee.get_full_name())
    programme_title = "Ensemblier Solidaire"
    session_name = factory.SelfAttribute("enrolment.session.name")
    session_first_day = factory.SelfAttribute("enrolment.session.week1_start")
    competencies = factory.LazyFunction(
        lambda: [[c.code, c.title] for c in Competency.objects.order_by("code")]
    )
    issued_on = factory.SelfAttribute("certified_on")


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


def final_assessment() -> AssessmentPage:
    """The live final evaluation (created once per test, with a single question)."""
    page = AssessmentPage.objects.live().filter(kind=AssessmentPage.Kind.FINAL).first()
    if page is None:
        page = AssessmentPageFactory(
            title="Évaluation finale",
            slug="evaluation-finale-test",
            kind=AssessmentPage.Kind.FINAL,
            pass_mark_percent=60,
            questions=[
                make_question(
                    "true_false", "C1", 1, text="L'éco-PTZ est un prêt.", answer_bool=True
                )
            ],
        )
    return page


def sit_final(trainee, *, percent="75", status=Attempt.Status.GRADED) -> Attempt:
    """A finished attempt at the final evaluation: graded (passed at ≥ 60 %) or `status`."""
    page = final_assessment()
    graded = status == Attempt.Status.GRADED
    number = Attempt.objects.filter(trainee=trainee, assessment=page).count() + 1
    return Attempt.objects.create(
        trainee=trainee,
        assessment=page,
        number=number,
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        status=status,
        max_score=Decimal("100"),
        score=Decimal(percent),
        percent=Decimal(percent) if graded else None,
        passed=(Decimal(percent) >= page.pass_mark_percent) if graded else None,
        graded_at=timezone.now() if graded else None,
    )


def eligible_enrolment(*, trainer=None, present: int = 30, final="75", **kwargs):
    """An enrolment whose trainee has five validated competencies, `present` half-days and a
    graded final evaluation at `final` percent (None: no final attempt)."""
    enrolment = EnrolmentFactory(**kwargs)
    if trainer is not None:
        enrolment.session.trainers.add(trainer)
    attend(enrolment, present)
    validate_all(enrolment.trainee)
    if final is not None:
        sit_final(enrolment.trainee, percent=final)
    return enrolment
