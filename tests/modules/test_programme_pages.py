"""Programme, module and session calendar pages: tree rules, rendering, access, query counts."""

import datetime

from wagtail.test.utils import WagtailPageTestCase

import pytest

from lms.models import HomePage
from modules.models import ModulePage, ProgrammePage, SessionCalendarPage, TrainingSession
from tests.factories import EnrolmentFactory, TerritoryFactory, TrainingSessionFactory
from tests.factories.modules import build_programme

D = datetime.date


class PageTreeRulesTests(WagtailPageTestCase):
    def test_programme_goes_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, ProgrammePage)
        self.assertCanNotCreateAt(ProgrammePage, ProgrammePage)
        self.assertCanNotCreateAt(ModulePage, ProgrammePage)

    def test_modules_and_calendar_go_under_the_programme_only(self):
        self.assertCanCreateAt(ProgrammePage, ModulePage)
        self.assertCanCreateAt(ProgrammePage, SessionCalendarPage)
        self.assertCanNotCreateAt(HomePage, ModulePage)
        self.assertCanNotCreateAt(HomePage, SessionCalendarPage)

    def test_modules_and_calendar_are_leaves(self):
        self.assertCanNotCreateAt(ModulePage, ModulePage)
        self.assertCanNotCreateAt(SessionCalendarPage, ModulePage)

    def test_programme_and_calendar_are_singletons(self):
        self.assertEqual(ProgrammePage.max_count, 1)
        self.assertEqual(SessionCalendarPage.max_count, 1)


@pytest.fixture
def programme(home_page):
    return build_programme(home_page)


@pytest.fixture
def calendar_url(programme):
    return SessionCalendarPage.objects.get().url


def queries_for(client, url) -> int:
    """Queries of a GET rendered (not served from the visitors' page cache) once the
    per-process caches (site root paths, content types) are warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms import pagecache

    client.get(url)
    pagecache.bump(pagecache.SITE)  # the stored copy is out of date: rendered again
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def make_session(week1, **kwargs):
    return TrainingSessionFactory(
        week1_start=week1,
        week2_start=week1 + datetime.timedelta(weeks=1),
        week3_start=week1 + datetime.timedelta(weeks=3),
        **kwargs,
    )


# --- Programme ---------------------------------------------------------------------------------


def test_visitor_reads_the_programme_with_timetable_and_modules(client, programme):
    response = client.get("/programme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Ensemblier Solidaire</strong>" in html  # Markdown rendered
    assert "referent-handicap@ensemblier.example" in html
    for week in (1, 2, 3):
        assert f"<caption>Semaine {week}</caption>" in html
    assert html.count('<th scope="row">Jour ') == 15
    assert 'href="/programme/module-1/">Module 1 — Titre du module 1</a>' in html
    assert "Module 12 — Titre du module 12" in html
    assert "modules 3 à 8" in html  # C2's range
    assert "Titre de travail" in html


def test_navigation_names_redirect_to_the_live_pages(client, programme):
    assert client.get("/formation/programme/")["Location"] == "/programme/"
    assert client.get("/formation/sessions/")["Location"] == "/programme/sessions/"


def test_navigation_redirect_is_a_404_before_the_programme_exists(client, db):
    assert client.get("/formation/programme/").status_code == 404


def test_programme_page_query_count_is_constant(client, programme, django_assert_num_queries):
    for _ in range(3):
        make_session(D(2026, 3, 2))
    count = queries_for(client, "/programme/")
    assert count <= 12
    for _ in range(6):
        make_session(D(2026, 3, 2))
    with django_assert_num_queries(count):
        assert client.get("/programme/").status_code == 200


# --- Module access -----------------------------------------------------------------------------

FULL = "Contenu complet réservé du module 1."
NOTES = "Note secrète pour formateurs 1."


def test_visitor_sees_the_summary_and_is_invited_to_log_in(client, programme):
    html = client.get("/programme/module-1/").content.decode()
    assert "Résumé public du module 1." in html
    assert "Expliquer une chose" in html
    assert FULL not in html and NOTES not in html
    assert "/compte/connexion/?next=/programme/module-1/" in html
    assert 'rel="next" href="/programme/module-2/"' in html
    assert 'rel="prev"' not in html


def test_enrolled_trainee_reads_the_full_module_but_not_trainer_notes(
    client_as, programme, trainee
):
    EnrolmentFactory(trainee=trainee)
    html = client_as(trainee).get("/programme/module-1/").content.decode()
    assert FULL in html
    assert "À retenir" in html  # callout block
    assert NOTES not in html


def test_non_enrolled_trainee_gets_a_clear_message(client_as, programme, trainee):
    html = client_as(trainee).get("/programme/module-1/").content.decode()
    assert FULL not in html
    assert "inscrit·e à aucune session" in html


def test_dropped_trainee_loses_the_full_content(client_as, programme, trainee):
    EnrolmentFactory(trainee=trainee, status="dropped")
    assert FULL not in client_as(trainee).get("/programme/module-1/").content.decode()


@pytest.mark.parametrize("who", ["trainer", "coordinator", "superuser"])
def test_staff_read_full_content_and_trainer_notes(client_as, programme, request, who):
    user = request.getfixturevalue(who)
    html = client_as(user).get("/programme/module-12/").content.decode()
    assert "Contenu complet réservé du module 12." in html
    assert "Note secrète pour formateurs 12." in html
    assert 'rel="prev" href="/programme/module-11/"' in html


def test_enrolled_trainee_module_page_query_count(
    client_as, programme, trainee, coordinator, django_assert_num_queries
):
    """Warm: the page found from its path (2), its view restrictions (2), the session, the
    user, their roles, the enrolment and the unread count. The breadcrumb, the competency,
    the neighbours and the activities are shared by every reader (lms.shared); an edit of the
    competency or of the programme's address is seen on the next request."""
    EnrolmentFactory(trainee=trainee)
    client = client_as(trainee)
    client.get("/programme/module-4/")
    with django_assert_num_queries(9):
        html = client.get("/programme/module-4/").content.decode()
    assert '<a href="/programme/">Programme</a> › Module 4' in html
    competency = ModulePage.objects.get(number=4).competency
    assert f"{competency.code} · {competency.title}</span>" in html
    competency.title = "Financer le projet autrement"
    competency.save()
    html = client.get("/programme/module-4/").content.decode()
    assert f"{competency.code} · Financer le projet autrement</span>" in html
    programme_page = ProgrammePage.objects.get()
    programme_page.slug = "formation"
    programme_page.save_revision(user=coordinator).publish(user=coordinator)
    html = client.get("/formation/module-4/").content.decode()
    assert '<a href="/formation/">Programme</a> › Module 4' in html
    assert 'rel="next" href="/formation/module-5/"' in html


# --- Session calendar --------------------------------------------------------------------------


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("modules.selectors.today", lambda: D(2026, 3, 11))
    return D(2026, 3, 11)


def test_calendar_groups_sessions_by_timing(client, calendar_url, fixed_today):
    make_session(D(2026, 3, 2), name="Session en cours")
    make_session(D(2026, 5, 4), name="Session à venir")
    make_session(D(2026, 1, 5), name="Session passée")
    make_session(D(2026, 6, 1), name="Brouillon caché", status=TrainingSession.Status.DRAFT)
    html = client.get(calendar_url).content.decode()
    en_cours, a_venir, passees = (
        html.index(f'id="{a}"') for a in ("en-cours", "a-venir", "passees")
    )
    assert en_cours < html.index("Session en cours") < a_venir
    assert a_venir < html.index("Session à venir") < passees
    assert passees < html.index("Session passée")
    assert "Brouillon caché" not in html


def test_calendar_filters_by_territory_and_year(client, calendar_url, fixed_today):
    laval = TerritoryFactory(name="Laval", slug="laval")
    make_session(D(2026, 3, 2), name="À Laval", territory=laval)
    make_session(D(2027, 3, 1), name="À Laval l'an prochain", territory=laval)
    make_session(D(2026, 3, 2), name="Ailleurs")
    html = client.get(calendar_url, {"territoire": "laval", "annee": "2026"}).content.decode()
    assert "À Laval" in html
    assert "l'an prochain" not in html and "Ailleurs" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"territoire": "atlantide"}, "Ce territoire n&#x27;a pas de session"),
        ({"annee": "deux-mille"}, "Aucune session cette année-là"),
        ({"annee": "1999"}, "Aucune session cette année-là"),
    ],
)
def test_calendar_bad_filters_give_a_french_message_not_an_error(
    client, calendar_url, fixed_today, params, message
):
    make_session(D(2026, 3, 2), name="Toujours listée")
    response = client.get(calendar_url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Toujours listée" in html


def test_session_page_shows_weeks_slots_seats_and_ical_link(
    client, calendar_url, fixed_today, trainer
):
    session = make_session(D(2026, 3, 2), name="Session de Laval", capacity=20, trainers=[trainer])
    EnrolmentFactory.create_batch(3, session=session)
    EnrolmentFactory(session=session, status="dropped")
    html = client.get(f"{calendar_url}{session.slug}/").content.decode()
    assert "Session de Laval" in html
    assert "17 disponibles" in html and "3 inscrit·es" in html
    assert html.count('<th scope="row">Jour ') == 30
    assert "Karim Benali" in html
    assert "Semaine 3" in html and "lundi 23 mars" in html
    assert 'href="/programme/module-12/"' in html
    assert f'href="{calendar_url}{session.slug}/ical/"' in html


def test_unknown_or_draft_session_is_a_404(client, calendar_url):
    draft = make_session(D(2026, 3, 2), status=TrainingSession.Status.DRAFT)
    assert client.get(f"{calendar_url}inconnue/").status_code == 404
    assert client.get(f"{calendar_url}{draft.slug}/").status_code == 404


def test_calendar_query_count_is_constant_in_the_number_of_sessions(
    client, calendar_url, fixed_today, django_assert_num_queries
):
    for index in range(3):
        make_session(D(2026, 1, 5) + datetime.timedelta(weeks=8 * index))
    count = queries_for(client, calendar_url)
    for index in range(6):
        session = make_session(D(2026, 2, 2) + datetime.timedelta(weeks=4 * index))
        EnrolmentFactory.create_batch(2, session=session)
    with django_assert_num_queries(count):
        assert client.get(calendar_url).status_code == 200


def test_session_page_query_count_is_constant_in_the_number_of_trainees(
    client, calendar_url, fixed_today, django_assert_num_queries
):
    session = make_session(D(2026, 3, 2))
    EnrolmentFactory.create_batch(2, session=session)
    count = queries_for(client, f"{calendar_url}{session.slug}/")
    EnrolmentFactory.create_batch(4, session=session)
    with django_assert_num_queries(count):
        client.get(f"{calendar_url}{session.slug}/")


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [(9, 3, "last_module"), (0, 2, "first_module"), (1, 13, "last_module")],
)
@pytest.mark.django_db
def test_a_competency_module_range_must_make_sense(first, last, field):
    from django.core.exceptions import ValidationError

    from modules.models import Competency

    competency = Competency(code="C9", title="Essai", first_module=first, last_module=last)
    with pytest.raises(ValidationError) as error:
        competency.full_clean()
    assert field in error.value.message_dict
