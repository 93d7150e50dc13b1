"""Lists of trainees in the certification screens follow the French collation."""

import pytest

from assessments.certification import selectors as reads
from tests.factories import EnrolmentFactory, TraineeFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

NAMES = ["Zola", "éluard", "Eymard", "de Gaulle", "Durand"]
FRENCH = ["de Gaulle", "Durand", "éluard", "Eymard", "Zola"]


def test_session_enrolments_are_sorted_without_regard_to_case_or_accents():
    session = TrainingSessionFactory(generate_slots=False)
    for last_name in NAMES:
        EnrolmentFactory(
            session=session, status="in_training", trainee=TraineeFactory(last_name=last_name)
        )
    assert [e.trainee.last_name for e in reads.session_enrolments(session)] == FRENCH
