from django.contrib.auth.models import Group

import pytest

from lms.roles import Role, is_coordinator, is_trainee, is_trainer, user_roles

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_after_migrations():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Stagiaire", "Formateur", "Coordination nationale"} <= names


def test_trainee_group_has_no_admin_access():
    group = Group.objects.get(name=Role.TRAINEE.value)
    assert not group.permissions.filter(codename="access_admin").exists()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.COORDINATOR])
def test_staff_roles_reach_the_wagtail_admin(role):
    group = Group.objects.get(name=role.value)
    assert group.permissions.filter(codename="access_admin").exists()


def test_trainers_author_pages_under_moderation_and_coordinators_publish():
    trainer = Group.objects.get(name=Role.TRAINER.value)
    coordinator = Group.objects.get(name=Role.COORDINATOR.value)
    trainer_codes = set(trainer.page_permissions.values_list("permission__codename", flat=True))
    coord_codes = set(coordinator.page_permissions.values_list("permission__codename", flat=True))
    assert {"add_page", "change_page"} <= trainer_codes
    assert "publish_page" not in trainer_codes
    assert "publish_page" in coord_codes


def test_role_helpers(trainee, trainer, coordinator, superuser):
    assert user_roles(trainee) == {Role.TRAINEE}
    assert is_trainee(trainee) and not is_trainer(trainee) and not is_coordinator(trainee)
    assert is_trainer(trainer) and not is_coordinator(trainer)
    assert is_coordinator(coordinator)
    assert is_trainer(superuser) and is_coordinator(superuser)


def test_trainee_is_redirected_away_from_the_admin(client_as, trainee):
    response = client_as(trainee).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("fixture", ["trainer", "coordinator"])
def test_trainer_and_coordinator_open_the_admin_dashboard(client_as, request, fixture, home_page):
    user = request.getfixturevalue(fixture)
    response = client_as(user).get("/admin/")
    assert response.status_code == 200


def test_anonymous_visitor_is_sent_to_login_for_private_pages(client):
    for url in ("/mon-espace/", "/compte/", "/compte/mot-de-passe/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")


def test_the_coordination_approves_what_trainers_submit_for_moderation():
    from wagtail.models import GroupApprovalTask, Page, Workflow

    task = GroupApprovalTask.objects.get()
    assert task.groups.filter(name=Role.COORDINATOR.value).exists()
    workflow = Page.get_first_root_node().get_workflow()
    assert workflow == Workflow.objects.get(name="Validation éditoriale")


@pytest.mark.parametrize("fixture", ["trainer", "coordinator"])
@pytest.mark.parametrize("action", ["add", "choose"])
def test_staff_roles_can_upload_and_choose_documents_and_images(request, fixture, action):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    documents = policy_registry.get_by_type(get_document_model())
    images = policy_registry.get_by_type(get_image_model())
    user = request.getfixturevalue(fixture)
    assert documents.user_has_permission(user, action)
    assert images.user_has_permission(user, action)


def test_trainees_cannot_upload_documents(trainee):
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    documents = policy_registry.get_by_type(get_document_model())
    assert not documents.user_has_permission(trainee, "add")
