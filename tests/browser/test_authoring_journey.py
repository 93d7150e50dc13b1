"""A trainer writes a household's situation in the admin form (no JSON), meets a validation
error next to its field, previews the simulator's result; the case is published and a trainee
opens a dossier on it."""

import re

import pytest
from playwright.sync_api import expect

from casestudies.models import CaseStudyPage
from tests.factories import CaseStudyIndexPageFactory, EnrolmentFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def box(page, label):
    """The text box labelled `label` (a required field's label ends with "*")."""
    return page.get_by_role("textbox", name=re.compile("^" + re.escape(label) + r"\*?$"))


def field(page, name):
    """The admin's wrapper of a field: its label, input, help text and errors."""
    return page.locator(".w-field__wrapper", has=page.locator(f"[name='{name}']"))


def test_a_trainer_authors_a_case_study_with_the_form_and_a_trainee_works_it(
    page, login, home_page, trainer, trainee
):
    session = TrainingSessionFactory(trainers=[trainer], generate_slots=False)
    EnrolmentFactory(trainee=trainee, session=session)
    index = CaseStudyIndexPageFactory()
    index.save_revision().publish()

    login(trainer)
    page.goto(f"/admin/pages/add/casestudies/casestudypage/{index.pk}/")
    page.locator("#id_title").fill("Les Garnier, poêle et murs")
    page.locator("#id_summary").fill("Une maison de bourg chauffée au fioul.")

    page.get_by_role("tab", name=re.compile("Situation du ménage")).click()
    page.get_by_role("textbox", name=re.compile("^Date de dépôt du dossier")).fill("01/03/2026")
    box(page, "Nombre de personnes du ménage").fill("2")
    box(page, "Revenu fiscal de référence (€)").fill("21 000")
    box(page, "Département").fill("999")
    box(page, "Surface habitable (m²)").fill("95")
    box(page, "Âge du logement (ans)").fill("50")

    # Conditional fields: the route decides which questions are asked.
    mar = field(page, "project_mar_cost_ttc")
    boiler = field(page, "project_replaces_fossil_boiler")
    page.get_by_label("Rénovation d'ampleur (MaPrimeRénov' Parcours accompagné)").check()
    expect(mar).to_be_visible()
    expect(boiler).to_be_hidden()
    page.get_by_label("Travaux par geste (MaPrimeRénov' par geste)").check()
    expect(mar).to_be_hidden()
    expect(boiler).to_be_visible()
    expect(field(page, "household_gir")).to_be_hidden()
    page.get_by_label("Perte d'autonomie ou handicap (MaPrimeAdapt')").check()
    expect(field(page, "household_gir")).to_be_visible()
    page.get_by_label("Perte d'autonomie ou handicap (MaPrimeAdapt')").uncheck()

    box(page, "Montant des travaux (€ HT)").fill("14 000")
    boiler.get_by_role("combobox").select_option(label="Oui")
    page.locator("[name='situation-gestures-0-code']").select_option(label="Poêle à granulés")
    page.locator("[name='situation-gestures-0-cost_ht']").fill("6 000")
    page.locator("[name='situation-gestures-1-code']").select_option(
        label="Isolation des murs par l'extérieur"
    )
    page.locator("[name='situation-gestures-1-quantity']").fill("110,5")
    page.locator("[name='situation-gestures-1-cost_ht']").fill("8 000")

    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()
    # The error is next to its field, in French, and what was typed is kept.
    page.get_by_role("tab", name=re.compile("Situation du ménage")).click()
    expect(field(page, "home_department")).to_contain_text("numéro de département attendu")
    expect(box(page, "Revenu fiscal de référence (€)")).to_have_value("21 000")
    expect(page.locator("[name='situation-gestures-1-quantity']")).to_have_value("110,5")
    assert not CaseStudyPage.objects.filter(title="Les Garnier, poêle et murs").exists()

    box(page, "Département").fill("71")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    case = CaseStudyPage.objects.get(title="Les Garnier, poêle et murs")
    situation = case.get_latest_revision_as_object().situation
    assert situation["home"]["department"] == "71"
    assert situation["project"]["replaces_fossil_boiler"] is True
    assert situation["project"]["gestures"][1] == {
        "code": "isolation_murs_exterieur",
        "quantity": 110.5,
        "cost_ht": 8000,
    }

    # The preview shows what the simulator gives, before anything is published.
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", name="Résultat du simulateur")).to_be_visible()
    expect(preview.locator("body")).to_contain_text("Reste à charge")

    # Published (by a coordinator in real life), the case is worked by a trainee.
    case.get_latest_revision().publish()
    page.context.clear_cookies()
    login(trainee)
    page.goto(CaseStudyPage.objects.get(pk=case.pk).url)
    expect(page.get_by_role("heading", name="Les Garnier, poêle et murs")).to_be_visible()
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    expect(page.get_by_role("heading", name="Jalon Identifier")).to_be_visible()
    page.get_by_label("Modeste", exact=True).check()
    expect(page.locator("#etat-income_category")).to_contain_text("Enregistré à")
