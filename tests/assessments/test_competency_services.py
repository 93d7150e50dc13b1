"""Competency results: bulk refresh from the evidence, decisions and their history."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.certification import selectors as reads
from assessments.certification.services import (
    CertificationError,
    competency_results_refresh,
    competency_validate,
)
from assessments.models import CompetencyDecision, CompetencyResult
from tests.factories import (
    CertificationFactory,
    CompetencyResultFactory,
    EnrolmentFactory,
    TraineeFactory,
    TrainerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(monkeypatch):
    """Replace both producers' selectors by fixed evidence {trainee: {code: [percents]}}."""
    data = {"attempts": {}, "dossiers": {}}

    def fake(trainee_ids):
        return (
            {pk: data["attempts"].get(pk, {}) for pk in trainee_ids},
            {pk: data["dossiers"].get(pk, {}) for pk in trainee_ids},
        )

    monkeypatch.setattr(reads, "evidence_for", fake)
    return data


def test_refresh_creates_one_result_per_competency_with_the_rule(trainee, evidence):
    evidence["attempts"][trainee.pk] = {"C1": [Decimal(60), Decimal(80)]}
    evidence["dossiers"][trainee.pk] = {"C1": [Decimal(90)], "C2": [Decimal(50)]}
    results = competency_results_refresh(trainees=[trainee])[trainee.pk]
    assert sorted(results) == ["C1", "C2", "C3", "C4", "C5"]
    assert results["C1"].computed_level == Decimal("80.0")
    assert results["C1"].proposal == CompetencyResult.Proposal.REACHED
    assert results["C2"].proposal == CompetencyResult.Proposal.IN_PROGRESS
    assert results["C3"].computed_level is None
    assert CompetencyResult.objects.filter(trainee=trainee).count() == 5


def test_refresh_updates_the_level_but_keeps_the_trainers_decision(trainee, trainer, evidence):
    enrolment = EnrolmentFactory(trainee=trainee)
    enrolment.session.trainers.add(trainer)
    evidence["attempts"][trainee.pk] = {"C1": [Decimal(75)]}
    result = competency_results_refresh(trainees=[trainee])[trainee.pk]["C1"]
    competency_validate(result=result, user=trainer, decision="validated")
    evidence["attempts"][trainee.pk] = {"C1": [Decimal(75), Decimal(95)]}
    competency_results_refresh(trainees=[trainee])
    result.refresh_from_db()
    assert result.computed_level == Decimal("85.0")
    assert result.status == CompetencyResult.Status.VALIDATED


def test_refresh_query_count_is_constant_in_the_number_of_trainees(evidence):
    few = TraineeFactory.create_batch(2)
    many = TraineeFactory.create_batch(6)
    for person in few + many:
        evidence["attempts"][person.pk] = {"C2": [Decimal(70)]}
    competency_results_refresh(trainees=few)  # warm: creates
    competency_results_refresh(trainees=many)
    for person in few + many:
        evidence["attempts"][person.pk] = {"C2": [Decimal(90)]}
    with CaptureQueriesContext(connection) as small:
        competency_results_refresh(trainees=few)
    with CaptureQueriesContext(connection) as large:
        competency_results_refresh(trainees=many)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_trainer_of_the_session_validates_and_history_is_kept(trainee, trainer):
    enrolment = EnrolmentFactory(trainee=trainee)
    enrolment.session.trainers.add(trainer)
    result = CompetencyResultFactory(trainee=trainee, computed_level=Decimal("75.0"))
    competency_validate(result=result, user=trainer, decision="validated", comment="Bien.")
    competency_validate(
        result=result, user=trainer, decision="invalidated", comment="Dossier à reprendre."
    )
    result.refresh_from_db()
    assert result.status == CompetencyResult.Status.INVALIDATED
    assert result.validated_by == trainer
    history = list(result.decisions.values_list("decision", "comment", "level_at_decision"))
    assert history == [
        ("validated", "Bien.", Decimal("75.0")),
        ("invalidated", "Dossier à reprendre.", Decimal("75.0")),
    ]


def test_decisions_are_never_edited_nor_deleted(trainee, coordinator):
    result = CompetencyResultFactory(trainee=trainee)
    competency_validate(result=result, user=coordinator, decision="validated")
    decision = CompetencyDecision.objects.get()
    decision.comment = "changé"
    with pytest.raises(ValueError):
        decision.save()
    with pytest.raises(ValueError):
        decision.delete()


def test_invalidating_requires_a_comment(trainee, coordinator):
    result = CompetencyResultFactory(trainee=trainee)
    with pytest.raises(CertificationError) as refused:
        competency_validate(result=result, user=coordinator, decision="invalidated", comment=" ")
    assert refused.value.field == "comment"
    assert not CompetencyDecision.objects.exists()


def test_validating_below_threshold_requires_a_comment(trainee, coordinator):
    result = CompetencyResultFactory(trainee=trainee, computed_level=Decimal("60.0"))
    with pytest.raises(CertificationError):
        competency_validate(result=result, user=coordinator, decision="validated")
    competency_validate(
        result=result, user=coordinator, decision="validated", comment="Oral probant."
    )
    result.refresh_from_db()
    assert result.is_validated


def test_a_competency_without_evidence_cannot_be_validated(trainee, coordinator):
    result = CompetencyResultFactory(trainee=trainee, computed_level=None)
    with pytest.raises(CertificationError):
        competency_validate(result=result, user=coordinator, decision="validated", comment="x")


def test_trainer_of_another_session_cannot_validate(trainee):
    EnrolmentFactory(trainee=trainee)
    stranger = TrainerFactory()
    result = CompetencyResultFactory(trainee=trainee)
    with pytest.raises(PermissionDenied):
        competency_validate(result=result, user=stranger, decision="validated")


def test_trainee_cannot_validate_their_own_competency(trainee):
    EnrolmentFactory(trainee=trainee)
    result = CompetencyResultFactory(trainee=trainee)
    with pytest.raises(PermissionDenied):
        competency_validate(result=result, user=trainee, decision="validated")


def test_decisions_are_frozen_once_certified(trainee, coordinator):
    result = CompetencyResultFactory(trainee=trainee)
    CertificationFactory(enrolment=EnrolmentFactory(trainee=trainee))
    with pytest.raises(CertificationError):
        competency_validate(result=result, user=coordinator, decision="invalidated", comment="x")
