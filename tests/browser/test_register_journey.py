"""The open register (issue 17): a trainee gives consent from their account and appears in the
API; withdraws it and is gone from the next response; the API documentation renders under the
site's strict CSP (every journey fails on a CSP violation, tests/browser/conftest.py)."""

import re

import pytest

from tests.factories import CertificationFactory, TraineeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_consents_then_withdraws_and_the_api_follows(page, login, home_page):
    person = TraineeFactory(first_name="Élodie", last_name="Lefèvre")
    certification = CertificationFactory(enrolment__trainee=person)
    login(person)
    page.goto("/compte/")
    page.get_by_role("link", name=re.compile("Registre public des ensembliers")).click()
    state = page.get_by_test_id("register-state")
    assert "Vous ne figurez pas" in state.inner_text()
    assert certification.number in page.get_by_test_id("register-preview").inner_text()

    page.get_by_role("button", name="J'accepte de figurer dans le registre public").click()
    assert (
        "Vous figurez dans le registre public" in page.get_by_test_id("register-state").inner_text()
    )
    assert "Accord donné" in page.get_by_test_id("register-history").inner_text()
    found = page.request.get("/api/v1/ensembliers?nom=lefevre").json()
    assert [row["numero"] for row in found["resultats"]] == [certification.number]

    page.get_by_role("button", name="Retirer mon accord").click()
    assert "Vous ne figurez pas" in page.get_by_test_id("register-state").inner_text()
    assert "Accord retiré" in page.get_by_test_id("register-history").inner_text()
    assert page.request.get("/api/v1/ensembliers?nom=lefevre").json()["total"] == 0


def _try_the_register_endpoint(page):
    """Open the docs, open `ensembliers`, try it: the operation's locator."""
    page.goto("/api/v1/docs")
    page.get_by_text("Registre des ensembliers certifiés").first.wait_for()
    operation = page.locator("#operations-Ensembliers-ensembliers")
    operation.locator(".opblock-summary").click()
    page.get_by_role("heading", name="Paramètres").wait_for()
    page.get_by_role("button", name="Essayer").click()
    page.get_by_role("button", name="Exécuter").click()
    return operation


def test_the_api_documentation_renders_and_tries_an_endpoint(page, home_page):
    _try_the_register_endpoint(page)
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"


def test_the_api_documentation_speaks_french_and_passes_axe(page, home_page):
    """Swagger UI's own words are in French, before and after trying an endpoint, and axe finds
    no critical or serious violation (the operation's link no longer sits in its button)."""
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python (extra test)"
    )
    operation = _try_the_register_endpoint(page)
    page.get_by_text("Réponse du serveur").wait_for()
    page.get_by_role("button", name="Effacer").wait_for()
    text = page.locator("#swagger-ui").inner_text()
    for english in ("Try it out", "Execute", "Parameters", "Server response", "Response body"):
        assert english not in text, english
    assert "URL de la requête" in text and "Corps de la réponse" in text
    assert operation.locator(".opblock-summary-control a[href]").count() == 0
    found = [
        f"{violation['impact']} {violation['id']} {[n['target'] for n in violation['nodes'][:3]]}"
        for violation in axe_module.Axe().run(page).response["violations"]
        if violation["impact"] in ("critical", "serious")
    ]
    assert found == [], "\n".join(found)
