"""National tracker: maths with known numbers, screens, CSV exports, constant queries."""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.certification import tracker
from assessments.models import Certification, NationalTargetSettings
from tests.factories import (
    CertificationFactory,
    EnrolmentFactory,
    TerritoryFactory,
    TrainerFactory,
    TrainingSessionFactory,
    attend,
)

AS_OF = datetime.date(2026, 12, 31)
DEADLINE = datetime.date(2030, 12, 31)


def test_needed_and_current_pace_with_known_numbers():
    data = tracker.trajectory(
        certified_by_year={2024: 300, 2025: 900, 2026: 1200},
        last_12_months=1200,
        target=11500,
        deadline=DEADLINE,
        as_of=AS_OF,
    )
    assert data.total == 2400
    assert data.remaining == 9100
    assert data.months_left == Decimal("48.0")  # 1461 days / 30.4375
    assert data.needed_per_month == Decimal("189.6")  # 9100 / 48
    assert data.needed_per_year == 2276
    assert data.current_per_month == Decimal("100.0")
    assert not data.on_track
    assert data.pace_ratio == Decimal("52.7")
    # 9100 / 100 per month = 91 months = 2769.8 days, rounded up to 2770.
    assert data.projected_date == datetime.date(2034, 8, 1)
    assert [row.cumulative for row in data.years[:3]] == [300, 1200, 2400]
    assert data.years[-1].year == 2030
    assert data.years[-1].needed_cumulative == 11500
    assert data.years[2].needed_cumulative == 2400  # today's total on the needed line
    assert data.years[3].needed_cumulative == 2400 + round(9100 * 365 / 1461)


def test_reached_target_is_on_track_and_needs_nothing():
    data = tracker.trajectory(
        certified_by_year={2026: 12000},
        last_12_months=12000,
        target=11500,
        deadline=DEADLINE,
        as_of=AS_OF,
    )
    assert data.reached and data.on_track
    assert data.remaining == 0
    assert data.needed_per_month == 0
    assert data.percent == Decimal("100.0")


def test_no_certification_in_the_last_year_has_no_projected_date():
    data = tracker.trajectory(
        certified_by_year={2024: 10},
        last_12_months=0,
        target=100,
        deadline=DEADLINE,
        as_of=AS_OF,
    )
    assert data.projected_date is None
    assert not data.on_track


def test_a_very_slow_pace_has_no_projected_date_instead_of_overflowing():
    data = tracker.trajectory(
        certified_by_year={2026: 1},
        last_12_months=1,
        target=11500,
        deadline=DEADLINE,
        as_of=AS_OF,
    )
    assert data.projected_date is None
    assert data.needed_per_month == Decimal("239.6")


def test_past_deadline_has_no_needed_pace():
    data = tracker.trajectory(
        certified_by_year={2030: 10},
        last_12_months=10,
        target=100,
        deadline=DEADLINE,
        as_of=datetime.date(2031, 3, 1),
    )
    assert data.needed_per_month is None
    assert data.needed_per_year is None


def test_chart_lines_start_at_zero_and_end_at_the_target():
    data = tracker.trajectory(
        certified_by_year={2025: 500, 2026: 500},
        last_12_months=500,
        target=1000,
        deadline=datetime.date(2027, 12, 31),
        as_of=datetime.date(2026, 7, 1),
    )
    chart = tracker.chart(data, width=720, height=320)
    first_actual = chart.actual_points.split()[0]
    assert first_actual == f"{float(chart.left)},{float(chart.bottom)}"
    last_needed = chart.needed_points.split()[-1]
    assert last_needed.endswith(f",{chart.target_y}")
    assert chart.target_y == float(chart.top)


# --- Screens ---------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def _certified(count, session=None, day=datetime.date(2025, 5, 16)):
    session = session or TrainingSessionFactory(week1_start=datetime.date(2025, 4, 28))
    for _ in range(count):
        enrolment = EnrolmentFactory(session=session, status="completed")
        attend(enrolment, 30)
        CertificationFactory(enrolment=enrolment, certified_on=day)
    return session


@pytest.mark.django_db
def test_coordinator_sees_the_count_against_the_target(client_as, coordinator):
    _certified(3)
    html = client_as(coordinator).get("/tableau-national/").content.decode()
    assert 'data-testid="certified-total">3<' in html
    assert "sur 11\u202f500" in html
    assert "<svg" in html and "<title" in html and "<polyline" in html


@pytest.mark.django_db
def test_target_and_deadline_are_editable_settings(client_as, coordinator):
    settings = NationalTargetSettings.load()
    settings.target = 500
    settings.deadline = datetime.date(2028, 6, 30)
    settings.save()
    html = client_as(coordinator).get("/tableau-national/").content.decode()
    assert "sur 500" in html
    assert "30/06/2028" in html


@pytest.mark.django_db
def test_revoked_certifications_are_not_counted(client_as, coordinator):
    _certified(2)
    Certification.objects.filter(pk=Certification.objects.first().pk).update(status="revoked")
    html = client_as(coordinator).get("/tableau-national/").content.decode()
    assert 'data-testid="certified-total">1<' in html


@pytest.mark.django_db
def test_trainer_sees_only_their_sessions(client_as):
    trainer = TrainerFactory()
    _certified(2, TrainingSessionFactory(trainers=[trainer], name="Session du formateur"))
    _certified(3, TrainingSessionFactory(name="Session d'ailleurs"))
    html = client_as(trainer).get("/tableau-national/").content.decode()
    assert 'data-testid="certified-total">2<' in html
    assert "Session d&#x27;ailleurs" not in html and "Session d'ailleurs" not in html
    csv_text = client_as(trainer).get("/tableau-national/sessions.csv").content.decode("utf-8-sig")
    assert "Session du formateur" in csv_text
    assert "ailleurs" not in csv_text


@pytest.mark.django_db
def test_trainee_and_anonymous_cannot_open_the_tracker(client, client_as, trainee):
    assert client.get("/tableau-national/").status_code == 302
    assert client_as(trainee).get("/tableau-national/").status_code == 403
    assert client_as(trainee).get("/tableau-national/annees.csv").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "header"),
    [
        ("annees", "Année;Certifiés;Cumul;Cumul nécessaire"),
        ("territoires", "Territoire;Année;Sessions;Stagiaires;Certifiés"),
        ("sessions", "Session;Territoire;Début;Statut;Stagiaires;Certifiés"),
        ("indicateurs", "Indicateur;Valeur"),
    ],
)
def test_each_table_exports_as_csv(client_as, coordinator, table, header):
    territory = TerritoryFactory(name="Pays test", slug="pays-test")
    _certified(
        2, TrainingSessionFactory(territory=territory, week1_start=datetime.date(2025, 3, 3))
    )
    response = client_as(coordinator).get(f"/tableau-national/{table}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff" + header)
    if table == "territoires":
        assert "Pays test;2025;1;2;2" in text
    if table == "annees":
        assert "2025;2;2;" in text


@pytest.mark.django_db
def test_unknown_csv_table_is_404(client_as, coordinator):
    assert client_as(coordinator).get("/tableau-national/secret.csv").status_code == 404


@pytest.mark.django_db
def test_tracker_query_count_is_constant_in_the_number_of_certifications(client_as, coordinator):
    client = client_as(coordinator)
    _certified(2)
    client.get("/tableau-national/")
    with CaptureQueriesContext(connection) as few:
        client.get("/tableau-national/")
    # Read now: the next request clears the connection's query log (request_started), and the
    # slice `few.captured_queries` would then show the later request's queries.
    few_count = len(few.captured_queries)
    assert few_count > 5
    _certified(4, TrainingSessionFactory(week1_start=datetime.date(2026, 1, 5)))
    with CaptureQueriesContext(connection) as many:
        client.get("/tableau-national/")
    assert Certification.objects.count() == 6
    assert len(many.captured_queries) == few_count


@pytest.mark.django_db
def test_public_results_page_shows_aggregates_only(client):
    session = _certified(2)
    dropped = EnrolmentFactory(session=session, status="dropped")
    html = client.get("/resultats/").content.decode()
    assert "sessions réalisées" in html
    assert "satisfaction" in html
    assert "ensembliers certifiés" in html
    assert dropped.trainee.last_name not in html
    assert session.name not in html


@pytest.mark.django_db
def test_results_rates_with_known_numbers(client):
    session = _certified(3)
    EnrolmentFactory(session=session, status="dropped")
    from assessments.certification.selectors import tracker_figures

    figures = tracker_figures(None, datetime.date(2026, 1, 1))
    assert figures["ended"] == 4
    assert figures["success_rate"] == Decimal("75.0")
    assert figures["abandon_rate"] == Decimal("25.0")
    assert figures["attendance_rate"] == Decimal("100.0")
    assert figures["sessions_held"] == 1


@pytest.mark.django_db
def test_visitors_find_the_results_page_in_the_navigation(client, client_as, trainee):
    assert 'href="/resultats/"' in client.get("/certificats/verifier/").content.decode()
    html = client_as(trainee).get("/certificats/verifier/").content.decode()
    assert 'href="/resultats/"' not in html


@pytest.mark.django_db
def test_chart_coordinates_are_not_localised_with_french_commas(client_as, coordinator):
    _certified(2)
    html = client_as(coordinator).get("/tableau-national/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert not re.search(r'\b[xy]="\d+,\d', svg), "SVG coordinates must use a decimal point"


@pytest.mark.django_db
def test_coordinators_land_on_the_national_dashboard_after_login(client, coordinator):
    from tests.factories import DEFAULT_PASSWORD

    response = client.post(
        "/compte/connexion/",
        {"username": coordinator.email, "password": DEFAULT_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/tableau-national/"


@pytest.mark.django_db
def test_a_session_name_written_as_a_formula_is_neutralised_in_the_csv(client_as, coordinator):
    _certified(1, TrainingSessionFactory(name="=cmd|' /C calc'!A0"))
    text = client_as(coordinator).get("/tableau-national/sessions.csv").content.decode("utf-8-sig")
    assert "\r\n'=cmd|' /C calc'!A0;" in text


# --- People, not enrolments (one person in two sessions) ---------------------------------------


@pytest.mark.django_db
def test_one_person_in_two_sessions_counts_once_in_training():
    as_of = datetime.date(2026, 3, 11)
    territory = TerritoryFactory(name="Pays double", slug="pays-double")
    first = TrainingSessionFactory(territory=territory, week1_start=datetime.date(2026, 3, 2))
    second = TrainingSessionFactory(territory=territory, week1_start=datetime.date(2026, 3, 9))
    person = EnrolmentFactory(session=first, status="in_training").trainee
    EnrolmentFactory(session=second, trainee=person, status="in_training")
    EnrolmentFactory(session=second, status="in_training")
    from assessments.certification.selectors import tracker_figures

    figures = tracker_figures(None, as_of)
    assert figures["in_training"] == 2
    row = next(row for row in figures["by_territory"] if row["territory"] == "Pays double")
    assert row["sessions"] == 2 and row["trainees"] == 2
    assert sorted(session.trainees for session in figures["sessions"]) == [1, 2]


@pytest.mark.django_db
def test_a_person_who_dropped_then_completed_and_was_certified_is_a_success():
    dropped_in = TrainingSessionFactory(week1_start=datetime.date(2025, 1, 6))
    person = EnrolmentFactory(session=dropped_in, status="dropped").trainee
    completed_in = TrainingSessionFactory(week1_start=datetime.date(2025, 4, 28))
    enrolment = EnrolmentFactory(session=completed_in, trainee=person, status="completed")
    CertificationFactory(enrolment=enrolment, certified_on=datetime.date(2025, 5, 16))
    EnrolmentFactory(session=completed_in, status="dropped")  # another person, abandoned
    from assessments.certification.selectors import tracker_figures

    figures = tracker_figures(None, datetime.date(2026, 1, 1))
    assert figures["ended"] == 2  # two people, three enrolments
    assert figures["dropped"] == 1
    assert figures["certified_of_ended"] == 1
    assert figures["success_rate"] == Decimal("50.0")
    assert figures["abandon_rate"] == Decimal("50.0")
    assert figures["completion_rate"] == Decimal("50.0")


@pytest.mark.django_db
def test_a_person_who_dropped_twice_counts_once_in_the_abandon_rate():
    person = EnrolmentFactory(
        session=TrainingSessionFactory(week1_start=datetime.date(2025, 1, 6)), status="dropped"
    ).trainee
    EnrolmentFactory(
        session=TrainingSessionFactory(week1_start=datetime.date(2025, 4, 28)),
        trainee=person,
        status="dropped",
    )
    from assessments.certification.selectors import tracker_figures

    figures = tracker_figures(None, datetime.date(2026, 1, 1))
    assert (figures["ended"], figures["dropped"]) == (1, 1)
    assert figures["abandon_rate"] == Decimal("100.0")
