"""Page tree rules and the admin form's checks on questions."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from assessments.models import AssessmentIndexPage, AssessmentPage
from lms.models import HomePage
from modules.models import Competency, ModulePage, ProgrammePage
from tests.factories import AssessmentPageFactory, assessment_index


class AssessmentPageTreeTests(WagtailPageTestCase):
    def test_index_goes_under_home_only(self):
        self.assertCanCreateAt(HomePage, AssessmentIndexPage)
        self.assertCanNotCreateAt(ProgrammePage, AssessmentIndexPage)

    def test_assessments_go_under_the_index_only(self):
        self.assertCanCreateAt(AssessmentIndexPage, AssessmentPage)
        self.assertCanNotCreateAt(HomePage, AssessmentPage)
        self.assertCanNotCreateAt(ModulePage, AssessmentPage)

    def test_an_assessment_has_no_child_pages(self):
        self.assertAllowedSubpageTypes(AssessmentPage, set())

    def test_only_one_index(self):
        self.assertEqual(AssessmentIndexPage.max_count, 1)


def question(**fields):
    data = {
        "kind": "single_choice", "competency": str(Competency.objects.get(code="C1").pk),
        "points": "1", "text": "Quelle catégorie ?", "tolerance": "0", "unit": "",
        "accepted_answers": "", "explanation": "", "answer_bool": "", "answer_number": "",
        "choices": inline_formset([]), "rubric_criteria": inline_formset([]),
    }  # fmt: skip
    data.update(fields)
    return data


def admin_post(client, index, questions):
    data = nested_form_data(
        {
            "title": "Quiz test", "slug": "quiz-test", "kind": "quiz", "intro": "",
            "time_limit_minutes": "", "attempts_allowed": "1", "pass_mark_percent": "60",
            "feedback": "after_submit", "available_from": "", "available_until": "",
            "questions": inline_formset(questions, min=1),
        }
    )  # fmt: skip
    return client.post(f"/admin/pages/add/assessments/assessmentpage/{index.pk}/", data)


@pytest.mark.django_db
def test_admin_refuses_a_single_choice_with_two_right_answers(client_as, superuser, home_page):
    index = assessment_index()
    choices = inline_formset([{"text": "A", "correct": "on"}, {"text": "B", "correct": "on"}])
    response = admin_post(client_as(superuser), index, [question(choices=choices)])
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Question 1 : Une question à choix unique doit avoir exactement une bonne réponse" in body
    )
    assert not AssessmentPage.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_a_rubric_that_does_not_add_up(client_as, superuser, home_page):
    index = assessment_index()
    rubric = inline_formset([{"criterion": "Calcul", "points": "2"}])
    response = admin_post(
        client_as(superuser),
        index,
        [question(kind="long_text", points="3", rubric_criteria=rubric)],
    )
    assert "Les points de la grille (2) doivent faire le total de la question (3)." in (
        response.content.decode()
    )
    assert not AssessmentPage.objects.exists()


@pytest.mark.django_db
def test_admin_saves_a_valid_assessment_with_nested_choices(client_as, superuser, home_page):
    index = assessment_index()
    choices = inline_formset([{"text": "Très modeste", "correct": "on"}, {"text": "Modeste"}])
    response = admin_post(client_as(superuser), index, [question(choices=choices)])
    assert response.status_code == 302
    page = AssessmentPage.objects.get(slug="quiz-test")
    saved = page.get_latest_revision_as_object().questions.all()[0]
    assert [(c.text, c.correct) for c in saved.choices.all()] == [
        ("Très modeste", True), ("Modeste", False),
    ]  # fmt: skip


@pytest.mark.django_db
def test_admin_edit_form_of_a_seeded_assessment_opens(client_as, superuser, home_page):
    page = AssessmentPageFactory()
    response = client_as(superuser).get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "Grille de correction" in response.content.decode()


@pytest.mark.django_db
def test_index_page_lists_assessments_with_my_status(client_as, trainee, home_page):
    AssessmentPageFactory(title="Quiz de la semaine 1")
    body = client_as(trainee).get("/evaluations/").content.decode()
    assert "Quiz de la semaine 1" in body and "À faire" in body
    assert client_as(trainee).get("/mes-evaluations/")["Location"] == "/evaluations/"


@pytest.mark.django_db
def test_today_lists_assessments_not_passed_yet(trainee, home_page):
    import datetime

    from assessments.hooks import assessments_due
    from modules import today
    from tests.factories import EnrolmentFactory

    assert assessments_due in today._due_providers
    positioning = AssessmentPageFactory(
        kind=AssessmentPage.Kind.POSITIONING, title="Positionnement"
    )
    AssessmentPageFactory(title="Quiz sans module")
    enrolment = EnrolmentFactory(trainee=trainee)
    items = assessments_due(trainee, enrolment, datetime.date.today())
    assert items == [
        {
            "label": "Positionnement",
            "url": positioning.url,
            "due_label": "avant le jour 1",
            "due_date": enrolment.session.week1_start,  # Aujourd'hui flags it once overdue
        }
    ]
