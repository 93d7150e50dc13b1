"""Page tree rules and the validation of a case study's situation (French, with JSON path)."""

import datetime

from django.core.exceptions import ValidationError

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from lms.models import HomePage
from modules.models import ModulePage, ProgrammePage
from tests.factories import CaseStudyPageFactory, golden_situation


class CaseStudyTreeTests(WagtailPageTestCase):
    def test_the_index_lives_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, CaseStudyIndexPage)
        self.assertCanNotCreateAt(Page, CaseStudyIndexPage)
        self.assertCanNotCreateAt(ProgrammePage, CaseStudyIndexPage)

    def test_case_studies_live_under_the_index_only(self):
        self.assertCanCreateAt(CaseStudyIndexPage, CaseStudyPage)
        self.assertCanNotCreateAt(HomePage, CaseStudyPage)
        self.assertCanNotCreateAt(ModulePage, CaseStudyPage)

    def test_a_case_study_is_a_leaf(self):
        self.assertAllowedSubpageTypes(CaseStudyPage, {})

    def test_there_is_one_index(self):
        self.assertEqual(CaseStudyIndexPage.max_count, 1)


pytestmark = pytest.mark.django_db


def test_a_valid_situation_passes_clean():
    CaseStudyPageFactory().full_clean()


def test_a_bad_situation_is_refused_in_french_naming_the_json_path():
    page = CaseStudyPageFactory()
    page.situation = dict(page.situation, household={"size": 0, "reference_tax_income": 1})
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    message = error.value.message_dict["situation"][0]
    assert message.startswith("Situation invalide — champ household.size :")


def test_a_situation_dated_otherwise_than_the_filing_date_is_refused():
    page = CaseStudyPageFactory()
    page.filed_on = datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "as_of" in error.value.message_dict["situation"][0]


def test_an_empty_situation_and_an_unknown_golden_case_are_refused():
    page = CaseStudyPageFactory()
    page.situation = {}
    page.golden_case = "../../etc/passwd"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert set(error.value.message_dict) >= {"situation", "golden_case"}


def test_home_facts_come_from_the_situation():
    page = CaseStudyPageFactory(situation=golden_situation("maprimeadapt-2025"),
                                golden_case="maprimeadapt-2025")  # fmt: skip
    assert page.household_facts["size"] == 1
    assert page.home_type_label == "Maison"
    assert page.filed_on == datetime.date(2025, 4, 1)


def test_a_trainer_authors_a_case_study_in_the_admin_with_french_errors(client_as, trainer):
    from django.urls import reverse

    from tests.casestudies.test_authoring import admin_form

    index = CaseStudyPageFactory().get_parent()
    client = client_as(trainer)
    url = reverse("wagtailadmin_pages:add", args=["casestudies", "casestudypage", index.pk])
    bad = dict(golden_situation(), household={"size": 0, "reference_tax_income": 1})
    response = client.post(url, admin_form(bad))
    assert response.status_code == 200
    assert response.context["form"].errors["household_size"]
    assert not CaseStudyPage.objects.filter(slug="menage-admin").exists()

    response = client.post(url, admin_form(golden_situation()))
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(slug="menage-admin")
    assert page.people.get().name == "Marie Dupont"
    assert page.situation == golden_situation()
