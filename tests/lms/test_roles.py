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


def _fresh(user):
    """The user as a new request loads it: no role or permission cached on the instance."""
    return type(user).objects.get(pk=user.pk)


def test_admin_access_read_with_the_roles_gives_djangos_answer(
    trainee, trainer, coordinator, superuser
):
    from django.contrib.auth.models import Permission

    from lms.models import User
    from lms.roles import may_access_admin

    access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    direct = User.objects.create_user(email="direct@example.org", password="x")
    direct.user_permissions.add(access)
    editors = Group.objects.create(name="Éditeurs du site")
    editors.permissions.add(access)
    editor = User.objects.create_user(email="editor@example.org", password="x")
    editor.groups.add(editors)
    nobody = User.objects.create_user(email="nobody@example.org", password="x")
    inactive = User.objects.create_user(email="inactive@example.org", password="x")
    inactive.groups.add(Group.objects.get(name=Role.TRAINER.value))
    inactive.is_active = False
    inactive.save()
    sleeping_admin = User.objects.create_superuser(email="sleeping@example.org", password="x")
    sleeping_admin.is_active = False
    sleeping_admin.save()
    people = [trainee, trainer, coordinator, superuser, direct, editor, nobody, inactive]
    people.append(sleeping_admin)
    answers = {}
    for person in people:
        ours = may_access_admin(_fresh(person))
        assert ours == _fresh(person).has_perm("wagtailadmin.access_admin"), person.email
        answers[person.email] = ours
    assert [answers[person.email] for person in people] == [
        False, True, True, True, True, True, False, False, False,
    ]  # fmt: skip


def test_admin_access_and_roles_take_one_query(trainer, django_assert_num_queries):
    from lms.roles import may_access_admin

    person = _fresh(trainer)
    with django_assert_num_queries(1):
        assert may_access_admin(person)
        assert user_roles(person) == {Role.TRAINER}
        assert is_trainer(person)


def test_a_trainees_page_shows_no_userbar_and_asks_no_permission(
    client_as, trainee, trainer, home_page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(trainee)
    client.get("/compte/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/compte/")
    assert response.status_code == 200
    assert b"wagtail-userbar" not in response.content
    assert not [query for query in queries if "auth_permission" in query["sql"]
                and "lms_user_groups" not in query["sql"]]  # fmt: skip
    staff = client_as(trainer).get("/compte/")
    assert b"wagtail-userbar" in staff.content
