"""axe-core on the main pages of every role: no critical and no serious violation.

axe-core comes bundled in the `axe-playwright-python` package (its `axe.min.js`, MPL-2.0); the
script is evaluated in the page by Playwright, which the site's Content-Security-Policy does not
block (it is not a <script> the page loads). The pages are those of tests/role_pages.py, which
the HTML validator checks too; the trainee's pages are also checked at a phone's width, where
tables scroll.
"""

import pytest

from tests.role_pages import DEMO, ROLES, main_pages, seed_site_with_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"critical", "serious"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _log_in(page, role):
    email, password = DEMO[role]
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _violations(axe, page, url) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    found = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"{url}: {violation['impact']} {violation['id']} {targets}")
    return found


def test_axe_finds_no_critical_or_serious_violation_on_the_main_pages_of_every_role(
    browser, live_server
):
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python (extra test)"
    )
    axe = axe_module.Axe()
    pages = main_pages(seed_site_with_work())
    found, checked = [], 0
    for role in ROLES:
        for viewport in (DESKTOP, PHONE) if role == "trainee" else (DESKTOP,):
            context = browser.new_context(
                base_url=live_server.url, locale="fr-FR", viewport=viewport
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            if role in DEMO:
                _log_in(page, role)
            for url in pages[role]:
                found += [
                    f"{role} {viewport['width']} px {line}" for line in _violations(axe, page, url)
                ]
                checked += 1
            context.close()
    assert found == [], "\n".join(found)
    assert checked > 50
