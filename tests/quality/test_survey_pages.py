"""Survey pages: tree rules and rendering of the seeded surveys."""

from wagtail.test.utils import WagtailPageTestCase

import pytest

from assessments.quality.models import SurveyIndexPage, SurveyPage
from lms.models import HomePage


class SurveyPageTreeTests(WagtailPageTestCase):
    def test_the_index_goes_under_the_home_page_and_surveys_under_the_index(self):
        self.assertCanCreateAt(HomePage, SurveyIndexPage)
        self.assertCanCreateAt(SurveyIndexPage, SurveyPage)
        self.assertCanNotCreateAt(HomePage, SurveyPage)
        self.assertCanNotCreateAt(SurveyPage, SurveyPage)


@pytest.mark.django_db
def test_the_seeded_surveys_render_with_their_questions(client, home_page):
    from assessments.quality.seed import seed_surveys

    surveys = seed_surveys()
    assert len(surveys) == 3
    index = client.get("/questionnaires/").content.decode()
    assert all(survey.title in index for survey in surveys)
    follow_up = next(survey for survey in surveys if survey.is_follow_up)
    page = client.get(follow_up.url).content.decode()
    assert "90 jours après la fin de la session" in page
    assert "Combien de ménages avez-vous accompagnés" in page
    assert seed_surveys() == surveys  # idempotent
