"""Journey: a trainer validates five competencies, a coordinator certifies, the certificate
PDF downloads, its public verification page says "valide" and the tracker counts one more."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODES = ["C1", "C2", "C3", "C4", "C5"]


@pytest.fixture
def ready_trainee(home_page, trainer):
    """A trainee with a graded quiz (every competency at 100 %), a passed final evaluation and
    full attendance."""
    from assessments.services import attempt_save_answers, attempt_start, attempt_submit
    from tests.factories import (
        AssessmentPageFactory,
        EnrolmentFactory,
        TraineeFactory,
        attend,
        make_question,
        sit_final,
    )

    trainee = TraineeFactory(first_name="Nadia", last_name="Roussel")
    enrolment = EnrolmentFactory(trainee=trainee, status="in_training")
    enrolment.session.trainers.add(trainer)
    attend(enrolment, 30)
    quiz = AssessmentPageFactory(
        questions=[
            make_question(
                "single_choice",
                code,
                2,
                text=f"Question {code}",
                choices=[("Juste", True), ("Faux", False)],
            )  # fmt: skip
            for code in CODES
        ]
    )
    attempt = attempt_start(trainee=trainee, assessment=quiz)
    questions = list(quiz.questions.all())
    attempt_save_answers(
        attempt=attempt,
        values={q: [next(c.pk for c in q.choices.all() if c.correct)] for q in questions},
    )
    attempt_submit(attempt=attempt)
    sit_final(trainee, percent="82")
    return enrolment


def nav(page):
    return page.get_by_role("navigation", name="Navigation principale")


def _log_out(page):
    page.context.clear_cookies()


def test_trainer_validates_coordinator_certifies_and_anyone_verifies(
    page, login, trainer, coordinator, ready_trainee
):
    session = ready_trainee.session

    # The coordinator's tracker before.
    login(coordinator)
    page.goto("/tableau-national/")
    before = int(page.get_by_test_id("certified-total").inner_text())
    _log_out(page)

    # The trainer validates the five competencies from Suivi de session.
    login(trainer)
    nav(page).get_by_role("link", name="Suivi de session").click()
    page.get_by_role("link", name=session.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(session.name)
    expect(page.get_by_text("5 compétences atteintes à valider")).to_be_visible()
    for code in CODES:
        page.get_by_text(f"Décider pour {code}, Nadia Roussel").click()
        page.get_by_role("button", name=f"Valider {code} pour Nadia Roussel", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text(f"{code} de Nadia Roussel : validée")
    expect(page.get_by_text("1 stagiaire certifiable")).to_be_visible()
    _log_out(page)

    # The coordinator certifies on Certifications, after a confirmation showing the evidence.
    login(coordinator)
    nav(page).get_by_role("link", name="Certifications").click()
    page.get_by_role("link", name="Certifier Nadia Roussel").click()
    expect(page.get_by_role("heading", name="Résumé des preuves")).to_be_visible()
    expect(page.get_by_text("82 % · réussie")).to_be_visible()
    expect(page.get_by_text("Assiduité au seuil du programme")).to_be_visible()
    page.get_by_role("button", name="Confirmer la certification de Nadia Roussel").click()
    expect(page.get_by_role("status")).to_contain_text("Nadia Roussel est certifié·e")
    heading = page.get_by_role("heading", level=1).inner_text()
    number = re.search(r"ENS-\d{4}-\d{5}-[0-9A-Z]{4}", heading).group(0)

    # The certificate PDF downloads.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le certificat (PDF)").click()
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    assert content.startswith(b"%PDF")
    assert number.encode() in content

    # The tracker counts one more.
    page.goto("/tableau-national/")
    expect(page.get_by_test_id("certified-total")).to_have_text(str(before + 1))
    _log_out(page)

    # Anyone checks the certificate by its number.
    page.goto("/certificats/verifier/")
    page.get_by_label("Numéro du certificat").fill(number.lower())
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.get_by_text("Statut : valide")).to_be_visible()
    expect(page.get_by_text("Nadia Roussel")).to_be_visible()
    expect(page.get_by_text(ready_trainee.trainee.email)).to_have_count(0)
