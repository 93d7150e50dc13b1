"""Numbers and bounds in the dossier, in a real browser (issue 11, kinds 1 and 2)."""

import pytest
from playwright.sync_api import expect

from casestudies.models import DossierField
from tests.browser.test_dossier_journey import journey  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HUGE = "1" + "0" * 26


def open_organiser(page, case):
    page.goto(case.url)
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    page.wait_for_load_state()
    page.goto(page.url.split("?")[0] + "?jalon=organiser")


def test_a_huge_amount_is_kept_as_a_draft_with_a_french_error(page, login, journey, trainee):  # noqa: F811
    login(trainee)
    open_organiser(page, journey)
    cost = page.get_by_label("Coût des travaux (€ HT)")
    cost.fill(HUGE)
    state = page.locator("#etat-works_cost_ht")
    expect(state).to_contain_text("Brouillon gardé à")
    expect(state).to_contain_text("trop grand")
    assert DossierField.objects.get(dossier__trainee=trainee, name="works_cost_ht").value == HUGE
    page.reload()
    expect(page.get_by_label("Coût des travaux (€ HT)")).to_have_value(HUGE)
    expect(page.locator("#etat-connexion")).to_be_hidden()


def test_a_field_the_server_refuses_for_good_is_not_retried(page, login, journey, trainee):  # noqa: F811
    login(trainee)
    open_organiser(page, journey)
    posts = []

    def refuse(route):
        posts.append(route.request.url)
        route.fulfill(status=400, body="Champ inconnu.")

    page.route("**/enregistrer/", refuse)
    page.get_by_label("Diagnostic socio-technique").fill("Combles non isolés")
    state = page.locator("#etat-diagnosis")
    expect(state).to_contain_text("Non enregistré")
    sent = len(posts)
    page.wait_for_timeout(7_000)  # the retry timer is 5 s
    assert len(posts) == sent
    assert page.evaluate("Object.keys(localStorage).length") >= 1  # still on the device
