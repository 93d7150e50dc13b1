"""The quality loop in the browser (issue 15): accommodations recorded by the disability
referent and applied to a timed quiz; surveys, complaints and the evidence pack."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


@pytest.fixture
def seeded(home_page, trainee, trainer):
    from assessments.seed import seed
    from tests.factories import EnrolmentFactory

    seed()
    enrolment = EnrolmentFactory(trainee=trainee)
    enrolment.session.trainers.add(trainer)
    return enrolment


def test_referent_grants_extra_time_and_the_trainee_gets_it_in_a_timed_quiz(
    page, login, seeded, trainee, trainer
):
    from tests.factories import DisabilityReferentFactory

    referent = DisabilityReferentFactory(first_name="Nadia", last_name="Haddad")
    login(referent)
    # The referent lands on the register.
    expect(page.get_by_role("heading", name="Aménagements")).to_be_visible()
    page.get_by_role("link", name="Enregistrer un aménagement").click()
    page.get_by_label("Stagiaire", exact=False).first.select_option(label="Camille Martin")
    page.get_by_label("Coefficient de temps").fill("1,5")
    page.get_by_label("Format adapté").fill("Sujets en gros caractères")
    page.get_by_label("Note confidentielle").fill("Trouble dys (certificat médical vu)")
    page.get_by_label("Accord du ou de la stagiaire le").fill("2026-01-05")
    page.get_by_role("button", name="Enregistrer").click()
    # Without the consent box: refused, what was typed is kept.
    expect(page.get_by_text("L'accord de la personne est nécessaire.")).to_be_visible()
    expect(page.get_by_label("Format adapté")).to_have_value("Sujets en gros caractères")
    page.get_by_label("La personne a donné son accord à ces aménagements").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Aménagement enregistré")).to_be_visible()
    expect(page.get_by_role("cell", name="+50 % (×1,5)")).to_be_visible()
    log_out(page)

    # The trainer reads what to apply, never the confidential note.
    login(trainer)
    page.goto("/qualite/amenagements/")
    expect(page.get_by_role("cell", name="Sujets en gros caractères")).to_be_visible()
    expect(page.get_by_text("Trouble dys")).to_have_count(0)
    log_out(page)

    # The trainee sees what was granted, then gets it in the 25-minute quiz: 37 min 30 s.
    login(trainee)
    page.get_by_role("link", name="Avis et aménagements").click()
    expect(page.get_by_test_id("accommodation")).to_contain_text("50 % de plus")
    page.goto("/evaluations/quiz-semaine-1/")
    expect(page.get_by_text("Durée : 38 minutes pour vous")).to_be_visible()
    page.get_by_role("button", name="Commencer").click()
    expect(page.locator(".timer-value")).to_have_text(re.compile(r"^3[67] min \d\d s$"))


def test_a_complaint_goes_from_filed_to_closed(page, login, seeded, trainee, coordinator):
    login(trainee)
    page.get_by_role("link", name="Avis et aménagements").click()
    page.get_by_role("link", name="Signaler une réclamation ou un incident").click()
    page.get_by_label("Réclamation").check()
    page.get_by_label("Objet").fill("Supports du module 3 illisibles")
    page.get_by_label("Description").fill("Les schémas sont trop petits une fois imprimés.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("est enregistrée sous le n°")).to_be_visible()
    expect(page.get_by_test_id("complaint-status")).to_have_text("Déposée")
    log_out(page)

    login(coordinator)
    page.get_by_role("link", name="Qualité").click()
    page.get_by_role("link", name="Registre des réclamations").click()
    page.get_by_role("link", name=re.compile(r"^\d{4}-\d{4}$")).first.click()
    page.get_by_role("button", name="Enregistrer : réception accusée").click()
    expect(page.get_by_test_id("complaint-status")).to_have_text("Réception accusée")
    page.get_by_role("button", name="Enregistrer : analysée").click()
    expect(page.get_by_text("Écrivez l'analyse")).to_have_count(2)  # label and error
    page.get_by_label("Écrivez l'analyse").fill("Impression en A4 au lieu de A3.")
    page.get_by_role("button", name="Enregistrer : analysée").click()
    page.get_by_label("Écrivez la réponse").fill("Nouveaux supports en A3 envoyés.")
    page.get_by_role("button", name="Enregistrer : réponse apportée").click()
    page.get_by_label("Action d'amélioration").fill("Vérifier l'impression des schémas en A3")
    page.get_by_label("Responsable").fill("Équipe pédagogique")
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.get_by_text("Action d'amélioration enregistrée.")).to_be_visible()
    page.get_by_role("button", name="Enregistrer : clôturée").click()
    expect(page.get_by_test_id("complaint-status")).to_have_text("Clôturée")
    log_out(page)

    login(trainee)
    page.goto("/qualite/reclamations/")
    expect(page.get_by_role("cell", name="Clôturée")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^\d{4}-\d{4}$")).click()
    expect(page.get_by_text("Nouveaux supports en A3 envoyés.")).to_be_visible()


def test_trainee_answers_the_weekly_survey_after_a_reminder_and_the_coordination_sees_it(
    page, login, home_page, trainee, trainer, coordinator
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from assessments.quality.seed import seed_surveys
    from tests.factories import EnrolmentFactory, TrainingSessionFactory

    seed_surveys()
    today = timezone.localdate()
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    session = TrainingSessionFactory(week1_start=last_monday, name="Session de Laval")
    session.trainers.add(trainer)
    EnrolmentFactory(trainee=trainee, session=session, status="in_training")
    call_command("send_survey_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    login(trainee)
    page.get_by_role("link", name=re.compile("Notifications")).first.click()
    page.get_by_role("link", name="Un questionnaire de satisfaction vous attend").click()
    expect(page.get_by_role("heading", name="Votre semaine de formation")).to_be_visible()
    expect(page.get_by_text("semaine 1")).to_be_visible()
    questions = page.locator("fieldset.survey-question")
    # Sent without the required notes: refused, the others kept.
    questions.nth(2).get_by_label("4").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Cette question demande une réponse.").first).to_be_visible()
    expect(page.locator("fieldset.survey-question").nth(2).get_by_label("4")).to_be_checked()
    page.locator("fieldset.survey-question").nth(0).get_by_label("5").check()
    page.locator("fieldset.survey-question").nth(1).get_by_label("4").check()
    page.locator("fieldset.survey-question").nth(3).get_by_label("5").check()
    page.get_by_label("Une chose à garder, une chose à changer ?").fill("Les cas pratiques !")
    page.get_by_label("Répondre anonymement").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Merci : vos réponses sont enregistrées.")).to_be_visible()
    expect(page.get_by_text("Aucun questionnaire en attente.")).to_be_visible()
    log_out(page)

    login(coordinator)
    page.get_by_role("link", name="Qualité").click()
    row = page.get_by_test_id("by-session").get_by_role("row", name=re.compile("Session de Laval"))
    expect(row).to_contain_text("100 % satisfait·es")
    row.get_by_role("link", name="Session de Laval").click()
    expect(page.get_by_text("Les cas pratiques !")).to_be_visible()
    page.goto("/resultats/")
    expect(page.get_by_test_id("figure-satisfaction_hot")).to_contain_text("100 %")
    expect(page.get_by_test_id("figure-satisfaction_hot")).to_contain_text("sur 1 questionnaire")


def test_the_coordination_downloads_the_evidence_pack_of_a_session(
    page, login, seeded, trainee, coordinator
):
    import io
    import zipfile

    from modules.seed import seed_programme

    seed_programme()
    session = seeded.session
    login(coordinator)
    page.get_by_role("link", name="Qualité").click()
    page.get_by_label("Session", exact=True).first.select_option(str(session.pk))
    page.get_by_role("button", name="Ouvrir").click()
    expect(page.get_by_role("heading", name=session.name)).to_be_visible()
    page.get_by_role("button", name="Préparer le dossier de preuves").click()
    expect(page.get_by_text("Dossier de preuves demandé")).to_be_visible()
    page.reload()  # built by the task queue once the request committed
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Télécharger")).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"preuves-qualiopi-{session.slug}-")
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    index = archive.read("00-index.csv").decode("utf-8-sig")
    for name in names:
        if name != "00-index.csv":
            assert name in index
    for expected in ("01-programme", "03-feuille-emargement.pdf", "08-satisfaction.csv",
                     "09-reclamations", "10-amenagements.csv"):  # fmt: skip
        assert any(name.startswith(expected) for name in names), expected
