"""Suivi de session: the grid, decisions from it, permissions and constant queries."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.certification import selectors as reads
from assessments.models import CompetencyDecision, CompetencyResult
from tests.factories import (
    EnrolmentFactory,
    TrainerFactory,
    TrainingSessionFactory,
    attend,
    eligible_enrolment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(monkeypatch):
    data = {}

    def fake(trainee_ids):
        return ({pk: data.get(pk, {}) for pk in trainee_ids}, {})

    monkeypatch.setattr(reads, "evidence_for", fake)
    return data


def test_grid_lists_trainees_with_eligible_first(client_as, trainer, evidence):
    session = TrainingSessionFactory(trainers=[trainer])
    waiting = EnrolmentFactory(session=session, trainee__last_name="Aubert")
    ready = eligible_enrolment(session=session, trainee__last_name="Zola")
    attend(waiting, 5)
    for enrolment in (waiting, ready):
        evidence[enrolment.trainee_id] = {code: [Decimal(80)] for code in ("C1", "C2")}
    html = client_as(trainer).get(f"/formateur/suivi/{session.pk}/").content.decode()
    assert html.index("ZOLA") < html.index("AUBERT")
    assert "1</strong> stagiaire certifiable" in html
    assert "Certifiable" in html


def test_trainer_validates_a_competency_from_the_grid(client_as, trainer, evidence):
    session = TrainingSessionFactory(trainers=[trainer])
    enrolment = EnrolmentFactory(session=session)
    evidence[enrolment.trainee_id] = {"C1": [Decimal(90)]}
    client = client_as(trainer)
    client.get(f"/formateur/suivi/{session.pk}/")
    result = CompetencyResult.objects.get(trainee=enrolment.trainee, competency__code="C1")
    response = client.post(
        f"/formateur/suivi/{session.pk}/competence/{result.pk}/", {"decision": "validated"}
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.is_validated
    assert CompetencyDecision.objects.filter(result=result, decided_by=trainer).exists()


def test_refused_decision_re_renders_with_the_typed_comment(client_as, trainer, evidence):
    session = TrainingSessionFactory(trainers=[trainer])
    enrolment = EnrolmentFactory(session=session)
    evidence[enrolment.trainee_id] = {"C2": [Decimal(40)]}
    client = client_as(trainer)
    client.get(f"/formateur/suivi/{session.pk}/")
    result = CompetencyResult.objects.get(trainee=enrolment.trainee, competency__code="C2")
    response = client.post(
        f"/formateur/suivi/{session.pk}/competence/{result.pk}/",
        {"decision": "invalidated", "comment": ""},
    )
    assert response.status_code == 400
    assert "Expliquez" in response.content.decode()
    response = client.post(
        f"/formateur/suivi/{session.pk}/competence/{result.pk}/",
        {"decision": "validated", "comment": "Mon texte gardé"},
    )
    assert response.status_code == 302  # a comment justifies a validation under the threshold
    bad = client.post(
        f"/formateur/suivi/{session.pk}/competence/{result.pk}/",
        {"decision": "peut-être", "comment": "Texte tapé"},
    )
    assert bad.status_code == 400
    assert "Texte tapé" in bad.content.decode()


def test_trainer_of_another_session_gets_404(client_as, evidence):
    session = TrainingSessionFactory()
    enrolment = EnrolmentFactory(session=session)
    result = CompetencyResult.objects.create(
        trainee=enrolment.trainee, competency_id=reads.competencies()[0].pk
    )
    stranger = client_as(TrainerFactory())
    assert stranger.get(f"/formateur/suivi/{session.pk}/").status_code == 404
    response = stranger.post(
        f"/formateur/suivi/{session.pk}/competence/{result.pk}/", {"decision": "validated"}
    )
    assert response.status_code == 404


def test_trainee_cannot_open_the_grid(client_as, trainee, evidence):
    session = TrainingSessionFactory()
    EnrolmentFactory(session=session, trainee=trainee)
    assert client_as(trainee).get(f"/formateur/suivi/{session.pk}/").status_code == 404
    assert client_as(trainee).get("/formateur/suivi/").status_code == 403


def test_coordinator_opens_any_session(client_as, coordinator, evidence):
    session = TrainingSessionFactory()
    assert client_as(coordinator).get(f"/formateur/suivi/{session.pk}/").status_code == 200


def test_grid_query_count_is_constant_in_the_number_of_trainees(client_as, trainer, evidence):
    small = TrainingSessionFactory(trainers=[trainer])
    large = TrainingSessionFactory(trainers=[trainer])
    for session, count in ((small, 2), (large, 6)):
        for _ in range(count):
            enrolment = EnrolmentFactory(session=session)
            attend(enrolment, 30)
            evidence[enrolment.trainee_id] = {"C1": [Decimal(75)]}
    client = client_as(trainer)
    client.get(f"/formateur/suivi/{small.pk}/")  # results created, caches warm
    client.get(f"/formateur/suivi/{large.pk}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/formateur/suivi/{small.pk}/").status_code == 200
    few_count = len(few.captured_queries)  # read now: the next request clears the query log
    assert few_count > 5
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/formateur/suivi/{large.pk}/").status_code == 200
    assert len(many.captured_queries) == few_count


def test_index_lists_only_the_trainers_sessions(client_as, trainer):
    mine = TrainingSessionFactory(trainers=[trainer], name="Session Laval")
    TrainingSessionFactory(name="Session Carcassonne")
    html = client_as(trainer).get("/formateur/suivi/").content.decode()
    assert mine.name in html
    assert "Carcassonne" not in html
