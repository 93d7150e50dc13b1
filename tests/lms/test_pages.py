from django.test import Client
from django.test.utils import override_settings

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from lms.models import HomePage

pytestmark = pytest.mark.django_db


class TestHomePageTree(WagtailPageTestCase):
    def test_home_page_can_only_be_created_at_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)


def test_home_page_renders_intro_and_calls_to_action(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "ensembliers solidaires" in content
    assert "Lire le programme" in content
    assert '<html lang="fr">' in content
    assert 'href="#contenu"' in content


def test_unknown_page_gives_the_french_404(client, home_page):
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_server_error_page_is_french_and_self_contained():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Une erreur est survenue" in html
    assert "{%" not in html


@override_settings(DEBUG=False)
def test_csrf_failure_is_explained_in_french(home_page, trainee):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": trainee.email, "password": "x"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


def test_navigation_shows_admin_link_only_to_staff_roles(client_as, home_page, trainee, trainer):
    assert "Administration" not in client_as(trainee).get("/").content.decode()
    assert "Administration" in client_as(trainer).get("/").content.decode()


def test_an_english_browser_still_gets_french(client, home_page):
    response = client.get("/compte/connexion/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    response = client.post(
        "/compte/connexion/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en-US"
    )
    assert "Champ requis" in response.content.decode()


def test_field_help_and_errors_are_what_the_input_describes(client_as, trainee):
    html = client_as(trainee).post("/compte/", {"first_name": "", "phone": "abc"}).content.decode()
    assert 'aria-describedby="id_first_name_error"' in html
    assert 'id="id_first_name_error"' in html


def test_thousands_filter_groups_digits_the_french_way():
    from lms.templatetags.lms_tags import thousands

    assert thousands(11500) == "11\u202f500"
    assert thousands("2808") == "2\u202f808"
    assert thousands(None) is None
    assert thousands("—") == "—"
