import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_opens_the_home_page_in_french(page, home_page):
    page.goto("/")
    expect(page).to_have_title(re.compile("Devenir Ensemblier Solidaire"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Devenir Ensemblier Solidaire")
    header_login = page.locator(".user-nav").get_by_role("link", name="Se connecter")
    expect(header_login).to_be_visible()
    colours = header_login.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert colours[0] != colours[1], "the header login button must not be white on white"
    # Skip link is the first focusable element.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()


def test_home_page_fits_a_320px_phone(page, home_page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_trainee_logs_in_and_sees_their_name(page, login, home_page, trainee):
    login(trainee)
    expect(page.get_by_test_id("user-name")).to_have_text("Camille Martin")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)


def test_wrong_password_says_so_in_french(page, login, home_page, trainee):
    login(trainee, password="mauvais-mot-de-passe")
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    expect(page.get_by_label("Adresse e-mail")).to_have_value(trainee.email)


def test_trainer_logs_into_the_wagtail_admin(page, home_page, trainer):
    page.goto("/admin/")
    page.get_by_label(re.compile("e-mail", re.IGNORECASE)).fill(trainer.email)
    page.locator("input[name=password]").fill("mot-de-passe-test-2026")
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).to_contain_text("Karim")


def test_trainee_is_refused_the_admin(page, login, home_page, trainee):
    login(trainee)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator("body")).not_to_contain_text("Tableau de bord")
    expect(page.get_by_text("Pages", exact=True)).to_have_count(0)
