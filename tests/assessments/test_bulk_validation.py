"""Validating every competency proposed "atteinte" of a session in one action."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest

from assessments.certification import selectors as reads
from assessments.certification.services import (
    CertificationError,
    competencies_validate_reached,
)
from assessments.models import CompetencyDecision, CompetencyResult
from modules.models import Competency
from tests.factories import (
    CertificationFactory,
    CompetencyResultFactory,
    EnrolmentFactory,
    TrainerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

Status = CompetencyResult.Status
Proposal = CompetencyResult.Proposal


@pytest.fixture(autouse=True)
def _no_refresh(monkeypatch):
    """The suivi page recomputes levels from the evidence; these tests set the levels."""
    from assessments.certification import views

    monkeypatch.setattr(views, "competency_results_refresh", lambda trainees: {})


@pytest.fixture
def session(trainer):
    return TrainingSessionFactory(trainers=[trainer], generate_slots=False)


def _enrol(session, **kwargs):
    return EnrolmentFactory(session=session, **kwargs).trainee


def _result(trainee, code="C1", **kwargs):
    return CompetencyResultFactory(
        trainee=trainee, competency=Competency.objects.get(code=code), **kwargs
    )


def test_the_list_holds_only_undecided_reached_results_of_the_session(session):
    inès = _enrol(session, trainee__first_name="Inès")
    reached = _result(inès, "C1")
    _result(inès, "C2", proposal=Proposal.IN_PROGRESS, computed_level=Decimal("40"))
    _result(inès, "C3", status=Status.VALIDATED)
    certified = _enrol(session)
    _result(certified, "C1")
    CertificationFactory(trainee=certified, enrolment=certified.enrolments.get())
    elsewhere = EnrolmentFactory().trainee
    _result(elsewhere, "C1")
    assert reads.reached_to_validate(session) == [reached]


def test_a_trainer_validates_the_chosen_results_with_one_comment(session, trainer):
    first, second = _enrol(session), _enrol(session)
    results = [_result(first, "C1"), _result(first, "C2"), _result(second, "C1")]
    outcome = competencies_validate_reached(
        session=session,
        user=trainer,
        result_ids=[r.pk for r in results[:2]],
        comment="Preuves solides.",
    )
    assert [r.pk for r in outcome.validated] == [results[0].pk, results[1].pk]
    assert outcome.skipped == 0
    for result in results:
        result.refresh_from_db()
    assert [r.status for r in results] == [Status.VALIDATED, Status.VALIDATED, Status.PROPOSED]
    assert results[0].validated_by == trainer
    decisions = CompetencyDecision.objects.filter(result__in=results[:2])
    assert {(d.decision, d.comment, d.level_at_decision) for d in decisions} == {
        ("validated", "Preuves solides.", Decimal("80.0"))
    }
    assert decisions.count() == 2


def test_results_that_changed_since_the_page_was_shown_are_skipped(session, trainer):
    trainee = _enrol(session)
    decided = _result(trainee, "C1", status=Status.INVALIDATED)
    fell = _result(trainee, "C2", computed_level=Decimal("30"), proposal=Proposal.IN_PROGRESS)
    still = _result(trainee, "C3")
    outcome = competencies_validate_reached(
        session=session, user=trainer, result_ids=[decided.pk, fell.pk, still.pk]
    )
    assert [r.pk for r in outcome.validated] == [still.pk]
    assert outcome.skipped == 2
    decided.refresh_from_db()
    assert decided.status == Status.INVALIDATED


def test_another_trainers_session_is_refused_and_nothing_changes(session):
    trainee = _enrol(session)
    result = _result(trainee)
    with pytest.raises(PermissionDenied):
        competencies_validate_reached(
            session=session, user=TrainerFactory(), result_ids=[result.pk]
        )
    result.refresh_from_db()
    assert result.status == Status.PROPOSED


def test_results_of_another_session_are_never_validated(session, trainer):
    other = EnrolmentFactory().trainee
    result = _result(other)
    outcome = competencies_validate_reached(session=session, user=trainer, result_ids=[result.pk])
    assert outcome.validated == [] and outcome.skipped == 1
    result.refresh_from_db()
    assert result.status == Status.PROPOSED


def test_an_empty_choice_is_refused_in_french(session, trainer):
    with pytest.raises(CertificationError, match="Cochez au moins une"):
        competencies_validate_reached(session=session, user=trainer, result_ids=[])


def test_a_coordinator_may_validate_in_bulk(session, coordinator):
    result = _result(_enrol(session))
    outcome = competencies_validate_reached(
        session=session, user=coordinator, result_ids=[result.pk]
    )
    assert len(outcome.validated) == 1


def test_the_service_query_count_does_not_grow_with_the_results(
    session, trainer, django_assert_max_num_queries
):
    few = [_result(_enrol(session), "C1") for _ in range(2)]
    with django_assert_max_num_queries(12) as small:
        competencies_validate_reached(session=session, user=trainer, result_ids=[r.pk for r in few])
    many = [_result(_enrol(session), code) for _ in range(4) for code in ("C1", "C2", "C3")]
    with django_assert_max_num_queries(len(small.captured_queries)):
        competencies_validate_reached(
            session=session, user=trainer, result_ids=[r.pk for r in many]
        )


# --- The page ----------------------------------------------------------------------------------


def _url(session):
    return reverse("assessments:competencies_validate_bulk", args=[session.pk])


def test_the_page_shows_the_evidence_and_every_box_checked(session, trainer, client_as):
    trainee = _enrol(session, trainee__first_name="Inès", trainee__last_name="Abadie")
    result = _result(trainee, "C2", dossier_level=Decimal("90"), dossier_count=2)
    body = client_as(trainer).get(_url(session)).content.decode()
    assert "ABADIE Inès" in body
    assert "80 %" in body and "2 jalons acceptés" in body
    assert f'value="{result.pk}"' in body and "checked" in body


def test_posting_validates_and_returns_to_the_suivi(session, trainer, client_as):
    result = _result(_enrol(session))
    response = client_as(trainer).post(
        _url(session), {"results": [result.pk], "comment": "Vu en séance."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:suivi_session", args=[session.pk])
    result.refresh_from_db()
    assert result.status == Status.VALIDATED and result.comment == "Vu en séance."


def test_posting_nothing_says_what_is_wrong_and_keeps_the_comment(session, trainer, client_as):
    _result(_enrol(session))
    response = client_as(trainer).post(_url(session), {"comment": "Mon commentaire"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Cochez au moins une compétence à valider." in body
    assert "Mon commentaire" in body


def test_a_foreign_result_id_is_refused_without_a_500(session, trainer, client_as):
    other = _result(EnrolmentFactory().trainee)
    response = client_as(trainer).post(_url(session), {"results": [other.pk, "abc"]})
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == Status.PROPOSED


def test_another_trainer_gets_a_404_and_a_trainee_too(session, client_as, trainee):
    assert client_as(TrainerFactory()).get(_url(session)).status_code == 404
    assert client_as(trainee).get(_url(session)).status_code == 404


def test_the_page_query_count_is_constant(
    session, trainer, client_as, django_assert_max_num_queries
):
    client = client_as(trainer)
    _result(_enrol(session))
    client.get(_url(session))
    with django_assert_max_num_queries(30) as few:
        client.get(_url(session))
    for _ in range(5):
        trainee = _enrol(session)
        for code in ("C1", "C2", "C3"):
            _result(trainee, code)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url(session))


def test_the_suivi_links_to_the_bulk_validation_when_there_is_one(session, trainer, client_as):
    client = client_as(trainer)
    assert (
        "les valider en une fois"
        not in client.get(reverse("assessments:suivi_session", args=[session.pk])).content.decode()
    )
    _result(_enrol(session))
    body = client.get(reverse("assessments:suivi_session", args=[session.pk])).content.decode()
    assert _url(session) in body


# --- The session's results as CSV --------------------------------------------------------------


def _csv_url(session):
    return reverse("assessments:suivi_session_csv", args=[session.pk])


def test_the_results_export_has_one_row_per_trainee_with_each_competency(
    session, trainer, client_as
):
    import csv
    import io

    inès = _enrol(session, trainee__first_name="Inès", trainee__last_name="Abadie")
    _result(inès, "C1", computed_level=Decimal("82.5"))
    _result(inès, "C2", status=Status.VALIDATED)
    _enrol(session, trainee__first_name="Thomas", trainee__last_name="Barthe")
    response = client_as(trainer).get(_csv_url(session))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, *lines = rows
    assert header[:3] == ["Nom", "Prénom", "E-mail"]
    assert "C1 niveau (%)" in header and "C5 décision" in header
    by_name = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    assert set(by_name) == {"Abadie", "Barthe"}
    assert by_name["Abadie"]["C1 niveau (%)"] == "82,5"
    assert by_name["Abadie"]["C1 décision"] == "À valider"
    assert by_name["Abadie"]["C2 décision"] == "Validée"
    assert by_name["Barthe"]["C1 niveau (%)"] == ""


def test_the_results_export_is_refused_to_other_trainers(session, client_as, trainee):
    assert client_as(TrainerFactory()).get(_csv_url(session)).status_code == 404
    assert client_as(trainee).get(_csv_url(session)).status_code == 404


def test_the_results_export_query_count_is_constant(
    session, trainer, client_as, django_assert_max_num_queries
):
    client = client_as(trainer)
    _result(_enrol(session))
    with django_assert_max_num_queries(40) as few:
        client.get(_csv_url(session))
    for _ in range(5):
        _result(_enrol(session), "C2")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_csv_url(session))
