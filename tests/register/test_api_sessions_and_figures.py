"""/api/v1/sessions (what the public session pages show) and /api/v1/chiffres (the tracker's
counts, every certified person included, small counts secret)."""

import datetime

import pytest

from assessments.certification.models import Certification
from modules.models import TrainingSession
from tests.factories import (
    CertificationFactory,
    EnrolmentFactory,
    TrainerFactory,
    TrainingSessionFactory,
    build_programme,
)

from .conftest import certified

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions"
FIGURES = "/api/v1/chiffres"


@pytest.fixture
def calendar(home_page):
    return build_programme(home_page)


def test_sessions_show_the_public_page_facts_and_nothing_of_drafts(client, calendar, territory):
    trainer = TrainerFactory(first_name="Karim", last_name="Benali")
    session = TrainingSessionFactory(
        name="Session de Carcassonne",
        slug="carcassonne-2027",
        territory=territory,
        venue="Maison des solidarités",
        week1_start=datetime.date(2027, 3, 1),
        trainers=[trainer],
        capacity=40,
    )
    EnrolmentFactory(session=session, funder="FINANCEUR-SECRET")
    TrainingSessionFactory(status=TrainingSession.Status.DRAFT, slug="brouillon")
    response = client.get(SESSIONS)
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1
    row = data["resultats"][0]
    assert row["slug"] == "carcassonne-2027"
    assert row["territoire"] == {"slug": "carcassonne-agglo", "nom": "Carcassonne Agglo"}
    assert row["lieu"] == "Maison des solidarités"
    assert row["statut"] == "ouverte" and row["statut_libelle"] == "Inscriptions ouvertes"
    assert row["semaines"] == ["2027-03-01", "2027-03-08", "2027-03-15"]
    assert row["premier_jour"] == "2027-03-01" and row["dernier_jour"] == "2027-03-19"
    assert (row["capacite"], row["inscrits"], row["places_disponibles"]) == (40, 1, 39)
    assert row["formateurs"] == ["Karim Benali"]
    assert row["page"].endswith("/programme/sessions/carcassonne-2027/")
    assert row["ical"].endswith("/programme/sessions/carcassonne-2027/ical/")
    assert client.get(row["page"]).status_code == 200
    body = response.content.decode()
    assert "FINANCEUR-SECRET" not in body and "brouillon" not in body


def test_sessions_filter_by_territory_and_year(client, calendar, territory, other_territory):
    a = TrainingSessionFactory(territory=territory, week1_start=datetime.date(2026, 12, 14))
    b = TrainingSessionFactory(territory=other_territory, week1_start=datetime.date(2027, 5, 3))

    def slugs(**params):
        response = client.get(SESSIONS, params)
        assert response.status_code == 200, response.content
        return [row["slug"] for row in response.json()["resultats"]]

    assert slugs() == [a.slug, b.slug]
    assert slugs(territoire="kreiz-breizh") == [b.slug]
    # The December session ends in January: listed under both years, as on the calendar.
    assert slugs(annee=2026) == [a.slug]
    assert slugs(annee=2027) == [a.slug, b.slug]
    assert client.get(SESSIONS, {"annee": "x"}).status_code == 422


def test_sessions_query_count_is_constant(client, calendar, django_assert_num_queries):
    TrainingSessionFactory(trainers=[TrainerFactory()])
    client.get(SESSIONS)  # the site and its root paths are kept after the first request
    # Sessions, their trainers, the calendar page.
    with django_assert_num_queries(3):
        client.get(SESSIONS)
    for _ in range(6):
        TrainingSessionFactory(trainers=[TrainerFactory(), TrainerFactory()])
    with django_assert_num_queries(3):
        assert client.get(SESSIONS).json()["total"] == 7


def test_figures_count_everybody_certified_as_numbers_only(client, territory):
    day = datetime.date(2026, 6, 1)
    for consent in (True, False, False, False, False, False):
        certified(
            consent=consent,
            territory=territory,
            certified_on=day,
            enrolment__session__week1_start=datetime.date(2026, 3, 2),
        )
    names = [c.holder_name for c in Certification.objects.all()]
    response = client.get(FIGURES)
    assert response.status_code == 200
    data = response.json()
    assert data["certifies"] == 6
    assert data["objectif"] == 11500
    assert {"annee": 2026, "certifies": 6, "cumul": 6, "secret": False} in data["par_annee"]
    assert data["par_territoire"] == [
        {
            "territoire": {"slug": "carcassonne-agglo", "nom": "Carcassonne Agglo"},
            "annee": 2026,
            "sessions": 6,
            "certifies": 6,
            "secret": False,
        }
    ]
    body = response.content.decode()
    assert not any(name in body for name in names)


def test_figures_hide_small_counts_by_territory_and_year(client, territory, other_territory):
    start = datetime.date(2026, 3, 2)
    big = TrainingSessionFactory(territory=territory, week1_start=start)
    for _ in range(7):
        CertificationFactory(enrolment__session=big)
    small = TrainingSessionFactory(territory=other_territory, week1_start=start)
    CertificationFactory(enrolment__session=small)
    data = client.get(FIGURES).json()
    rows = {row["territoire"]["slug"]: row for row in data["par_territoire"]}
    assert rows["kreiz-breizh"]["certifies"] is None and rows["kreiz-breizh"]["secret"]
    # The only other cell is hidden too: the national total would give the small one away.
    assert rows["carcassonne-agglo"]["certifies"] is None
    assert data["certifies"] == 8
    filtered = client.get(FIGURES, {"territoire": "kreiz-breizh"}).json()
    assert [row["territoire"]["slug"] for row in filtered["par_territoire"]] == ["kreiz-breizh"]
    assert filtered["par_territoire"][0]["certifies"] is None


def test_a_small_count_cannot_be_worked_out_from_its_year_total(client, territory, other_territory):
    """Carcassonne 2025: 5, 2026: 2; Kreiz Breizh 2025: 6, 2026: 5. Hiding Carcassonne 2026
    with Carcassonne 2025 (the smallest other cell) would leave 2026's total (7) minus Kreiz
    Breizh 2026 (5) = 2: the second hidden cell must be taken in 2026."""
    cells = {(territory, 2025): 5, (territory, 2026): 2, (other_territory, 2025): 6,
             (other_territory, 2026): 5}  # fmt: skip
    mondays = {2025: datetime.date(2025, 3, 3), 2026: datetime.date(2026, 3, 2)}
    for (place, year), count in cells.items():
        session = TrainingSessionFactory(territory=place, week1_start=mondays[year])
        for _ in range(count):
            CertificationFactory(enrolment__session=session, certified_on=datetime.date(year, 4, 1))
    data = client.get(FIGURES).json()
    shown = {
        (row["territoire"]["slug"], row["annee"]): row["certifies"]
        for row in data["par_territoire"]
    }
    per_year = {row["annee"]: row["certifies"] for row in data["par_annee"]}
    assert shown[("carcassonne-agglo", 2026)] is None
    for year in (2025, 2026):
        hidden = [key for key, count in shown.items() if key[1] == year and count is None]
        visible = sum(count for key, count in shown.items() if key[1] == year and count)
        assert len(hidden) != 1, f"{year}: {per_year[year]} - {visible} gives the hidden count"


def test_figures_use_the_tracker_numbers(client, territory, other_territory):
    from django.utils import timezone

    from assessments.certification.selectors import tracker_figures

    for place in (territory, other_territory):
        for _ in range(5):
            CertificationFactory(
                enrolment__session__territory=place, certified_on=datetime.date(2026, 1, 5)
            )
    data = client.get(FIGURES).json()
    tracker = tracker_figures(None, timezone.localdate())
    assert data["certifies"] == tracker["trajectory"].total
    assert data["rythme_necessaire_par_an"] == tracker["trajectory"].needed_per_year
    per_year = {row["annee"]: row["certifies"] for row in data["par_annee"]}
    assert per_year == {
        row.year: row.certified
        for row in tracker["trajectory"].years
        if row.year <= timezone.localdate().year
    }
    # The cells of a year add up to that year's figure (counted by year of decision).
    assert sum(r["certifies"] for r in data["par_territoire"] if r["annee"] == 2026) == 10


def test_a_year_with_one_territory_does_not_show_its_count_through_the_year_total(
    client, territory, other_territory
):
    """2025: Carcassonne 6, Kreiz Breizh 7; 2026: Carcassonne 2 and nobody else. Publishing
    2026's figure (2) would publish Carcassonne's secret count; hiding it alone would leave the
    national total (15) minus 2025's (13). Both years' figures are hidden, with a 2025 cell."""
    cells = {(territory, 2025): 6, (other_territory, 2025): 7, (territory, 2026): 2}
    for (place, year), count in cells.items():
        for _ in range(count):
            CertificationFactory(
                enrolment__session__territory=place, certified_on=datetime.date(year, 4, 1)
            )
    data = client.get(FIGURES).json()
    assert data["certifies"] == 15
    per_year = {row["annee"]: row for row in data["par_annee"]}
    assert per_year[2026]["certifies"] is None and per_year[2026]["secret"]
    assert per_year[2025]["certifies"] is None and per_year[2025]["secret"]
    assert per_year[2025]["cumul"] is None  # 2025's running total is 2025's figure
    assert per_year[2026]["cumul"] == 15  # the national total, public anyway
    shown = {(r["territoire"]["slug"], r["annee"]): r["certifies"] for r in data["par_territoire"]}
    assert shown[("carcassonne-agglo", 2026)] is None
    hidden_2025 = [key for key, count in shown.items() if key[1] == 2025 and count is None]
    assert hidden_2025 == [("carcassonne-agglo", 2025)]
    # The last 12 months would be 2026's figure (2025's certificates are older than a year).
    assert data["derniers_12_mois"] is None and data["date_projetee"] is None
    # Everything an attacker can subtract leaves two unknowns adding up to 8.
    visible = sum(count for count in shown.values() if count is not None)
    assert data["certifies"] - visible == 8


def test_figures_query_count_is_constant(client, territory, django_assert_num_queries):
    CertificationFactory()
    client.get(FIGURES)  # the national target setting is created on first read
    # The target, the trajectory (2), the territory × year table (2).
    with django_assert_num_queries(5):
        client.get(FIGURES)
    for _ in range(8):
        CertificationFactory()
    client.get(FIGURES)  # the national target setting is created on first read
    # The target, the trajectory (2), the territory × year table (2).
    with django_assert_num_queries(5):
        client.get(FIGURES)


def test_a_session_shows_its_half_days_like_its_public_page(client, calendar, territory):
    session = TrainingSessionFactory(
        slug="carcassonne-mars", territory=territory, week1_start=datetime.date(2027, 3, 1)
    )
    slot = session.slots.order_by("day_number", "half").first()
    slot.room = "Salle Garonne"
    slot.save()
    response = client.get("/api/v1/sessions/carcassonne-mars")
    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == "carcassonne-mars"
    assert data["territoire"]["slug"] == "carcassonne-agglo"
    halves = data["demi_journees"]
    assert len(halves) == 30
    first = halves[0]
    assert (first["jour"], first["semaine"], first["demi_journee"]) == (1, 1, "matin")
    assert first["date"] == "2027-03-01" and first["salle"] == "Salle Garonne"
    assert first["modules"] and first["modules"][0]["page"].endswith("/programme/module-1/")
    assert halves[-1]["jour"] == 15 and halves[-1]["demi_journee"] == "apres_midi"


def test_an_unknown_or_draft_session_is_a_french_404(client, calendar):
    TrainingSessionFactory(slug="brouillon", status=TrainingSession.Status.DRAFT)
    for slug in ("inconnue", "brouillon"):
        response = client.get(f"/api/v1/sessions/{slug}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Introuvable."}
    assert client.get("/api/v1/sessions/pas%20un%20slug").status_code == 422


def test_a_session_is_read_in_constant_queries(client, calendar, django_assert_num_queries):
    session = TrainingSessionFactory(trainers=[TrainerFactory(), TrainerFactory()])
    client.get(f"/api/v1/sessions/{session.slug}")  # the site is kept after the first request
    # Session, trainers, calendar page, the half-days, their modules.
    with django_assert_num_queries(5):
        assert len(client.get(f"/api/v1/sessions/{session.slug}").json()["demi_journees"]) == 30
