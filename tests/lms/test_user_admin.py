"""Roles that cannot climb (issue 10, finding 3): the Wagtail users admin, every combination.

The matrices are generated from the roles (actor × account × action, actor × role granted);
the expectation is the rule of ARCHITECTURE.md ("manage accounts: coordinators manage trainees
and trainers, never administrators; administrators all").
"""

import itertools

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from lms.models import User
from lms.roles import Role
from tests.factories import CoordinatorFactory, TraineeFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTORS = ["admin", "coordinator", "trainer", "trainee"]
ACCOUNTS = ["other_admin", "other_coordinator", "trainer", "trainee", "moderator", "no_role"]
ACTIONS = ["edit_get", "edit_post", "history_get", "delete_post"]
GRANTS = [Role.TRAINEE.value, Role.TRAINER.value, Role.COORDINATOR.value, "Moderators", "admin"]


def make(kind):
    if kind in ("admin", "other_admin"):
        return UserFactory(is_superuser=True, is_staff=True)
    if kind in ("coordinator", "other_coordinator"):
        return CoordinatorFactory()
    if kind == "trainer":
        return TrainerFactory()
    if kind == "trainee":
        return TraineeFactory()
    user = UserFactory()
    if kind == "moderator":
        user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def may_manage(actor: str, account: str) -> bool:
    """The rule under test, stated once for the matrix."""
    if actor == "admin":
        return True
    return actor == "coordinator" and account in ("trainer", "trainee", "no_role")


def may_grant(actor: str, grant: str) -> bool:
    if actor == "admin":
        return True
    return actor == "coordinator" and grant == Role.TRAINEE.value


def form_data(account, **overrides):
    data = {
        "email": account.email,
        "first_name": account.first_name or "Prénom",
        "last_name": "Changé",
        "is_active": "on",
        "password1": "",
        "password2": "",
        "groups": [],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("actor_kind", "account_kind", "action"), itertools.product(ACTORS, ACCOUNTS, ACTIONS)
)
def test_who_may_edit_delete_or_read_an_account(client_as, actor_kind, account_kind, action):
    actor, account = make(actor_kind), make(account_kind)
    client = client_as(actor)
    allowed = may_manage(actor_kind, account_kind)
    if action == "delete_post":
        # Coordinators deactivate accounts; deleting one is for administrators only.
        allowed = allowed and actor_kind == "admin"
    if action == "edit_get":
        response = client.get(reverse("wagtailusers_users:edit", args=[account.pk]))
        assert (response.status_code == 200) is allowed
    elif action == "history_get":
        response = client.get(reverse("wagtailusers_users:history", args=[account.pk]))
        assert (response.status_code == 200) is allowed
    elif action == "edit_post":
        client.post(reverse("wagtailusers_users:edit", args=[account.pk]), form_data(account))
        account.refresh_from_db()
        assert (account.last_name == "Changé") is allowed
    else:
        client.post(reverse("wagtailusers_users:delete", args=[account.pk]))
        assert User.objects.filter(pk=account.pk).exists() is not allowed


@pytest.mark.parametrize(("actor_kind", "grant"), itertools.product(ACTORS, GRANTS))
def test_who_may_grant_which_role_when_creating_an_account(client_as, actor_kind, grant):
    actor = make(actor_kind)
    group, _ = Group.objects.get_or_create(name=grant if grant != "admin" else Role.TRAINEE.value)
    data = {
        "email": "nouveau@exemple.fr",
        "first_name": "Nina",
        "last_name": "Nouvelle",
        "password1": "Un-mot-de-passe-solide-42",
        "password2": "Un-mot-de-passe-solide-42",
        "groups": [group.pk],
    }
    if grant == "admin":
        data["is_superuser"] = "on"
    client_as(actor).post(reverse("wagtailusers_users:add"), data)
    created = User.objects.filter(email="nouveau@exemple.fr").first()
    if grant == "admin":
        assert bool(created and created.is_superuser) is (actor_kind == "admin")
    else:
        granted = bool(created and created.groups.filter(name=grant).exists())
        assert granted is may_grant(actor_kind, grant)


@pytest.mark.parametrize(
    ("actor_kind", "grant"), itertools.product(["admin", "coordinator"], GRANTS)
)
def test_editing_an_account_grants_only_what_the_editor_may_grant(client_as, actor_kind, grant):
    actor, trainee = make(actor_kind), make("trainee")
    extra = {"is_superuser": "on"} if grant == "admin" else {}
    groups = [g.pk for g in trainee.groups.all()]
    if grant != "admin":
        groups.append(Group.objects.get_or_create(name=grant)[0].pk)
    client_as(actor).post(
        reverse("wagtailusers_users:edit", args=[trainee.pk]),
        form_data(trainee, groups=groups, **extra),
    )
    trainee.refresh_from_db()
    # A role the editor may not grant is not even offered: the form is refused as a whole.
    assert (trainee.last_name == "Changé") is (grant == "admin" or may_grant(actor_kind, grant))
    if grant == "admin":
        assert trainee.is_superuser is (actor_kind == "admin")
    else:
        assert trainee.groups.filter(name=grant).exists() is may_grant(actor_kind, grant)


def test_a_coordinator_never_sees_the_administrator_box(client_as):
    body = client_as(make("coordinator")).get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="is_superuser"' not in body
    assert Role.COORDINATOR.value not in body


def test_a_coordinator_editing_a_trainer_keeps_the_trainer_role(client_as):
    coordinator, trainer = make("coordinator"), make("trainer")
    client_as(coordinator).post(
        reverse("wagtailusers_users:edit", args=[trainer.pk]), form_data(trainer, groups=[])
    )
    trainer.refresh_from_db()
    assert trainer.last_name == "Changé"
    assert trainer.groups.filter(name=Role.TRAINER.value).exists()


def test_the_users_list_of_a_coordinator_leaves_out_administrators(client_as):
    admin, trainee = make("admin"), make("trainee")
    body = client_as(make("coordinator")).get(reverse("wagtailusers_users:index")).content.decode()
    assert trainee.email in body
    assert admin.email not in body


@pytest.mark.parametrize(
    ("grant", "target"), itertools.product(GRANTS[:-1], ["trainee", "other_admin"])
)
def test_bulk_actions_follow_the_same_rules(client_as, grant, target):
    coordinator, account = make("coordinator"), make(target)
    role = Group.objects.get_or_create(name=grant)[0]
    client = client_as(coordinator)
    url = f"/admin/bulk/lms/user/assign_role/?id={account.pk}"
    client.post(url, {"role": role.pk})
    allowed = may_manage("coordinator", target) and may_grant("coordinator", grant)
    assert account.groups.filter(pk=role.pk).exists() is (allowed or grant in _initial(target))
    client.post(
        f"/admin/bulk/lms/user/set_active_state/?id={account.pk}", {"mark_as_active": "False"}
    )
    account.refresh_from_db()
    assert account.is_active is not may_manage("coordinator", target)


def _initial(kind):
    return {"trainee": {Role.TRAINEE.value}}.get(kind, set())
