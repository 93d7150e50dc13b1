"""The Content-Security-Policy in a real browser: it refuses injected inline code, and the
Wagtail admin's scripts (inline panels, time pickers, saving a draft) still work under its policy.

Every browser journey fails on a CSP violation reported in the console (tests/browser/conftest.py);
this file shows that the detection works and walks the admin's script-heavy page editor.
"""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.factories import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_injected_inline_script_is_refused_and_reported(page, home_page, csp_violations):
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true;")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend',"
        " '<img src=x onerror=\"window.handler = true\">')"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined && window.handler === undefined")
    assert any("inline script" in violation for violation in csp_violations)
    csp_violations.clear()  # expected here; any other journey fails on one


def test_the_admin_page_editor_works_under_the_admin_policy(page, home_page, superuser):
    programme = build_programme(home_page)
    page.goto("/admin/login/")
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(superuser.email)
    page.locator("input[name=password]").fill("mot-de-passe-test-2026")
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    response = page.goto(f"/admin/pages/{programme.pk}/edit/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    # The inline panel is started by an inline script; its "add" button adds a slot form.
    slots = page.locator("#id_timetable-FORMS > [data-inline-panel-child]:visible")
    before = slots.count()
    assert before > 0
    page.locator("#id_timetable-ADD").click()
    expect(slots).to_have_count(before + 1)
    # Deleting it again (Wagtail's JS) and saving a draft.
    slots.last.locator("button[id$='-DELETE-button']").click()
    expect(slots).to_have_count(before)
    page.get_by_role("button", name=re.compile("Enregistrer le brouillon", re.IGNORECASE)).click()
    expect(page.locator(".messages")).to_contain_text("a été mise à jour")
