"""The visitors' page cache (lms.pagecache): what is stored, for whom, and when it is forgotten.

Invalidation goes through the real write paths: a Wagtail revision published, a page unpublished
or moved, a session, half-day, trainer, enrolment, certificate or attendance saved. No personal
data ever comes out of the shared cache: two trainees on the same pages each see their own, a
logged-in rendering is never stored, a visitor never gets one.
"""

import datetime
import pickle

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

import pytest

from lms import pagecache
from modules.models import ModulePage, SessionCalendarPage, SessionSlot
from tests.factories import EnrolmentFactory, TrainingSessionFactory
from tests.factories.certification import CertificationFactory
from tests.factories.modules import build_programme

HEADER = pagecache.HEADER


@pytest.fixture
def programme(home_page):
    return build_programme(home_page)


@pytest.fixture
def module(programme):
    return ModulePage.objects.get(number=9)


@pytest.fixture
def session(programme, trainer):
    return TrainingSessionFactory(name="Session de Laval", trainers=[trainer])


@pytest.fixture
def session_url(session):
    return SessionCalendarPage.objects.get().session_url(session)


def visit(client, url):
    """A visitor's GET (the test client keeps no cookie from visitor pages)."""
    response = client.get(url)
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    return response


def stored(client, url):
    """Visit until the page is served from the cache (the first visits may create settings
    rows, which changes the generation), then return that response."""
    for _ in range(3):
        response = visit(client, url)
        if response.get(HEADER) == "hit":
            return response
    raise AssertionError(f"{url} never served from the page cache")


def stored_pages() -> list[str]:
    """The HTML of every response in the page cache (the test cache is in memory)."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    pages = []
    for value in list(cache._cache.values()):
        item = pickle.loads(value)  # noqa: S301 - our own test cache
        if isinstance(item, HttpResponse):
            pages.append(item.content.decode())
    return pages


# --- Stored for visitors ------------------------------------------------------------------------


PUBLIC_PAGES = ["/", "/programme/", "/programme/module-9/", "/programme/sessions/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_served_to_visitors_from_the_cache_without_sql(
    client, programme, path, django_assert_num_queries
):
    first = stored(client, path)
    assert first.status_code == 200
    assert "Cookie" in first["Vary"]
    with django_assert_num_queries(0):
        again = visit(client, path)
    assert again.get(HEADER) == "hit"
    assert again.content == first.content
    assert "Cookie" in again["Vary"]


def test_session_page_and_results_are_cached_for_visitors(
    client, session_url, django_assert_num_queries
):
    for path in (session_url, "/resultats/"):
        stored(client, path)
        with django_assert_num_queries(0):
            assert visit(client, path).get(HEADER) == "hit"


def test_head_is_answered_from_the_stored_get(client, programme):
    stored(client, "/programme/")
    assert client.head("/programme/").get(HEADER) == "hit"


def test_cached_pages_carry_a_fresh_csp_header_and_no_nonce(client, programme):
    stored(client, "/programme/")
    response = visit(client, "/programme/")
    assert response.get(HEADER) == "hit"
    policy = response["Content-Security-Policy"]
    assert "nonce-" not in policy
    assert "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"


# --- Invalidated by the real write paths -------------------------------------------------------


def test_a_published_revision_is_seen_by_the_next_visitor(client, module, trainer, coordinator):
    """A trainer writes (moderated), the national coordination publishes: Wagtail's path."""
    assert "Résumé public du module 9." in stored(client, module.url).content.decode()
    draft = ModulePage.objects.get(pk=module.pk)
    draft.summary = "Un résumé réécrit par la formatrice."
    revision = draft.save_revision(user=trainer)
    # A draft changes nothing for visitors.
    assert visit(client, module.url).get(HEADER) == "hit"
    revision.publish(user=coordinator)
    response = visit(client, module.url)
    assert response.get(HEADER) == "miss"
    html = response.content.decode()
    assert "Un résumé réécrit par la formatrice." in html
    assert "Résumé public du module 9." not in html
    # The programme lists the modules: it is refreshed too.
    assert visit(client, "/programme/").get(HEADER) != "hit"


def test_an_unpublished_page_is_gone_at_once(client, module):
    stored(client, module.url)
    module.unpublish()
    assert visit(client, module.url).status_code == 404


def test_a_moved_page_is_refreshed(client, programme, module):
    stored(client, "/programme/")
    stored(client, module.url)
    ModulePage.objects.get(number=3).move(programme, pos="first-child")
    assert visit(client, "/programme/").get(HEADER) == "miss"
    assert visit(client, module.url).get(HEADER) == "miss"


def test_a_deleted_page_is_gone_at_once(client, module):
    stored(client, module.url)
    url = module.url
    module.delete()
    assert visit(client, url).status_code == 404


def test_a_session_date_change_shows_on_the_next_visit(client, session, session_url):
    assert "Session de Laval" in stored(client, session_url).content.decode()
    slot = SessionSlot.objects.filter(session=session).order_by("day_number", "half").first()
    slot.date = datetime.date(2031, 2, 3)
    slot.room = "Salle Condorcet"
    slot.save()
    html = visit(client, session_url).content.decode()
    assert "Salle Condorcet" in html
    assert " 3 février" in html


def test_session_rename_seats_and_trainer_name_show_on_the_next_visit(
    client, session, session_url, trainer
):
    stored(client, session_url)
    stored(client, "/programme/sessions/")
    session.name = "Session de Mayenne"
    session.save()
    assert "Session de Mayenne" in visit(client, session_url).content.decode()
    assert "Session de Mayenne" in visit(client, "/programme/sessions/").content.decode()

    stored(client, session_url)
    trainer.last_name = "Benali-Roux"
    trainer.save()
    assert "Benali-Roux" in visit(client, session_url).content.decode()

    before = stored(client, session_url).content.decode()
    EnrolmentFactory(session=session)
    after = visit(client, session_url)
    assert after.get(HEADER) == "miss"
    assert after.content.decode() != before  # one seat fewer


def test_a_login_does_not_empty_the_page_cache(client, programme, trainee):
    stored(client, "/programme/")
    from django.contrib.auth.models import update_last_login

    update_last_login(None, trainee)
    assert visit(client, "/programme/").get(HEADER) == "hit"


def test_results_follow_certificates_and_attendance(client, session):
    from modules.models import Attendance

    stored(client, "/resultats/")
    CertificationFactory(enrolment=EnrolmentFactory(session=session))
    assert visit(client, "/resultats/").get(HEADER) == "miss"
    stored(client, "/resultats/")
    enrolment = EnrolmentFactory(session=session)
    stored(client, "/resultats/")
    Attendance.objects.create(enrolment=enrolment, slot=session.slots.first(), status="present")
    assert visit(client, "/resultats/").get(HEADER) == "miss"


def test_other_pages_keep_their_copy_when_attendance_changes(client, session, programme):
    from modules.models import Attendance

    stored(client, "/programme/")
    enrolment = EnrolmentFactory(session=session)
    stored(client, "/programme/")
    Attendance.objects.create(enrolment=enrolment, slot=session.slots.first(), status="present")
    assert visit(client, "/programme/").get(HEADER) == "hit"


def test_generations_are_bumped_again_when_the_transaction_commits(
    programme, django_capture_on_commit_callbacks
):
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = "pagecache:generation:site"
    pagecache.bump(pagecache.SITE)
    start = cache.get(key)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pagecache.invalidate(pagecache.SITE)
        assert cache.get(key) == start + 1  # at once
    assert len(callbacks) == 1
    assert cache.get(key) == start + 2  # and after the commit


# --- Never anybody's data ----------------------------------------------------------------------


@pytest.fixture
def two_trainees(session, trainee, other_trainee):
    EnrolmentFactory(session=session, trainee=trainee)
    EnrolmentFactory(session=session, trainee=other_trainee)
    return trainee, other_trainee


def test_two_trainees_each_see_their_own_pages(client, module, two_trainees):
    from django.test import Client

    camille, jules = two_trainees
    stored(client, module.url)  # a visitor's copy is in the cache
    for person, other in ((camille, jules), (jules, camille)):
        browser = Client()
        browser.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for path in (module.url, "/programme/", "/aujourdhui/", "/resultats/"):
            for _ in range(2):
                response = browser.get(path)
                assert response.status_code == 200, path
                assert response.get(HEADER) != "hit"
                assert "Cookie" in response["Vary"]
                html = response.content.decode()
                assert person.get_full_name() in html, path
                assert other.get_full_name() not in html, path
        # The enrolled trainee reads the full module, which visitors never get.
        assert "Contenu complet réservé du module 9." in browser.get(module.url).content.decode()
    for html in stored_pages():
        assert "Camille" not in html and "Jules" not in html
        assert "Se déconnecter" not in html
        assert "Contenu complet réservé" not in html


def test_a_visitor_never_gets_a_logged_in_rendering(client, module, two_trainees):
    from django.test import Client

    camille, _ = two_trainees
    browser = Client()
    browser.force_login(camille, backend="django.contrib.auth.backends.ModelBackend")
    for path in ("/", "/programme/", module.url, "/programme/sessions/", "/resultats/"):
        browser.get(path)  # logged in first: nothing may be stored for anybody else
        html = visit(client, path).content.decode()
        assert "Camille" not in html
        assert "Se déconnecter" not in html
        assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert "Contenu complet réservé" not in visit(client, module.url).content.decode()


def test_a_request_with_a_session_cookie_is_never_served_from_the_cache(client, programme):
    stored(client, "/programme/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "an-expired-session"
    response = client.get("/programme/")
    assert response.status_code == 200
    assert response.get(HEADER) is None


def test_a_pending_message_is_never_stored_nor_hidden(client, programme):
    stored(client, "/programme/")
    client.cookies["messages"] = "anything"
    assert client.get("/programme/").get(HEADER) is None


def test_login_and_verification_pages_are_never_stored(client, programme):
    for path in ("/compte/connexion/", "/certificats/verifier/", "/certificats/verifier/ENS-X/"):
        client.get(path)
        assert client.get(path).get(HEADER) is None
    assert all("Se connecter" not in html or "csrf" not in html for html in stored_pages())


def test_verification_keeps_its_rate_limit(client, programme):
    for _ in range(100):
        client.get("/certificats/verifier/ENS-2026-00001-K7QF/")
    assert client.get("/certificats/verifier/ENS-2026-00001-K7QF/").status_code == 429


# --- What may be stored: the rules, on a bare view ------------------------------------------------


def _view(effect):
    @pagecache.cache_for_visitors
    def view(request):
        response = HttpResponse("<p>Bonjour</p>")
        effect(request, response)
        return response

    return view


def _second_call_header(effect, **request_kwargs) -> str | None:
    view = _view(effect)
    factory = RequestFactory()
    view(factory.get("/essai/", **request_kwargs))
    return view(factory.get("/essai/", **request_kwargs)).get(HEADER)


def _set_cookie(request, response):
    response.set_cookie("suivi", "1")


def _private(request, response):
    response["Cache-Control"] = "private"


def _no_store(request, response):
    response["Cache-Control"] = "no-store"


def _csrf(request, response):
    get_token(request)


def _nonce(request, response):
    request._csp_nonce = "un-nonce"


def _not_found(request, response):
    response.status_code = 404


EFFECTS = [_set_cookie, _private, _no_store, _csrf, _nonce, _not_found]


@pytest.mark.parametrize("effect", EFFECTS, ids=lambda f: f.__name__)
def test_responses_that_are_not_everybodys_are_not_stored(db, effect):
    assert _second_call_header(effect) != "hit"


def test_a_plain_page_is_stored_and_other_cookies_do_not_split_it(db):
    view = _view(lambda request, response: None)
    factory = RequestFactory()
    assert view(factory.get("/essai/")).get(HEADER) == "miss"
    factory.cookies["csrftoken"] = "x" * 32
    assert view(factory.get("/essai/")).get(HEADER) == "hit"
    # Another URL (query string included) is another page.
    assert view(factory.get("/essai/?annee=2026")).get(HEADER) == "miss"
    assert view(factory.get("/essai/?annee=2026")).get(HEADER) == "hit"


@pytest.mark.parametrize("query", ["?x=1", "?utm_source=lettre", "?annee=2026&page=3", "?s=e30"])
def test_made_up_query_strings_are_served_but_never_stored(db, query):
    """Only the parameters public pages read make a stored variant: a flood of `?x=1`, `?x=2`…
    must not fill the shared cache with copies of the same page."""
    view = _view(lambda request, response: None)
    factory = RequestFactory()
    first = view(factory.get(f"/essai/{query}"))
    assert first.status_code == 200 and first.get(HEADER) == "skip"
    assert view(factory.get(f"/essai/{query}")).get(HEADER) == "skip"


def test_a_cache_outage_still_serves_the_page(db, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    cache = caches[settings.PAGE_CACHE_ALIAS]
    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "incr", broken)
    view = _view(lambda request, response: None)
    response = view(RequestFactory().get("/essai/"))
    assert response.status_code == 200
    pagecache.bump(pagecache.SITE)  # logged, not raised


# --- The module body, shared by every reader of a module ------------------------------------------


def _reader(user):
    from django.test import Client

    browser = Client()
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return browser


def test_module_body_is_rendered_once_and_follows_publishing(module, two_trainees, coordinator):
    camille, jules = two_trainees
    before = _reader(camille).get(module.url).content.decode()
    assert "Contenu complet réservé du module 9." in before
    draft = ModulePage.objects.get(pk=module.pk)
    draft.body = [("markdown", "Un contenu revu et publié.")]
    draft.save_revision(user=coordinator).publish(user=coordinator)
    html = _reader(jules).get(module.url).content.decode()
    assert "Un contenu revu et publié." in html
    assert "Contenu complet réservé du module 9." not in html


def test_a_preview_never_reaches_the_shared_module_body(module, two_trainees, coordinator):
    camille, _ = two_trainees
    draft = ModulePage.objects.get(pk=module.pk)
    draft.body = [("markdown", "Un brouillon que personne ne doit lire.")]
    draft.save_revision(user=coordinator)
    _reader(camille).get(module.url)  # the published body is in the cache
    # Wagtail's preview path: the admin's request (its session) replayed as a dummy request.
    session = _reader(coordinator).cookies[settings.SESSION_COOKIE_NAME].value
    admin_request = RequestFactory().get(
        "/admin/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}"
    )
    preview = draft.make_preview_request(admin_request, draft.default_preview_mode)
    assert "Un brouillon que personne ne doit lire." in preview.content.decode()
    html = _reader(camille).get(module.url).content.decode()
    assert "Un brouillon que personne ne doit lire." not in html
    assert "Contenu complet réservé du module 9." in html


def test_the_module_body_fragment_is_stored_once_for_every_reader(module, two_trainees):
    camille, jules = two_trainees
    for _ in range(2):  # the first request creates the site settings (a new generation)
        _reader(camille).get(module.url)
    cache = caches[settings.PAGE_CACHE_ALIAS]
    fragments = [key for key in cache._cache if "module_body" in key]
    assert fragments
    html = _reader(jules).get(module.url).content.decode()
    assert [key for key in cache._cache if "module_body" in key] == fragments
    assert "Jules" in html and "Camille" not in html
    assert "Contenu complet réservé du module 9." in html
