"""generate_load_data at a small scale: counts, consistency, refusals."""

import io

from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings

import pytest

from assessments.models import Attempt, CertificateNumberCounter, Certification
from modules.models import Attendance, Enrolment, SessionSlot, TrainingSession

pytestmark = pytest.mark.django_db


def test_small_run_creates_consistent_national_data(client_as, coordinator):
    out = io.StringIO()
    call_command("generate_load_data", scale=0.01, stdout=out)
    assert TrainingSession.objects.filter(slug__startswith="charge-").count() == 6
    assert SessionSlot.objects.filter(session__slug__startswith="charge-").count() == 180
    assert Certification.objects.count() == 115
    assert Attempt.objects.filter(status="graded").count() == 600
    # Each attempt belongs to the enrolment (the session) it was taken in (modules.access).
    assert not Attempt.objects.exclude(enrolment__trainee_id=F("trainee_id")).exists()
    enrolments = Enrolment.objects.filter(session__slug__startswith="charge-").count()
    assert Attendance.objects.count() == enrolments * 30
    # Every certificate number is unique and the yearly counters continue after them.
    numbers = list(Certification.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    for counter in CertificateNumberCounter.objects.all():
        assert Certification.objects.filter(number__startswith=f"ENS-{counter.year}-").count() == (
            counter.last_value
        )
    html = client_as(coordinator).get("/tableau-national/").content.decode()
    assert 'data-testid="certified-total">115<' in html
    assert "Données de charge" in out.getvalue()


def test_a_second_run_on_the_same_database_is_refused():
    call_command("generate_load_data", scale=0.002, attempts=0, stdout=io.StringIO())
    with pytest.raises(CommandError, match="existent déjà"):
        call_command("generate_load_data", scale=0.002, stdout=io.StringIO())


@override_settings(DEMO_SEED_ALLOWED=False)
def test_refuses_production_settings():
    with pytest.raises(CommandError, match="production"):
        call_command("generate_load_data", scale=0.002, stdout=io.StringIO())
    assert not TrainingSession.objects.exists()


def test_seed_certifies_a_few_past_ensembliers_once():
    import datetime

    from assessments.certification.seed import seed_certification
    from tests.factories import TrainerFactory, TrainingSessionFactory

    past = TrainingSessionFactory(
        week1_start=datetime.date(2025, 3, 3), trainers=[TrainerFactory()]
    )
    TrainingSessionFactory()  # upcoming: left alone
    assert seed_certification() == 6
    assert seed_certification() == 0
    certifications = Certification.objects.filter(session=past)
    assert certifications.count() == 6
    assert {c.number[:9] for c in certifications} == {"ENS-2025-"}
    assert {c.certified_on for c in certifications} == {datetime.date(2025, 3, 21)}
    assert certifications.filter(attended_hours="105.0").count() == 5


def test_runs_on_a_database_where_the_demo_was_seeded_first():
    call_command("seed_demo", stdout=io.StringIO())
    before = set(Certification.objects.values_list("number", flat=True))
    assert before  # the demo certifies a few past ensembliers
    call_command("generate_load_data", scale=0.002, attempts=0, stdout=io.StringIO())
    numbers = list(Certification.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) > len(before)
    assert before <= set(numbers)
    for counter in CertificateNumberCounter.objects.all():
        assert Certification.objects.filter(number__startswith=f"ENS-{counter.year}-").count() == (
            counter.last_value
        )


def test_running_sessions_give_trainees_who_log_in_and_sign_today(client, monkeypatch):
    from django.utils import timezone

    from lms.models import User
    from modules import clock

    call_command(
        "generate_load_data",
        scale=0.002,
        attempts=0,
        no_attendance=True,
        running_sessions=3,
        running_trainees=10,
        password="charge-2026",
        stdout=io.StringIO(),
    )
    running = TrainingSession.objects.filter(slug__startswith="charge-en-cours-")
    assert running.count() == 3
    assert all(session.trainers.count() == 1 for session in running)
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(session__in=running, status="in_training")
    assert enrolments.count() == 10
    # Today is week 2's first day: a morning and an afternoon to sign in every session.
    assert SessionSlot.objects.filter(session__in=running, date=today).count() == 6
    trainee = User.objects.get(pk=enrolments.order_by("pk").first().trainee_id)
    assert trainee.check_password("charge-2026")
    client.force_login(trainee)
    morning = SessionSlot.objects.get(
        session_id=enrolments.get(trainee=trainee).session_id, date=today, half="am"
    )
    noon = timezone.make_aware(
        timezone.datetime.combine(today, morning.start_time), timezone.get_current_timezone()
    )
    monkeypatch.setattr(clock, "now", lambda: noon)
    response = client.post(f"/emargement/{morning.pk}/signer/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert Attendance.objects.get(slot=morning).trainee_signed_at is not None
