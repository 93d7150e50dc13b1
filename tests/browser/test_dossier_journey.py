"""A trainee works a household's dossier; the trainer sends it back, then accepts it."""

import re

import pytest
from playwright.sync_api import expect

from casestudies.models import DossierField, MilestoneStatus, Submission
from tests.factories import CaseStudyPageFactory, EnrolmentFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(home_page, trainee, trainer):
    session = TrainingSessionFactory(trainers=[trainer], generate_slots=False)
    EnrolmentFactory(trainee=trainee, session=session)
    case = CaseStudyPageFactory(
        title="Les Martin, maison F", slug="les-martin", golden_case="cas-a-2026-tmo-f-c"
    )
    case.save_revision().publish()
    return case


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def fill_identifier(page):
    page.get_by_label("Très modeste").check()
    page.get_by_label("Hors Île-de-France").check()
    page.get_by_label("Situation sociale du ménage").fill("Couple isolé, pas d'impayés.")
    page.get_by_label("Besoins du ménage").fill("Avoir chaud, réduire les factures.")
    page.get_by_label("Tiers de confiance").fill("Leur fille, Julie")
    page.get_by_label("Avis d'imposition (revenu fiscal de référence)").check()
    page.get_by_label("Contrat d'accompagnement signé par le ménage").check()
    page.get_by_label("Le contrat d'accompagnement est signé par le ménage").check()


def fill_organiser(page, reste_a_charge):
    page.get_by_label("Diagnostic socio-technique").fill("Combles non isolés, simple vitrage.")
    page.get_by_label("Étiquette DPE avant travaux").select_option("F")
    page.get_by_label("Étiquette DPE visée après travaux").select_option("C")
    page.get_by_label("Coût des travaux (€ HT)").fill("45 000")
    page.get_by_label("Scénario de travaux : gestes et coûts").fill("Isolation, PAC : 45 000 €")
    page.get_by_label("MaPrimeRénov' Parcours accompagné (€)").fill("32 000")
    page.get_by_label("Prise en charge de Mon Accompagnateur Rénov' (€)").fill("2 000")
    page.get_by_label("Reste à charge du ménage (€)").fill(reste_a_charge)
    page.get_by_label("Reste à charge (% du coût TTC)").fill("32,6")


def test_trainee_works_a_dossier_and_the_trainer_sends_it_back_then_accepts(
    page, login, journey, trainee, trainer
):
    # The trainee opens the household and its dossier.
    login(trainee)
    page.goto(journey.url)
    expect(page.get_by_role("heading", name="Les Martin, maison F")).to_be_visible()
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    expect(page.get_by_role("heading", name="Jalon Identifier")).to_be_visible()

    # Identifier: every field autosaves; the simulator agrees; submit.
    fill_identifier(page)
    expect(page.locator("#etat-trusted_third_party")).to_contain_text("Enregistré à")
    page.get_by_role("button", name="Vérifier avec le simulateur").click()
    expect(page.locator("#zone-verification")).to_contain_text("2 concordent avec le simulateur")
    page.get_by_role("button", name="Soumettre au formateur").click()
    expect(page.locator(".badge").filter(has_text="En attente de validation").first).to_be_visible()

    # Organiser et financer: a wrong reste à charge, shown by the simulator with its rule.
    page.get_by_role("link", name=re.compile("Organiser et financer")).click()
    fill_organiser(page, reste_a_charge="12 000")
    expect(page.locator("#etat-reste_a_charge")).to_contain_text("Enregistré à")
    page.get_by_role("button", name="Vérifier avec le simulateur").click()
    difference = page.locator("#zone-verification .comparison-item.is-diff")
    expect(difference).to_have_count(1)
    expect(difference).to_contain_text("Reste à charge du ménage")
    expect(difference).to_contain_text("Reste à charge = coût TTC − subventions")
    expect(difference).not_to_contain_text("15")  # the expected 15 475 € is not given away
    page.get_by_role("button", name="Soumettre au formateur").click()
    expect(page.get_by_text("soumis à votre formateur")).to_be_visible()
    log_out(page)

    # The trainer sends Organiser et financer back with a comment.
    login(trainer)
    page.get_by_role("link", name="Dossiers à revoir").click()
    page.get_by_role("link", name=re.compile("Revoir « Organiser et financer »")).click()
    expect(page.get_by_role("heading", name="Le verdict du simulateur")).to_be_visible()
    page.get_by_label("Diagnostic socio-technique (sur 4)").fill("3")
    page.get_by_label("Scénario de travaux cohérent (sur 4)").fill("3")
    page.get_by_label("Plan de financement complet (sur 4)").fill("1")
    page.get_by_label("Explication au ménage (sur 2)").fill("2")
    page.get_by_label("Commentaire pour le·la stagiaire").fill(
        "Le reste à charge ne tient pas compte du coût TTC : refaites le calcul."
    )
    page.get_by_label("Renvoyer pour correction").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".message-success")).to_contain_text("renvoyé")
    log_out(page)

    # The trainee reads the comment inline, fixes and resubmits.
    login(trainee)
    page.get_by_role("link", name="Mes dossiers").click()
    page.get_by_role("link", name="Les Martin, maison F").click()
    page.get_by_role("link", name=re.compile("Organiser et financer")).click()
    expect(page.locator(".trainer-comment")).to_contain_text("refaites le calcul")
    # Reviewed: the simulator's verdict on that submission, with the expected value and the gap.
    expect(page.locator(".verdict")).to_contain_text("simulateur 15\u202f475\u00a0€")
    page.get_by_label("Reste à charge du ménage (€)").fill("15 475")
    expect(page.locator("#etat-reste_a_charge")).to_contain_text("Enregistré à")
    page.get_by_role("button", name="Vérifier avec le simulateur").click()
    expect(page.locator("#zone-verification .comparison-item.is-diff")).to_have_count(0)
    page.get_by_role("button", name="Soumettre au formateur").click()
    expect(page.get_by_text("soumis à votre formateur")).to_be_visible()
    log_out(page)

    # The trainer accepts.
    login(trainer)
    page.goto("/revue-dossiers/")
    page.get_by_role("link", name=re.compile("Revoir « Organiser et financer »")).click()
    expect(page.get_by_role("heading", name="Décisions précédentes")).to_be_visible()
    for label, points in (("Diagnostic socio-technique (sur 4)", "4"),
                          ("Scénario de travaux cohérent (sur 4)", "4"),
                          ("Plan de financement complet (sur 4)", "4"),
                          ("Explication au ménage (sur 2)", "2")):  # fmt: skip
        page.get_by_label(label).fill(points)
    page.get_by_label("Accepter le jalon").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".message-success")).to_contain_text("accepté")

    dossier = trainee.dossiers.get()
    organiser = dossier.milestones.get(milestone="organiser")
    assert organiser.status == MilestoneStatus.VALIDATED
    decisions = list(
        Submission.objects.filter(dossier_milestone=organiser).values_list("decision", flat=True)
    )
    assert decisions == ["sent_back", "accepted"]


def test_the_check_of_an_empty_milestone_says_a_completer_and_shows_no_amount(
    page, login, journey, trainee
):
    login(trainee)
    page.goto(journey.url)
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    page.get_by_role("link", name=re.compile("Organiser et financer")).click()
    page.get_by_role("button", name="Vérifier avec le simulateur").click()
    zone = page.locator("#zone-verification")
    expect(zone).to_contain_text("À compléter")
    expect(zone.locator(".check-a_completer").first).to_be_visible()
    expect(zone.locator(".comparison-item:not(.check-a_completer)")).to_have_count(0)
    items = zone.locator(".comparison-list").inner_html()
    assert not re.search(r"\d", items), "no amount, rate or count in any field's line"
    expect(zone).to_contain_text("0 concorde avec le simulateur · 0 à revoir")


def test_typing_while_offline_is_kept_and_saved_when_the_network_returns(
    page, login, journey, trainee
):
    login(trainee)
    page.goto(journey.url)
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    page.wait_for_load_state()
    needs = page.get_by_label("Besoins du ménage")
    needs.fill("Premier jet")
    expect(page.locator("#etat-needs")).to_contain_text("Enregistré à")

    page.context.set_offline(True)
    needs.fill("Écrit sans réseau")
    expect(page.locator("#etat-needs")).to_contain_text("Hors ligne — sera enregistré")
    expect(page.locator("#etat-connexion")).to_be_visible()

    page.context.set_offline(False)
    expect(page.locator("#etat-needs")).to_contain_text("Enregistré à", timeout=15_000)
    field = DossierField.objects.get(dossier__trainee=trainee, name="needs")
    assert field.value == "Écrit sans réseau"
    page.reload()
    expect(page.get_by_label("Besoins du ménage")).to_have_value("Écrit sans réseau")


def test_the_dossier_fits_a_320px_phone(page, login, journey, trainee):
    login(trainee)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(journey.url)
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    page.wait_for_load_state()
    for milestone in ("identifier", "organiser", "realiser"):
        page.goto(page.url.split("?")[0] + f"?jalon={milestone}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, milestone
        # The household's facts stay readable: values are not squeezed to one character a line.
        narrowest = page.evaluate(
            "Math.min(...Array.from(document.querySelectorAll('.facts dd'))"
            ".map(dd => dd.getBoundingClientRect().width))"
        )
        assert narrowest > 150, milestone
    page.goto("/dossiers/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_two_tabs_editing_one_field_show_both_texts_and_the_person_chooses(
    page, login, journey, trainee
):
    login(trainee)
    page.goto(journey.url)
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    expect(page.get_by_role("heading", name="Jalon Identifier")).to_be_visible()
    other = page.context.new_page()
    other.goto(page.url)
    expect(other.get_by_role("heading", name="Jalon Identifier")).to_be_visible()

    page.get_by_label("Besoins du ménage").fill("Texte du premier onglet")
    expect(page.locator("#etat-needs")).to_contain_text("Enregistré à")

    # The second tab still holds the empty field: its save is a conflict, not an overwrite.
    other.get_by_label("Besoins du ménage").fill("Texte du second onglet")
    panel = other.locator("#etat-needs .conflict")
    expect(panel).to_contain_text("modifié ailleurs")
    expect(panel.locator(".conflict-stored")).to_have_text("Texte du premier onglet")
    expect(panel.locator(".conflict-mine")).to_have_text("Texte du second onglet")
    expect(other.get_by_label("Besoins du ménage")).to_have_value("Texte du second onglet")
    field = DossierField.objects.get(dossier__trainee=trainee, name="needs")
    assert field.value == "Texte du premier onglet"

    other.get_by_role("button", name="Garder mon texte").click()
    expect(other.locator("#etat-needs")).to_contain_text("Enregistré à")
    field.refresh_from_db()
    assert field.value == "Texte du second onglet"

    # The first tab is now the stale one; its person keeps the text saved from the other tab.
    page.get_by_label("Besoins du ménage").fill("Encore le premier onglet")
    expect(page.locator("#etat-needs .conflict")).to_be_visible()
    page.get_by_role("button", name="Garder le texte enregistré").click()
    expect(page.get_by_label("Besoins du ménage")).to_have_value("Texte du second onglet")
    expect(page.locator("#etat-needs .conflict")).to_have_count(0)
    field.refresh_from_db()
    assert field.value == "Texte du second onglet"
    page.reload()
    expect(page.get_by_label("Besoins du ménage")).to_have_value("Texte du second onglet")
