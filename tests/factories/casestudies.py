import datetime

from django.utils import timezone

import factory

from casestudies.milestones import MILESTONE_ORDER
from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    Dossier,
    DossierMilestone,
    MilestoneStatus,
    Submission,
)
from casestudies.situations import load_golden_case
from modules.access import work_enrolment

from .lms import TraineeFactory

__all__ = [
    "CaseStudyIndexPageFactory",
    "CaseStudyPageFactory",
    "DossierFactory",
    "SubmissionFactory",
    "golden_situation",
]


def golden_situation(name: str = "cas-a-2026-tmo-f-c") -> dict:
    return load_golden_case(name)["situation"]


def _home():
    from lms.seed import seed_home

    return seed_home()


class CaseStudyIndexPageFactory(factory.django.DjangoModelFactory):
    """The single index page (reused when it exists), under the home page."""

    class Meta:
        model = CaseStudyIndexPage

    title = "Cas pratiques"
    slug = "cas-pratiques"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = CaseStudyIndexPage.objects.first()
        if existing is not None:
            return existing
        page = model_class(**kwargs)
        _home().add_child(instance=page)
        return page


class CaseStudyPageFactory(factory.django.DjangoModelFactory):
    """A live case study built on a golden case of the simulator (cas A by default)."""

    class Meta:
        model = CaseStudyPage

    title = factory.Sequence(lambda n: f"Ménage {n}")
    slug = factory.Sequence(lambda n: f"menage-{n}")
    summary = "Un couple très modeste dans une maison F."
    golden_case = "cas-a-2026-tmo-f-c"
    situation = factory.LazyAttribute(lambda o: golden_situation(o.golden_case))
    filed_on = factory.LazyAttribute(lambda o: datetime.date.fromisoformat(o.situation["as_of"]))
    narrative = factory.LazyFunction(lambda: [("markdown", "Un ménage **simulé**.")])
    state_heating = "Chaudière fioul"
    isolation = "Isolé"

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(**kwargs)
        (parent or CaseStudyIndexPageFactory()).add_child(instance=page)
        return page


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier with its three milestones (statuses settable as `statuses={...}`)."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    trainee = factory.SubFactory(TraineeFactory)
    case_study = factory.SubFactory(CaseStudyPageFactory)
    # As `dossier_open` does: the trainee's current enrolment, when they have one.
    enrolment = factory.LazyAttribute(lambda o: work_enrolment(o.trainee, timezone.localdate()))

    @factory.post_generation
    def statuses(self, create, extracted, **kwargs):
        if not create:
            return
        extracted = extracted or {}
        DossierMilestone.objects.bulk_create(
            [
                DossierMilestone(
                    dossier=self,
                    milestone=m,
                    status=extracted.get(m, MilestoneStatus.IN_PROGRESS),
                )
                for m in MILESTONE_ORDER
            ]
        )


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    dossier_milestone = factory.LazyFunction(
        lambda: DossierFactory().milestones.get(milestone="identifier")
    )
    submitted_at = factory.LazyFunction(lambda: datetime.datetime.now(tz=datetime.UTC))
    answers = factory.LazyFunction(lambda: {"income_category": "tres_modeste"})
