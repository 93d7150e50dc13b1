"""A module page lists the case studies and assessments that declare they serve it."""

import pytest

from modules.models import ModulePage
from tests.factories import CaseStudyPageFactory, EnrolmentFactory
from tests.factories.assessments import AssessmentPageFactory
from tests.factories.modules import build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(home_page):
    build_programme(home_page)
    return ModulePage.objects.get(number=1)


def test_the_module_lists_its_live_case_studies_and_assessments(client_as, module, trainee):
    EnrolmentFactory(trainee=trainee)
    case = CaseStudyPageFactory(title="Les Martin", golden_case="cas-a-2026-tmo-f-c")
    case.modules = [module]
    case.save()
    other = CaseStudyPageFactory(title="Ailleurs", slug="ailleurs")
    quiz = AssessmentPageFactory(title="Quiz du module 1")
    quiz.modules = [module]
    quiz.save()
    draft = AssessmentPageFactory(title="Quiz en brouillon")
    draft.modules = [module]
    draft.live = False
    draft.save()

    html = client_as(trainee).get(module.url).content.decode()
    assert "Cas pratiques et évaluations du module" in html
    assert f'href="{case.url}"' in html
    assert f'href="{quiz.url}"' in html
    assert "Quiz — " not in html and "Quiz en brouillon" not in html
    assert other.title not in html


def test_a_visitor_does_not_get_the_list(client, module):
    case = CaseStudyPageFactory(title="Les Martin")
    case.modules = [module]
    case.save()
    assert "Les Martin" not in client.get(module.url).content.decode()


def test_the_module_page_query_count_does_not_grow_with_its_activities(
    client_as, module, trainee, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EnrolmentFactory(trainee=trainee)
    client = client_as(trainee)

    def add(n):
        for i in range(n):
            case = CaseStudyPageFactory(title=f"Cas {i}", slug=f"cas-{n}-{i}")
            case.modules = [module]
            case.save()
            quiz = AssessmentPageFactory()
            quiz.modules = [module]
            quiz.save()

    add(1)
    client.get(module.url)
    with CaptureQueriesContext(connection) as first:
        client.get(module.url)
    first_count = len(first)  # read now: the next request clears the connection's query log
    add(3)
    # The first reader after a publish rebuilds the module's links, shared by every reader
    # afterwards (lms.shared): compare the readers after it.
    client.get(module.url)
    with django_assert_num_queries(first_count):
        assert client.get(module.url).status_code == 200


def test_the_trainee_menu_leads_to_the_case_studies(client_as, trainee, trainer):
    CaseStudyPageFactory()
    client = client_as(trainee)
    html = client.get("/compte/").content.decode()
    assert '<a href="/formation/cas-pratiques/"' in html and ">Cas pratiques<" in html
    response = client.get("/formation/cas-pratiques/")
    assert response.status_code == 302 and response["Location"].endswith("/cas-pratiques/")
    html = client_as(trainer).get("/compte/").content.decode()
    assert "/formation/cas-pratiques/" not in html


def test_the_menu_link_is_a_404_before_the_list_is_published(client_as, trainee):
    assert client_as(trainee).get("/formation/cas-pratiques/").status_code == 404
