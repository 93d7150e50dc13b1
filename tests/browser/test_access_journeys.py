"""Admin journeys of issue 10: enrolling a trainee by e-mail, a coordinator's users admin."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import TraineeFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainer_enrols_a_trainee_by_email_in_the_admin(page, login, home_page, trainer):
    TrainingSessionFactory(
        name="Session de Laval",
        trainers=[trainer],
        week1_start=datetime.date(2026, 3, 2),
        generate_slots=False,
    )
    TraineeFactory(first_name="Lucie", last_name="Bonnet", email="lucie.bonnet@exemple.fr")
    login(trainer)
    page.goto("/admin/inscriptions/new/")
    page.locator("#id_session").select_option(label="Session de Laval")
    page.locator("#id_trainee_email").fill("Lucie.Bonnet@exemple.fr")
    page.get_by_role("button", name=re.compile("Enregistrer|Créer")).first.click()
    expect(page.get_by_role("row", name=re.compile("Lucie Bonnet"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Lucie Bonnet")).first.click()
    expect(page.locator("#id_trainee_email")).to_be_disabled()


def test_a_coordinator_edits_a_trainee_without_an_administrator_box(
    page, login, home_page, coordinator, trainee
):
    login(coordinator)
    page.goto(f"/admin/users/edit/{trainee.pk}/")
    expect(page.locator("#id_last_name")).to_have_value("Martin")
    expect(page.locator('input[name="is_superuser"]')).to_have_count(0)
    expect(page.locator('input[name="groups"]')).to_have_count(1)
