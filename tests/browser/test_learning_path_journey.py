"""A trainee follows a module's links to its case study and its quiz, and finds the case
studies in the menu."""

import re

import pytest
from playwright.sync_api import expect

from modules.models import ModulePage
from tests.factories import CaseStudyPageFactory, EnrolmentFactory
from tests.factories.assessments import AssessmentPageFactory
from tests.factories.modules import build_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_follows_a_modules_links_to_its_case_and_quiz(page, login, home_page, trainee):
    build_programme(home_page)
    EnrolmentFactory(trainee=trainee)
    module = ModulePage.objects.get(number=1)
    case = CaseStudyPageFactory(title="Les Martin, maison F", golden_case="cas-a-2026-tmo-f-c")
    case.modules = [module]
    case.save()
    quiz = AssessmentPageFactory(title="Quiz du module 1")
    quiz.modules = [module]
    quiz.save()

    login(trainee)
    page.goto(module.url)
    activities = page.get_by_role("region", name="Cas pratiques et évaluations du module")
    activities.get_by_role("link", name="Les Martin, maison F").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Martin, maison F")
    expect(page.get_by_role("button", name="Ouvrir mon dossier")).to_be_visible()

    page.go_back()
    activities.get_by_role("link", name="Quiz du module 1").click()
    expect(page).to_have_url(re.compile(re.escape(quiz.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quiz du module 1")

    # The menu leads to every case study.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Cas pratiques"
    ).click()
    expect(page).to_have_url(re.compile(r"/cas-pratiques/$"))
    expect(page.get_by_role("link", name="Les Martin, maison F")).to_be_visible()
