"""A trainee takes the positioning test and the week-1 quiz; a trainer grades an open answer of
the final assessment with its rubric; the trainee then reads the graded result."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(home_page, trainee, trainer):
    from assessments.seed import seed
    from tests.factories import EnrolmentFactory

    seed()
    enrolment = EnrolmentFactory(trainee=trainee)
    enrolment.session.trainers.add(trainer)
    return enrolment


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def test_trainee_takes_positioning_and_quiz_then_trainer_grades_the_final(
    page, login, seeded, trainee, trainer
):
    from assessments.models import AssessmentPage, Attempt
    from assessments.services import attempt_save_answers, attempt_start, attempt_submit

    login(trainee)

    # Positioning test: all questions on one page, a countdown, autosave, kept on reload.
    page.get_by_role("link", name="Mes évaluations").click()
    page.get_by_role("link", name="Test de positionnement").click()
    page.get_by_role("button", name="Commencer").click()
    expect(page.get_by_role("timer")).to_contain_text("Temps restant")
    first = page.get_by_label(re.compile(r"Le revenu fiscal de référence \(RFR\)"))
    first.check()
    expect(page.locator("#question-1 .save-status")).to_contain_text("Enregistré")
    page.locator("#question-2").get_by_label("Vrai").check()
    expect(page.locator("#question-2 .save-status")).to_contain_text("Enregistré")
    page.reload()
    expect(first).to_be_checked()
    expect(page.locator("#question-2").get_by_label("Vrai")).to_be_checked()
    page.get_by_role("button", name="Vérifier et envoyer").click()
    expect(page.get_by_text("Vous ne pourrez plus modifier vos réponses.")).to_be_visible()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Résultat")).to_be_visible()
    expect(page.get_by_test_id("attempt-score")).to_have_text("2 / 13 points")
    expect(page.get_by_role("heading", name="Corrections")).to_be_visible()

    # Week-1 quiz: feedback right after submitting.
    page.goto("/evaluations/quiz-semaine-1/")
    page.get_by_role("button", name="Commencer").click()
    page.get_by_label("Très modeste (bleu)").check()
    expect(page.locator("#question-1 .save-status")).to_contain_text("Enregistré")
    page.get_by_role("button", name="Vérifier et envoyer").click()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_test_id("attempt-score")).to_contain_text("1 / ")
    expect(page.get_by_text("Non réussie (seuil : 60 %)")).to_be_visible()

    # The final assessment, answered earlier: one written case study waits for a trainer.
    final = AssessmentPage.objects.get(slug="evaluation-finale")
    attempt = attempt_start(trainee=trainee, assessment=final)
    case_study = final.questions.filter(kind="long_text").order_by("sort_order").first()
    attempt_save_answers(
        attempt=attempt,
        values={case_study: "Mme R. est très modeste. MPR = 32 000 €, reste à charge 11 475 €."},
    )
    attempt_submit(attempt=attempt)
    page.goto(f"/tentatives/{attempt.pk}/resultat/")
    expect(page.get_by_test_id("result-pending")).to_be_visible()
    log_out(page)

    login(trainer)
    page.get_by_role("link", name="Correction").click()
    page.get_by_role("link", name=re.compile("^Corriger")).click()
    expect(page.get_by_test_id("trainee-answer")).to_contain_text("reste à charge 11 475 €")
    criteria = list(case_study.rubric_criteria.order_by("sort_order"))
    for criterion in criteria:
        page.get_by_label(criterion.criterion).fill("1")
    page.get_by_label(criteria[0].criterion).fill("9")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Au plus 2 point(s) pour ce critère.")).to_be_visible()
    expect(page.get_by_label(criteria[1].criterion)).to_have_value("1")
    page.get_by_label(criteria[0].criterion).fill("1,5")
    page.get_by_label("Commentaire pour le stagiaire").fill("Bon calcul, pensez aux prêts.")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(
        page.get_by_text(re.compile("Correction enregistrée pour Camille Martin"))
    ).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    log_out(page)

    login(trainee)
    page.goto(f"/tentatives/{attempt.pk}/resultat/")
    expect(page.get_by_test_id("attempt-score")).to_be_visible()
    expect(page.get_by_text("Bon calcul, pensez aux prêts.")).to_be_visible()
