"""The national tracker counts people sensibilised (by territory, role, year) and referrals
sent, for the national coordination only; purging referrals keeps the count."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.awareness import services
from assessments.awareness.models import Attestation

pytestmark = pytest.mark.django_db


def attest(user, territory, role, day, number):
    return Attestation.objects.create(
        number=f"SEN-{day.year}-{number:05d}-K7QF",
        user=user,
        holder_name=user.get_full_name(),
        role=role,
        territory=territory,
        issued_on=day,
        course_title="Sensibilisation au repérage",
    )


def test_the_tracker_counts_people_sensibilised_and_referrals(
    client_as, coordinator, territory, ensemblier, volunteer, trainee
):
    attest(volunteer, territory, "benevole", datetime.date(2026, 3, 1), 1)
    attest(trainee, territory, "benevole", datetime.date(2026, 5, 1), 2)
    attest(coordinator, None, "elu", datetime.date(2025, 5, 1), 3)
    services.referral_send(
        sender=volunteer,
        ensemblier=ensemblier,
        territory=territory,
        contact="Mme Durand",
        commune="Trèbes",
        consent=True,
    )
    services.referral_purge(now=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
    client = client_as(coordinator)
    response = client.get("/tableau-national/")
    html = response.content.decode()
    assert response.context["awareness"]["sensibilised_total"] == 3
    assert response.context["awareness"]["referrals_total"] == 1  # purged, still counted
    assert {
        "year": 2026,
        "territory": "Carcassonne Agglo",
        "role": "Bénévole",
        "count": 2,
    } in response.context["awareness"]["sensibilised"]
    assert "Sensibilisation et repérage" in html

    csv = client.get("/tableau-national/sensibilises.csv").content.decode("utf-8-sig")
    assert "2026;Carcassonne Agglo;Bénévole;2" in csv
    assert "2025;Hors territoire;Élu·e;1" in csv
    csv = client.get("/tableau-national/orientations.csv").content.decode("utf-8-sig")
    assert f"{datetime.date.today().year};Carcassonne Agglo;1" in csv


def test_trainers_see_no_national_awareness_figures(client_as, trainer):
    client = client_as(trainer)
    assert client.get("/tableau-national/").context["awareness"] is None
    assert client.get("/tableau-national/sensibilises.csv").status_code == 403


def test_awareness_figures_cost_constant_queries(
    client_as, coordinator, territory, volunteer, trainee
):
    client = client_as(coordinator)
    attest(volunteer, territory, "benevole", datetime.date(2026, 3, 1), 1)
    client.get("/tableau-national/")
    with CaptureQueriesContext(connection) as few:
        client.get("/tableau-national/")
    # Read now: every request clears the connection's query log (request_started).
    few_count = len(few.captured_queries)
    assert few_count > 5
    attest(trainee, territory, "artisan", datetime.date(2025, 3, 1), 2)
    attest(coordinator, None, "elu", datetime.date(2024, 3, 1), 3)
    with CaptureQueriesContext(connection) as many:
        client.get("/tableau-national/")
    assert len(many.captured_queries) == few_count
