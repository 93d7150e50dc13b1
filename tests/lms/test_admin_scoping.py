"""Scoping leaks in the admin (issue 10, finding 5): the site history report and another
trainer's unpublished pages."""

from wagtail.log_actions import log

import pytest

from tests.factories import (
    CaseStudyPageFactory,
    EnrolmentFactory,
    TrainerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

HISTORY = "/admin/reports/site-history/"
REFUSED = (302, 403)


@pytest.fixture
def logged_enrolments(trainer, superuser):
    mine = EnrolmentFactory(
        session=TrainingSessionFactory(
            trainers=[trainer], name="Session Laval", generate_slots=False
        )
    )
    theirs = EnrolmentFactory(
        session=TrainingSessionFactory(
            trainers=[TrainerFactory()], name="Session Brest", generate_slots=False
        )
    )
    for enrolment in (mine, theirs):
        log(enrolment, "wagtail.edit", user=superuser)
        log(enrolment.session, "wagtail.edit", user=superuser)
    return mine, theirs


@pytest.mark.parametrize("url", [HISTORY, HISTORY + "results/"])
def test_the_site_history_shows_a_trainer_only_their_sessions_changes(
    client_as, trainer, logged_enrolments, url
):
    body = client_as(trainer).get(url).content.decode()
    assert "Session Laval" in body
    assert "Session Brest" not in body


def test_the_site_history_shows_a_coordinator_every_session(
    client_as, coordinator, logged_enrolments
):
    body = client_as(coordinator).get(HISTORY).content.decode()
    assert "Session Laval" in body and "Session Brest" in body


def test_the_site_history_csv_export_is_scoped_too(client_as, trainer, logged_enrolments):
    response = client_as(trainer).get(HISTORY + "?export=csv")
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert "Session Laval" in body and "Session Brest" not in body


def draft_by(author):
    page = CaseStudyPageFactory(title="Brouillon de Sam")
    page.live, page.owner = False, author
    page.save()
    return page


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_a_trainer_cannot_edit_or_delete_another_trainers_unpublished_page(client_as, action):
    author, other = TrainerFactory(), TrainerFactory()
    page = draft_by(author)
    url = f"/admin/pages/{page.pk}/{action}/"
    # Wagtail answers a refusal with a redirect to the dashboard and a message.
    assert client_as(other).get(url).status_code in REFUSED
    assert client_as(other).post(url, {"title": "Pris", "slug": page.slug}).status_code in REFUSED
    page.refresh_from_db()
    assert page.title == "Brouillon de Sam"
    assert client_as(author).get(url).status_code == 200


def test_a_trainer_still_works_on_published_pages_and_a_coordinator_on_any(client_as, coordinator):
    page = draft_by(TrainerFactory())
    assert client_as(coordinator).get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    page.live = True
    page.save()
    assert client_as(TrainerFactory()).get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_a_trainer_cannot_edit_a_published_page_over_another_trainers_pending_draft(client_as):
    author = TrainerFactory()
    page = draft_by(author)
    page.live = True
    page.save()
    page.save_revision(user=author)
    assert client_as(TrainerFactory()).get(f"/admin/pages/{page.pk}/edit/").status_code in REFUSED
