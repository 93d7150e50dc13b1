"""Mon parcours: the trainee's own hours, competency results with evidence and certificates."""

from decimal import Decimal

import pytest

from assessments.models import CompetencyResult
from tests.factories import (
    CertificationFactory,
    CompetencyResultFactory,
    EnrolmentFactory,
    attend,
)

pytestmark = pytest.mark.django_db


def test_trainee_sees_hours_results_and_certificates(client_as, trainee):
    enrolment = EnrolmentFactory(trainee=trainee)
    attend(enrolment, 24)
    certification = CertificationFactory(enrolment=enrolment)
    html = client_as(trainee).get("/mon-parcours/").content.decode()
    assert "84 h" in html
    assert "80 %" in html
    assert "C1 · " in html and "C5 · " in html
    assert certification.number in html
    assert f"/certificats/{certification.number}.pdf" in html
    assert f"/realisation/{enrolment.pk}.pdf" in html


def test_results_show_their_evidence_and_the_trainers_comment(client_as, trainee, trainer):
    from assessments.certification.services import competency_validate

    enrolment = EnrolmentFactory(trainee=trainee)
    enrolment.session.trainers.add(trainer)
    result = CompetencyResultFactory(trainee=trainee, computed_level=Decimal("72.5"))
    competency_validate(result=result, user=trainer, decision="invalidated", comment="À revoir")
    html = client_as(trainee).get("/mon-parcours/").content.decode()
    assert "À revoir" in html
    assert "Non validée" in html


def test_trainee_never_sees_another_trainees_data(client_as, trainee, other_trainee):
    other = EnrolmentFactory(trainee=other_trainee)
    attend(other, 30)
    certification = CertificationFactory(enrolment=other)
    html = client_as(trainee).get("/mon-parcours/").content.decode()
    assert certification.number not in html
    assert other.session.name not in html
    assert not CompetencyResult.objects.filter(trainee=other_trainee).exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/mon-parcours/")
    assert response.status_code == 302


def test_parcours_nav_item_for_trainees(client_as, trainee):
    html = client_as(trainee).get("/mon-parcours/").content.decode()
    assert 'href="/mon-parcours/"' in html


def test_today_competency_progress_provider_is_registered_and_reads_own_results(
    trainee, other_trainee
):
    from assessments.certification.hooks import competency_progress
    from modules import today

    assert competency_progress in today._competency_providers
    CompetencyResultFactory(trainee=trainee, computed_level=Decimal("64.5"))
    CompetencyResultFactory(
        trainee=other_trainee, computed_level=Decimal("90.0"), status="validated"
    )
    assert competency_progress(trainee, None) == {"C1": 64}
    assert competency_progress(other_trainee, None) == {"C1": 100}


def test_a_visit_writes_nothing_when_the_evidence_has_not_changed(client_as, trainee, trainer):
    """A GET must not write: the results are stored once, when the evidence gives new levels,
    then each visit only reads (no transaction: on SQLite it would take the write lock)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enrolment = EnrolmentFactory(trainee=trainee)
    client = client_as(trainee)
    client.get("/mon-parcours/")  # stores the five results (no evidence yet)
    assert CompetencyResult.objects.filter(trainee=trainee).count() == 5
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/mon-parcours/").content.decode()
    written = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert written == []
    assert "non évaluée" in html
    assert enrolment.session.name in html


def test_new_evidence_is_stored_and_shown_on_the_next_visit(client_as, trainee, monkeypatch):
    from assessments.certification import selectors as reads

    EnrolmentFactory(trainee=trainee)
    client = client_as(trainee)
    client.get("/mon-parcours/")
    real = reads.evidence_for

    def more(trainee_ids):
        attempts, dossiers = real(trainee_ids)
        attempts = {**attempts, trainee.pk: {"C1": [Decimal(80)]}}
        return attempts, dossiers

    monkeypatch.setattr(reads, "evidence_for", more)
    html = client.get("/mon-parcours/").content.decode()
    assert "80 %" in html
    stored = CompetencyResult.objects.get(trainee=trainee, competency__code="C1")
    assert stored.computed_level == Decimal("80.0")
