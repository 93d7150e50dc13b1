"""The complaints and incidents register: the handling rule, who files, who handles, the
export per period, and that nothing is deleted."""

import datetime

from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.quality import rules
from assessments.quality.models import Complaint, ComplaintStep, ImprovementAction
from assessments.quality.rules import ComplaintStatus
from assessments.quality.services import (
    ComplaintError,
    complaint_advance,
    complaint_file,
    improvement_action_add,
)
from lms.notifications.models import Notification
from tests.factories import TrainingSessionFactory

# --- Pure rule -----------------------------------------------------------------------------------


def test_handling_goes_one_step_at_a_time_and_stops_when_closed():
    assert rules.next_complaint_status("filed") == ComplaintStatus.ACKNOWLEDGED
    assert rules.next_complaint_status("answered") == ComplaintStatus.CLOSED
    assert rules.next_complaint_status("closed") is None
    assert rules.complaint_step_refusal("filed", "acknowledged", "") is None
    assert "pas la suivante" in rules.complaint_step_refusal("filed", "closed", "")
    assert "analyse" in rules.complaint_step_refusal("acknowledged", "analysed", "  ")
    assert "réponse" in rules.complaint_step_refusal("analysed", "answered", "")


# --- Services ------------------------------------------------------------------------------------


def _file(by=None, **overrides):
    values = {
        "by": by,
        "kind": "complaint",
        "filer_name": "Mme Roux (employeur)",
        "filer_email": "roux@exemple.fr",
        "filer_role": "employer",
        "subject": "Convocation reçue trop tard",
        "description": "La convocation est arrivée la veille.",
    }
    values.update(overrides)
    return complaint_file(**values)


@pytest.mark.django_db
def test_a_complaint_goes_from_filed_to_closed_with_a_date_for_each_step(coordinator):
    complaint = _file()
    for status, note in (
        ("acknowledged", ""),
        ("analysed", "Envoi groupé trop tardif."),
        ("answered", "Excuses ; convocations 15 jours avant."),
        ("closed", ""),
    ):
        complaint = complaint_advance(by=coordinator, complaint=complaint, status=status, note=note)
    assert complaint.status == "closed"
    assert all(
        (
            complaint.acknowledged_at,
            complaint.analysed_at,
            complaint.answered_at,
            complaint.closed_at,
        )
    )
    assert complaint.analysis == "Envoi groupé trop tardif."
    assert list(complaint.steps.values_list("status", flat=True)) == [
        "filed",
        "acknowledged",
        "analysed",
        "answered",
        "closed",
    ]


@pytest.mark.django_db
def test_a_step_cannot_be_skipped_nor_taken_twice(coordinator):
    complaint = _file()
    with pytest.raises(ComplaintError):
        complaint_advance(by=coordinator, complaint=complaint, status="closed")
    complaint_advance(by=coordinator, complaint=complaint, status="acknowledged")
    with pytest.raises(ComplaintError):  # a second tab acknowledging again
        complaint_advance(by=coordinator, complaint=complaint, status="acknowledged")
    assert ComplaintStep.objects.filter(complaint=complaint).count() == 2


@pytest.mark.django_db
def test_only_the_coordination_handles(trainer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        complaint_advance(by=trainer, complaint=_file(), status="acknowledged")


@pytest.mark.django_db
def test_nothing_is_deleted(coordinator):
    complaint = _file()
    improvement_action_add(by=coordinator, complaint=complaint, description="Relance J-15")
    with pytest.raises(ProtectedError):
        complaint.delete()


@pytest.mark.django_db
def test_the_coordination_is_told_and_the_filer_gets_the_answer(
    coordinator, trainee, django_capture_on_commit_callbacks
):
    complaint = _file(by=trainee, filer_role="trainee")
    assert Notification.objects.filter(recipient=coordinator, kind="complaint_filed").exists()
    for status, note in (("acknowledged", ""), ("analysed", "Vu."), ("answered", "Réglé.")):
        complaint = complaint_advance(by=coordinator, complaint=complaint, status=status, note=note)
    assert Notification.objects.filter(recipient=trainee, kind="complaint_answered").exists()


# --- Views ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_visitor_files_with_a_name_and_an_address(client):
    url = reverse("quality:complaint_file")
    data = {
        "kind": "incident",
        "filer_role": "employer",
        "subject": "Salle inaccessible",
        "description": "L'ascenseur était en panne.",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Complaint.objects.exists()
    assert "Salle inaccessible" in response.content.decode()  # kept
    response = client.post(url, {**data, "filer_name": "M. Blanc", "filer_email": "b@exemple.fr"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.filed_by is None and complaint.kind == "incident"


@pytest.mark.django_db
def test_a_description_of_megabytes_is_refused_in_french_and_nothing_is_stored(client):
    data = {
        "kind": "complaint",
        "filer_role": "other",
        "filer_name": "M. Blanc",
        "filer_email": "b@exemple.fr",
        "subject": "Trop long",
        "description": "A" * 1_000_000,
    }
    response = client.post(reverse("quality:complaint_file"), data)
    assert response.status_code == 200
    assert "10" in response.context["form"].errors["description"][0]
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_trainee_files_and_reads_only_their_own(client_as, trainee, other_trainee):
    theirs = _file(by=other_trainee)
    client = client_as(trainee)
    response = client.post(
        reverse("quality:complaint_file"),
        {
            "kind": "complaint",
            "filer_role": "trainee",
            "subject": "Supports illisibles",
            "description": "Les PDF du module 3 ne s'ouvrent pas.",
        },
    )
    mine = Complaint.objects.get(filed_by=trainee)
    assert response.url == reverse("quality:complaint", args=[mine.pk])
    assert mine.filer_email == trainee.email
    assert client.get(reverse("quality:complaint", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("quality:complaints")).content.decode()
    assert "Supports illisibles" in listing and theirs.subject not in listing
    step = reverse("quality:complaint_step", args=[mine.pk])
    assert client.post(step, {"status": "acknowledged"}).status_code == 403


@pytest.mark.django_db
def test_the_register_view_refuses_a_missing_analysis_in_french(client_as, coordinator):
    complaint = _file()
    client = client_as(coordinator)
    step = reverse("quality:complaint_step", args=[complaint.pk])
    assert client.post(step, {"status": "acknowledged"}).status_code == 302
    response = client.post(step, {"status": "analysed", "note": ""})
    assert response.status_code == 400
    assert "Écrivez l&#x27;analyse" in response.content.decode()
    assert client.post(step, {"status": "bogus"}).status_code == 400


@pytest.mark.django_db
def test_the_export_holds_the_period_only_and_neutralises_formulas(client_as, coordinator):
    inside = _file(subject='=HYPERLINK("x")')
    outside = _file(subject="Ancienne")
    Complaint.objects.filter(pk=outside.pk).update(
        filed_at=timezone.now() - datetime.timedelta(days=400)
    )
    improvement_action_add(by=coordinator, complaint=inside, description="Relance J-15")
    today = timezone.localdate()
    response = client_as(coordinator).get(
        reverse("quality:complaint_export"),
        {"du": (today - datetime.timedelta(days=30)).isoformat(), "au": today.isoformat()},
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in text and "Ancienne" not in text and "Relance J-15" in text
    assert text.splitlines()[0].startswith("Numéro;Type;Déposée le;Par")


@pytest.mark.django_db
def test_the_export_is_for_the_coordination_and_needs_a_valid_period(
    client_as, coordinator, trainer
):
    url = reverse("quality:complaint_export")
    assert client_as(trainer).get(url, {"du": "2026-01-01", "au": "2026-12-31"}).status_code == 403
    response = client_as(coordinator).get(url, {"du": "2026-12-31", "au": "2026-01-01"})
    assert response.status_code == 200
    assert "précéder" in response.content.decode()


@pytest.mark.django_db
def test_a_session_can_be_named_and_the_register_lists_in_constant_queries(client_as, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = TrainingSessionFactory()
    _file(session=session)
    client = client_as(coordinator)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("quality:complaints")).status_code == 200
        return len(context.captured_queries)

    count()  # warm the per-process caches (site, settings)
    first = count()
    for _ in range(3):
        _file(session=session)
    assert count() == first


@pytest.mark.django_db
def test_an_action_is_marked_done_once(client_as, coordinator):
    complaint = _file()
    action = improvement_action_add(by=coordinator, complaint=complaint, description="Relance")
    client = client_as(coordinator)
    client.post(reverse("quality:improvement_action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    assert ImprovementAction.objects.count() == 1
