"""Journeys for the certification rules: the final evaluation closed under the attendance
threshold (with the reason), and a trainee who failed the final never certifiable."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_under_the_attendance_threshold_cannot_open_the_final(page, login, home_page):
    from tests.factories import EnrolmentFactory, TraineeFactory, attend, final_assessment

    trainee = TraineeFactory(first_name="Inès", last_name="Morel")
    enrolment = EnrolmentFactory(
        trainee=trainee, session__week1_start=datetime.date.today() - datetime.timedelta(days=28)
    )
    attend(enrolment, 10)  # 10 of 30 half-days: 33,3 %
    final = final_assessment()

    login(trainee)
    page.goto(final.url)
    expect(page.get_by_text("Assiduité à ce jour de 33,3 %, sous le seuil de 80 %")).to_be_visible()
    expect(page.get_by_text("il manque 46,7 points")).to_be_visible()
    expect(page.get_by_role("button", name="Commencer")).to_have_count(0)


def test_a_trainee_who_failed_the_final_is_not_certifiable(page, login, home_page, trainer):
    from tests.factories import TraineeFactory, eligible_enrolment

    trainee = TraineeFactory(first_name="Paul", last_name="Vidal")
    eligible_enrolment(trainer=trainer, trainee=trainee, final="47.9")

    login(trainer)
    page.goto("/certifications/")
    expect(page.get_by_text("Aucun·e stagiaire certifiable pour le moment.")).to_be_visible()
    expect(page.get_by_role("link", name="Certifier Paul Vidal")).to_have_count(0)
    expect(page.get_by_text("L'évaluation finale n'est pas réussie.")).to_be_visible()


def test_the_certificate_keeps_the_name_as_issued_after_the_holder_renames_themself(
    page, login, home_page, trainer
):
    import io

    from pypdf import PdfReader

    from assessments.certification.services import certification_create
    from tests.factories import TraineeFactory, eligible_enrolment

    trainee = TraineeFactory(first_name="Nadia", last_name="Roussel")
    certification = certification_create(
        enrolment=eligible_enrolment(trainer=trainer, trainee=trainee), user=trainer
    )

    login(trainee)
    page.goto("/compte/")
    page.locator("#id_last_name").fill("Kessler")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_last_name")).to_have_value("Kessler")

    page.goto("/mon-parcours/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le certificat (PDF)").click()
    with open(download_info.value.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert "Nadia Roussel" in text and "Kessler" not in text
    assert certification.number in text

    page.get_by_role("link", name="page de vérification").click()
    verification = page.locator(".verification")  # the header still greets the account's name
    expect(verification).to_contain_text("Statut : valide")
    expect(verification).to_contain_text("Nadia Roussel")
    expect(verification).not_to_contain_text("Kessler")
