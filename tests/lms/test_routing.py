"""lms.routing: the same page as Wagtail's own routing, in fewer queries."""

from django.test import RequestFactory

from wagtail.models import Page

import pytest

from lms import routing
from modules.models import ModulePage, SessionCalendarPage
from tests.factories import TrainingSessionFactory
from tests.factories.modules import build_programme


@pytest.fixture
def programme(home_page):
    return build_programme(home_page)


def both(path):
    factory = RequestFactory()
    wagtail = Page.route_for_request(factory.get("/" + path), path)
    ours = routing.route(factory.get("/" + path), path)
    return wagtail, ours


def same(wagtail, ours) -> bool:
    if wagtail is None or ours is None:
        return wagtail is None and ours is None
    (page_a, args_a, kwargs_a), (page_b, args_b, kwargs_b) = wagtail, ours
    if type(page_a) is not type(page_b) or page_a.pk != page_b.pk or kwargs_a != kwargs_b:
        return False
    if args_a and callable(args_a[0]):  # a routable page's (view, args, kwargs)
        return args_a[0].__name__ == args_b[0].__name__ and args_a[1:] == args_b[1:]
    return args_a == args_b


@pytest.mark.parametrize(
    "path",
    [
        "",
        "programme/",
        "programme/module-9/",
        "programme/sessions/",
        "programme/sessions/{slug}/",
        "programme/sessions/{slug}/ical/",
        "programme/sessions/inconnue/",
        "programme/inconnu/",
        "programme/module-9/plus-loin/",
        "inconnu/x/",
    ],
)
def test_finds_what_wagtail_finds(programme, path):
    session = TrainingSessionFactory()
    path = path.format(slug=session.slug)
    wagtail, ours = both(path)
    assert same(wagtail, ours), (wagtail, ours)


def test_an_unpublished_page_is_not_found(programme):
    ModulePage.objects.get(number=4).unpublish()
    assert both("programme/module-4/") == (None, None)


def test_a_page_under_a_routable_page_is_left_to_wagtail(programme):
    """A routable page decides its sub-URLs itself: below one, Wagtail's walk runs."""
    calendar = SessionCalendarPage.objects.get()
    calendar.add_child(instance=Page(title="Sous-page", slug="sous-page"))
    with pytest.raises(LookupError):
        routing.route(RequestFactory().get("/"), "programme/sessions/sous-page/")


def test_module_page_is_routed_in_three_queries(programme, django_assert_max_num_queries):
    routing.route(RequestFactory().get("/"), "programme/module-9/")  # warm caches
    with django_assert_max_num_queries(3):
        result = routing.route(RequestFactory().get("/"), "programme/module-9/")
    assert isinstance(result[0], ModulePage)
