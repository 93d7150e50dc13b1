"""One small world every robustness test posts into: a session with its trainer, an enrolled
trainee with a dossier and a quiz attempt in progress, a coordinator and an administrator."""

import pytest

from assessments.services import attempt_start
from tests.factories import (
    AssessmentPageFactory,
    CaseStudyPageFactory,
    CoordinatorFactory,
    DossierFactory,
    EnrolmentFactory,
    SubmissionFactory,
    TraineeFactory,
    TrainerFactory,
    TrainingSessionFactory,
    UserFactory,
)


class World:
    def __init__(self):
        self.trainer = TrainerFactory()
        self.trainee = TraineeFactory()
        self.coordinator = CoordinatorFactory()
        self.admin = UserFactory(is_superuser=True, is_staff=True)
        self.session = TrainingSessionFactory(trainers=[self.trainer], generate_slots=False)
        self.enrolment = EnrolmentFactory(trainee=self.trainee, session=self.session)
        self.case_study = CaseStudyPageFactory(title="Cas A", golden_case="cas-a-2026-tmo-f-c")
        self.dossier = DossierFactory(trainee=self.trainee, case_study=self.case_study)
        self.submission = SubmissionFactory(
            dossier_milestone=self.dossier.milestones.get(milestone="organiser")
        )
        self.dossier.milestones.filter(milestone="organiser").update(status="submitted")
        self.quiz = AssessmentPageFactory()
        self.attempt = attempt_start(trainee=self.trainee, assessment=self.quiz)
        self.questions = list(self.quiz.questions.order_by("sort_order", "pk"))


@pytest.fixture
def world(db):
    return World()
