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
    import datetime

    from django.utils import timezone

    from assessments.models import AssessmentPage, Attempt
    from assessments.services import attempt_save_answers, attempt_start, attempt_submit
    from tests.factories import attend

    login(trainee)

    # Positioning test: all questions on one page, a countdown, autosave, kept on reload.
    page.get_by_role("link", name="Mes évaluations").click()
    page.get_by_role("link", name="Test de positionnement").click()
    page.get_by_role("button", name="Commencer").click()
    expect(page.get_by_role("timer")).to_contain_text("Temps restant")
    # The header's answer count follows the answers (French: 0 and 1 singular).
    counter = page.locator("[data-answered-count]")
    expect(counter).to_have_text("0 réponse")
    first = page.get_by_label(re.compile(r"Le revenu fiscal de référence \(RFR\)"))
    first.check()
    expect(counter).to_have_text("1 réponse")
    expect(page.locator("#question-1 .save-status")).to_contain_text("Enregistré")
    page.locator("#question-2").get_by_label("Faux").check()
    expect(counter).to_have_text("2 réponses")
    expect(page.locator("#question-2 .save-status")).to_contain_text("Enregistré")
    page.reload()
    expect(counter).to_have_text("2 réponses")
    expect(first).to_be_checked()
    expect(page.locator("#question-2").get_by_label("Faux")).to_be_checked()
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

    # The final assessment, answered on the last afternoon after attending every half-day
    # (the attendance rule opens it): one written case study waits for a trainer.
    final = AssessmentPage.objects.get(slug="evaluation-finale")
    attend(seeded, 30)
    last = seeded.session.slots.order_by("date", "start_time").last()
    sitting = timezone.make_aware(datetime.datetime.combine(last.date, last.start_time))
    attempt = attempt_start(trainee=trainee, assessment=final, now=sitting)
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
    page.get_by_role("link", name=re.compile("^Corriger la question")).click()
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


def test_ticking_the_first_option_everywhere_does_not_pass_the_week_1_quiz(
    page, login, seeded, trainee
):
    login(trainee)
    page.goto("/evaluations/quiz-semaine-1/")
    page.get_by_role("button", name="Commencer").click()
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        options = questions.nth(index).locator("input[type=radio], input[type=checkbox]")
        if options.count():
            options.first.check()
            expect(questions.nth(index).locator(".save-status")).to_contain_text("Enregistré")
    page.get_by_role("button", name="Vérifier et envoyer").click()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Non réussie (seuil : 60 %)")).to_be_visible()


# ---------------------------------------------------------------- connections that drop


@pytest.fixture
def timed_quiz(trainee):
    from tests.factories import AssessmentPageFactory, EnrolmentFactory, make_question

    EnrolmentFactory(trainee=trainee)
    return AssessmentPageFactory(
        time_limit_minutes=30,
        questions=[
            make_question("true_false", "C1", 1, answer_bool=True, text="Première affirmation"),
            make_question("true_false", "C2", 1, answer_bool=False, text="Deuxième affirmation"),
        ],
    )


def open_attempt(page, login, trainee, quiz, *, seconds_left=None):
    import datetime

    from django.utils import timezone

    from assessments.models import Attempt
    from assessments.services import attempt_start

    attempt = attempt_start(trainee=trainee, assessment=quiz)
    if seconds_left is not None:
        deadline = timezone.now() + datetime.timedelta(seconds=seconds_left)
        Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    login(trainee)
    page.goto(f"/tentatives/{attempt.pk}/")
    return attempt


def test_answers_given_offline_are_kept_and_sent_when_the_connection_returns(
    page, login, trainee, timed_quiz
):
    attempt = open_attempt(page, login, trainee, timed_quiz)
    page.context.set_offline(True)
    page.locator("#question-1").get_by_label("Vrai").check()
    expect(page.locator("#question-1 .save-status")).to_contain_text("Hors ligne")
    expect(page.get_by_role("status").filter(has_text="Hors ligne")).to_be_visible()
    page.locator("#question-2").get_by_label("Faux").check()
    assert attempt.answers.filter(value__isnull=False).count() == 0
    page.context.set_offline(False)
    expect(page.locator("#question-1 .save-status")).to_contain_text("Enregistré")
    expect(page.locator("#question-2 .save-status")).to_contain_text("Enregistré")
    assert sorted(attempt.answers.values_list("value", flat=True)) == [False, True]
    page.reload()
    expect(page.locator("#question-1").get_by_label("Vrai")).to_be_checked()


def test_time_up_while_offline_is_sent_when_the_connection_returns(
    page, login, trainee, timed_quiz
):
    from assessments.models import Attempt

    attempt = open_attempt(page, login, trainee, timed_quiz, seconds_left=6)
    page.context.set_offline(True)
    page.locator("#question-1").get_by_label("Vrai").check()
    page.locator("#question-2").get_by_label("Faux").check()
    expect(page.get_by_role("status").filter(has_text="temps écoulé")).to_be_visible(timeout=15_000)
    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Résultat")).to_be_visible()
    expect(page.get_by_test_id("attempt-score")).to_have_text("2 / 2 points")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.timed_out


def test_answers_arriving_after_the_grace_period_are_kept_for_the_trainer(
    page, login, trainee, trainer, timed_quiz, settings
):
    settings.ASSESSMENT_LATE_GRACE_SECONDS = 1
    attempt = open_attempt(page, login, trainee, timed_quiz, seconds_left=4)
    attempt.trainee.enrolments.first().session.trainers.add(trainer)
    page.context.set_offline(True)
    page.locator("#question-1").get_by_label("Vrai").check()
    expect(page.get_by_role("status").filter(has_text="temps écoulé")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(2500)  # past the deadline and its grace period
    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Résultat")).to_be_visible()
    expect(page.get_by_test_id("late-answers")).to_contain_text("Vrai")
    expect(page.get_by_test_id("attempt-score")).to_have_text("0 / 2 points")
    first = attempt.answers.order_by("position").first()
    assert (first.value, first.late_value) == (None, True)
    log_out(page)
    login(trainer)
    page.goto(f"/tentatives/{attempt.pk}/resultat/")
    expect(page.get_by_test_id("late-answers")).to_contain_text("non comptée")


def test_answers_left_on_the_device_are_sent_from_the_result_page_later(
    page, login, trainee, timed_quiz
):
    from assessments.services import attempt_submit

    attempt = open_attempt(page, login, trainee, timed_quiz)
    page.context.set_offline(True)
    page.locator("#question-1").get_by_label("Vrai").check()
    expect(page.locator("#question-1 .save-status")).to_contain_text("Hors ligne")
    context = page.context
    page.close()  # the trainee leaves; the attempt is closed meanwhile (time-up, expiry job)
    attempt_submit(attempt=attempt, timed_out=True)
    context.set_offline(False)
    later = context.new_page()
    later.goto(f"/tentatives/{attempt.pk}/resultat/")
    expect(later.get_by_test_id("late-answers")).to_contain_text("Vrai")
    first = attempt.answers.order_by("position").first()
    assert (first.value, first.late_value) == (None, True)
