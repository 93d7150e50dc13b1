"""Journey: a trainer validates, in one action, every competency proposed "atteinte" in a session
(unchecking one to look at it later), with one comment; the grid then shows them validated."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session_with_reached(home_page, trainer):
    """Two trainees whose graded quiz puts C1 and C2 at 100 % (proposed "atteinte")."""
    from assessments.services import attempt_save_answers, attempt_start, attempt_submit
    from tests.factories import (
        AssessmentPageFactory,
        EnrolmentFactory,
        TraineeFactory,
        TrainingSessionFactory,
        make_question,
    )

    session = TrainingSessionFactory(name="Session de Laval", trainers=[trainer])
    quiz = AssessmentPageFactory(
        questions=[
            make_question(
                "single_choice", code, 2, text=f"Question {code}",
                choices=[("Juste", True), ("Faux", False)],
            )
            for code in ("C1", "C2")
        ]
    )  # fmt: skip
    for first, last in (("Inès", "Abadie"), ("Thomas", "Barthe")):
        trainee = TraineeFactory(first_name=first, last_name=last)
        EnrolmentFactory(trainee=trainee, session=session, status="in_training")
        attempt = attempt_start(trainee=trainee, assessment=quiz)
        attempt_save_answers(
            attempt=attempt,
            values={
                q: [next(c.pk for c in q.choices.all() if c.correct)] for q in quiz.questions.all()
            },
        )
        attempt_submit(attempt=attempt)
    return session


def test_a_trainer_validates_every_reached_competency_in_one_action(
    page, login, trainer, session_with_reached
):
    from assessments.models import CompetencyDecision, CompetencyResult

    login(trainer)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Suivi de session"
    ).click()
    page.get_by_role("link", name=re.compile("Session de Laval")).click()
    expect(page.get_by_text("4 compétences atteintes à valider")).to_be_visible()
    page.get_by_role("link", name="les valider en une fois").click()

    expect(page.get_by_role("heading", name="Valider les compétences atteintes")).to_be_visible()
    table = page.get_by_role("table", name="Résumé des preuves de chaque compétence")
    expect(table.get_by_role("row")).to_have_count(5)  # header + 4
    expect(table).to_contain_text("ABADIE Inès")
    expect(table).to_contain_text("100 % · 1 résultat")
    boxes = table.get_by_role("checkbox")
    for index in range(4):
        expect(boxes.nth(index)).to_be_checked()
    # Thomas Barthe's C2 is left for a decision on its own.
    page.get_by_role("checkbox", name="BARTHE Thomas · C2").uncheck()
    page.get_by_label(re.compile("^Commentaire")).fill("Quiz de synthèse réussi, vu en séance.")
    page.get_by_role("button", name="Valider les compétences cochées").click()

    expect(page.get_by_text("3 compétences validées.")).to_be_visible()
    expect(page.get_by_text("1 compétence atteinte à valider")).to_be_visible()
    validated = CompetencyResult.objects.filter(status="validated")
    assert sorted(f"{r.trainee.last_name} {r.competency.code}" for r in validated) == [
        "Abadie C1",
        "Abadie C2",
        "Barthe C1",
    ]
    assert set(CompetencyDecision.objects.values_list("comment", flat=True)) == {
        "Quiz de synthèse réussi, vu en séance."
    }

    # Nothing left to validate for the others: the page says so.
    page.get_by_role("link", name="les valider en une fois").click()
    page.get_by_role("checkbox", name="BARTHE Thomas · C2").uncheck()
    page.get_by_role("button", name="Valider les compétences cochées").click()
    expect(page.get_by_text("Cochez au moins une compétence à valider.")).to_be_visible()
