"""The awareness course and the repérage checklist in a real browser (issue 16)."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from assessments.awareness import seed as course_seed
from assessments.awareness.models import Attestation, FieldProfile, Referral
from tests.factories import CertificationFactory, TerritoryFactory, TraineeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_on_a_phone_reads_signs_up_completes_and_downloads_the_attestation(
    page, home_page
):
    course = course_seed.seed()
    TerritoryFactory(name="Carcassonne Agglo", slug="carcassonne-agglo")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/parcours-sensibilisation/")
    expect(page.get_by_role("heading", name="Sensibilisation au repérage")).to_be_visible()
    page.get_by_role("link", name="Qui sont les ménages en précarité énergétique ?").click()
    expect(page.get_by_text("Depuis 2010, la loi dit")).to_be_visible()  # reading needs no account

    page.goto(course.url)
    page.get_by_role("link", name="Créez un compte léger").click()
    page.get_by_label("Adresse e-mail").fill("lea@exemple.fr")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Vous êtes").select_option("benevole")
    page.get_by_label("Territoire").select_option(label="Carcassonne Agglo")
    page.get_by_label("Mot de passe").fill("une-phrase-de-passe-solide-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Vérifiez votre boîte e-mail")).to_be_visible()
    (link,) = re.findall(r"http://testserver(/compte-leger/confirmer/\S+/)", mail.outbox[-1].body)
    page.goto(link)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_test_id("progression")).to_contain_text("0 leçon sur 5")

    for index, lesson in enumerate(course.lessons()):
        page.goto(lesson.url)
        if index == 0:  # a wrong try first: immediate feedback, then another try
            page.locator("input[name=q0]").nth(2).check()
            page.get_by_role("button", name="Vérifier mes réponses").click()
            expect(page.get_by_test_id("bilan")).to_contain_text("à revoir")
            page.locator("input[name=q0]").nth(2).uncheck()
        for q, block in enumerate(lesson.self_checks):
            for key, choice in enumerate(block.value["choices"]):
                if choice["correct"]:
                    page.locator(f"input[name=q{q}]").nth(key).check()
        page.get_by_role("button", name="Vérifier mes réponses").click()
        expect(page.get_by_test_id("bilan")).to_contain_text("Tout est juste")

    page.goto(course.url)
    expect(page.get_by_test_id("progression")).to_contain_text("5 leçons sur 5")
    page.get_by_role("button", name="Obtenir mon attestation").click()
    expect(page.get_by_test_id("attestation")).to_contain_text("SEN-")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'attestation (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    number = Attestation.objects.get(user__email="lea@exemple.fr").number
    page.goto(f"/certificats/verifier/{number}/")
    expect(page.locator("#contenu dd").first).to_have_text("Léa Martin")


def test_a_volunteer_gets_an_orientation_without_any_household_data_stored(page, home_page):
    territory = TerritoryFactory(name="Carcassonne Agglo", slug="carcassonne-agglo")
    ensemblier = CertificationFactory(
        enrolment__trainee=TraineeFactory(first_name="Nadia", last_name="Roux")
    ).trainee
    FieldProfile.objects.create(
        user=ensemblier, role="ensemblier", territory=territory, listed=True
    )
    UserFactory(email="marc@exemple.fr", first_name="Marc", last_name="Petit")

    page.goto("/reperage/")
    page.get_by_label("Le logement est froid en hiver, même chauffé").check()
    page.get_by_label("Humidité, moisissures, condensation").check()
    page.get_by_label("Dégradé (toiture, fenêtres, chauffage vétustes)").check()
    page.get_by_label("Propriétaire et habite le logement").check()
    page.get_by_label("Très faibles", exact=False).check()
    page.get_by_label("Territoire").select_option(label="Carcassonne Agglo")
    page.get_by_role("button", name="Voir l'orientation").click()

    expect(page.get_by_test_id("contacts")).to_contain_text("France Rénov'")
    expect(page.get_by_test_id("ensemblier-adapte")).to_contain_text("Adapté")
    expect(page.get_by_test_id("ensembliers")).to_contain_text("Nadia Roux")
    assert not Referral.objects.exists()
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()  # nothing kept, not even in a session
