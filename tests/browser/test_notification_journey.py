"""A submission notifies the trainer and the review notifies the trainee, in the app and by
e-mail (captured: the live server runs the tasks at once, after each commit)."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from tests.factories import CaseStudyPageFactory, EnrolmentFactory, TrainingSessionFactory

from .test_dossier_journey import fill_identifier, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(home_page, trainee, trainer):
    session = TrainingSessionFactory(
        name="Session de Laval", trainers=[trainer], generate_slots=False
    )
    EnrolmentFactory(trainee=trainee, session=session)
    case = CaseStudyPageFactory(
        title="Les Martin, maison F", slug="les-martin", golden_case="cas-a-2026-tmo-f-c"
    )
    case.save_revision().publish()
    return case


def test_submission_and_review_reach_each_other_in_the_app_and_by_email(
    page, login, journey, trainee, trainer
):
    mail.outbox.clear()
    # The trainee submits Identifier.
    login(trainee)
    page.goto(journey.url)
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    fill_identifier(page)
    expect(page.locator("#etat-trusted_third_party")).to_contain_text("Enregistré à")
    page.get_by_role("button", name="Soumettre au formateur").click()
    expect(page.get_by_text("soumis à votre formateur")).to_be_visible()
    to_trainer = [m for m in mail.outbox if m.to == [trainer.email]]
    assert len(to_trainer) == 1
    assert to_trainer[0].body.startswith("Bonjour Karim,")
    assert re.search(r"http://testserver/revue-dossiers/\d+/identifier/", to_trainer[0].body)
    log_out(page)

    # The trainer sees the count in the header, opens the notification, reviews.
    login(trainer)
    link = page.get_by_test_id("notifications-link")
    expect(link).to_contain_text("1")
    link.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.get_by_role(
        "link", name="Camille Martin a soumis le jalon « Identifier » à votre revue"
    ).click()
    expect(page.get_by_role("heading", name="Le verdict du simulateur")).to_be_visible()
    expect(page.get_by_test_id("notifications-link")).not_to_contain_text("1")
    for label, points in (
        ("Situation sociale et besoins qualifiés (sur 4)", "4"),
        ("Catégorie de revenus justifiée (sur 3)", "3"),
        ("Tiers de confiance et relation au ménage (sur 3)", "3"),
        ("Pièces à réunir et contrat d'accompagnement (sur 2)", "2"),
    ):
        page.get_by_label(label).fill(points)
    page.get_by_label("Commentaire pour le·la stagiaire").fill("Très bonne qualification.")
    page.get_by_label("Accepter le jalon").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".message-success")).to_contain_text("accepté")
    to_trainee = [m for m in mail.outbox if m.to == [trainee.email]]
    assert len(to_trainee) == 1
    assert to_trainee[0].subject == "Ensemblier : Votre jalon « Identifier » est accepté"
    assert "Commentaire de Karim Benali : Très bonne qualification." in to_trainee[0].body
    log_out(page)

    # The trainee sees it, follows it to the dossier, and it is read.
    login(trainee)
    link = page.get_by_test_id("notifications-link")
    expect(link).to_contain_text("1")
    link.click()
    item = page.get_by_test_id("notification-list").locator("li").first
    expect(item).to_contain_text("Votre jalon « Identifier » est accepté")
    expect(item).to_contain_text("Commentaire de Karim Benali : Très bonne qualification.")
    item.get_by_role("button", name=re.compile("Marquer comme lue")).click()
    expect(page.locator(".message-success")).to_contain_text("marquée comme lue")
    expect(page.get_by_test_id("notifications-link")).to_have_text("Notifications")
    page.get_by_role("link", name="Votre jalon « Identifier » est accepté").click()
    expect(page.get_by_role("heading", name="Jalon Identifier")).to_be_visible()
