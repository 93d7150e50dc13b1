"""Records that cannot vanish: pages that half-days, attempts or dossiers depend on are not
deleted; the admin lists the dependents and offers to unpublish (issue 9, item 6)."""

import datetime

from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, ReferenceIndex

import pytest

from assessments.models import AssessmentPage, Attempt
from casestudies.models import CaseStudyPage
from modules.models import ModulePage, SessionSlot
from tests.factories import (
    AssessmentPageFactory,
    DossierFactory,
    TrainingSessionFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(home_page):
    return build_programme(home_page)


@pytest.fixture
def module_with_half_days(programme):
    session = TrainingSessionFactory(week1_start=datetime.date(2026, 3, 2))
    module = ModulePage.objects.get(number=1)
    slots = list(SessionSlot.objects.filter(session=session, modules=module))
    assert slots, "the timetable puts module 1 in some half-days"
    return module, slots


def delete_url(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def test_module_usage_counts_the_half_days_that_name_it(module_with_half_days):
    module, slots = module_with_half_days
    assert ReferenceIndex.get_references_to(module).count() == len(slots)


def test_removing_a_module_from_a_half_day_removes_its_reference(module_with_half_days):
    module, slots = module_with_half_days
    slots[0].modules.remove(module)
    assert ReferenceIndex.get_references_to(module).count() == len(slots) - 1


def test_deleting_a_module_with_half_days_is_refused_with_the_list(
    client_as, superuser, module_with_half_days
):
    module, slots = module_with_half_days
    client = client_as(superuser)
    page = client.get(delete_url(module))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Suppression impossible" in text
    assert f"{len(slots)} modules des demi-journées" in text
    assert str(slots[0]) in text
    assert reverse("wagtailadmin_pages:unpublish", args=[module.pk]) in text

    response = client.post(delete_url(module))
    assert response.status_code == 409
    assert ModulePage.objects.filter(pk=module.pk).exists()
    for slot in slots:
        assert module in slot.modules.all()


def test_deleting_the_programme_is_refused_for_its_modules_half_days(
    client_as, superuser, programme, module_with_half_days
):
    response = client_as(superuser).post(delete_url(programme))
    assert response.status_code == 409
    assert "modules des demi-journées" in response.content.decode()
    assert Page.objects.filter(pk=programme.pk).exists()


def test_bulk_deleting_a_module_with_half_days_is_refused(
    client_as, superuser, programme, module_with_half_days
):
    module, slots = module_with_half_days
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={module.pk}&childOf={programme.pk}"
    )
    client = client_as(superuser)
    confirmation = client.get(url).content.decode()
    # Wagtail's own bulk view reads the PROTECT references from the reference index.
    assert f"référencé(e) {len(slots)} fois" in confirmation
    assert "l'empêche d'être supprimé(e)" in confirmation.replace("&#x27;", "'")
    client.post(url)
    assert ModulePage.objects.filter(pk=module.pk).exists()


def test_a_module_without_records_can_still_be_deleted(client_as, superuser, programme):
    module = ModulePage.objects.get(number=12)
    module.session_slots.clear()
    response = client_as(superuser).post(delete_url(module))
    assert response.status_code == 302
    assert not ModulePage.objects.filter(pk=module.pk).exists()


def test_deleting_an_assessment_with_attempts_is_refused_and_keeps_them(
    client_as, superuser, trainee
):
    quiz = AssessmentPageFactory()
    attempt = Attempt.objects.create(trainee=trainee, assessment=quiz, started_at=timezone.now())
    assert ReferenceIndex.get_references_to(quiz).count() == 1

    response = client_as(superuser).post(delete_url(quiz))
    assert response.status_code == 409
    assert "1 tentatives" in response.content.decode()
    assert AssessmentPage.objects.filter(pk=quiz.pk).exists()
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_an_attempt_protects_its_assessment_at_the_database_layer(trainee):
    quiz = AssessmentPageFactory()
    Attempt.objects.create(trainee=trainee, assessment=quiz, started_at=timezone.now())
    with pytest.raises(ProtectedError):
        quiz.delete()


def test_deleting_a_case_study_with_dossiers_is_refused(client_as, superuser):
    dossier = DossierFactory()
    case_study = dossier.case_study
    assert ReferenceIndex.get_references_to(case_study).count() == 1
    response = client_as(superuser).get(delete_url(case_study))
    assert "1 dossier" in response.content.decode()
    assert client_as(superuser).post(delete_url(case_study)).status_code == 409
    assert CaseStudyPage.objects.filter(pk=case_study.pk).exists()
