"""The roles of the platform, as Django groups.

The three main groups are created by a data migration (lms 0003); feature apps grant their own
model permissions to them in their own data migrations through `grant_permissions`. The
disability referent ("Référent handicap", the person a training body names to arrange
accommodations) is a fourth, narrow role: its group is created by the quality app's migration and
granted by administrators only.
"""

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef

from .prepared import Prepared


class Role(StrEnum):
    TRAINEE = "Stagiaire"
    TRAINER = "Formateur"
    COORDINATOR = "Coordination nationale"
    DISABILITY_REFERENT = "Référent handicap"


ROLE_LABELS = {
    Role.TRAINEE: "Stagiaire",
    Role.TRAINER: "Formateur·rice",
    Role.COORDINATOR: "Coordination nationale",
    Role.DISABILITY_REFERENT: "Référent·e handicap",
}


def user_roles(user) -> set[Role]:
    """Roles of a user, read from their groups (cached on the instance, with
    `may_access_admin`: one query for both)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = _load_roles(user)
    return cached


def may_access_admin(user) -> bool:
    """`user.has_perm("wagtailadmin.access_admin")`, read with the roles in one query instead
    of the two permission queries of Django's `ModelBackend` (which loads every permission of
    the user and of their groups). Same answer: an active user who is a superuser, or holds the
    permission directly or through one of their groups (`tests/lms/test_roles.py` compares
    both). The base template asks on every page (the Wagtail userbar); trainees never have it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if getattr(user, "_role_cache", None) is None:
        _load_roles(user)
    return user._admin_access_cache


def _roles_query(user_id):
    """The user's group names, each with whether the user holds the admin access permission
    directly or through that group (one row with no name when in no group)."""
    access_admin = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(
            direct=Exists(access_admin.filter(user=OuterRef("pk"))),
            through_group=Exists(access_admin.filter(group=OuterRef("groups"))),
        )
        .values_list("groups__name", "direct", "through_group")
        .order_by()
    )


# Asked on every page of a logged-in person: compiled once (lms.prepared).
_ROLES = Prepared(_roles_query)


def _load_roles(user) -> set[Role]:
    group_names = set()
    admin = False
    for name, direct, through_group in _ROLES.rows(user.pk):
        group_names.add(name)
        admin = admin or bool(direct) or bool(through_group)
    roles = {role for role in Role if role.value in group_names}
    user._role_cache = roles
    user._admin_access_cache = admin
    return roles


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def is_trainee(user) -> bool:
    return has_role(user, Role.TRAINEE)


def is_trainer(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, Role.TRAINER)


def is_coordinator(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, Role.COORDINATOR)


def is_disability_referent(user) -> bool:
    """The disability referent records accommodations (with the trainee's consent) and is the
    only role, with administrators, to read the confidential note behind them."""
    return getattr(user, "is_superuser", False) or has_role(user, Role.DISABILITY_REFERENT)


def is_staff_role(user) -> bool:
    """Trainers, coordinators and administrators: people who run the training."""
    return is_trainer(user) or is_coordinator(user)


def grant_permissions(apps, role: Role, codenames: list[tuple[str, str]]) -> None:
    """Give `role` the permissions named by (app_label, codename); for data migrations."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role.value)
    for app_label, codename in codenames:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)


# --- Managing accounts (Wagtail users): roles that cannot climb ------------------------------

# The groups a coordinator may grant; staff roles (trainer, coordinator) and administrator
# rights are granted by administrators only (ARCHITECTURE.md, "manage accounts").
COORDINATOR_GRANTABLE = frozenset({Role.TRAINEE})
# The roles of the accounts a coordinator manages: trainees and trainers, never a coordinator
# or an administrator.
COORDINATOR_MANAGES = frozenset({Role.TRAINEE, Role.TRAINER})


def grantable_roles(user) -> frozenset[Role]:
    """Roles `user` may give or take away in the users admin: all for administrators, the
    trainee role for coordinators, none for anybody else."""
    if getattr(user, "is_superuser", False):
        return frozenset(Role)
    if has_role(user, Role.COORDINATOR):
        return COORDINATOR_GRANTABLE
    return frozenset()


def may_manage_account(user, account) -> bool:
    """Whether `user` may edit, delete or read the history of `account` in the users admin.

    Administrators manage everybody; coordinators manage the accounts whose groups are all
    trainee or trainer (or none), never an administrator, a coordinator (themselves included:
    they use "Mon compte") nor a member of any other group (Wagtail's editors, moderators).
    """
    if getattr(user, "is_superuser", False):
        return True
    if not has_role(user, Role.COORDINATOR) or account.is_superuser or account.pk == user.pk:
        return False
    allowed = {role.value for role in COORDINATOR_MANAGES}
    return set(account.groups.values_list("name", flat=True)) <= allowed


def manageable_accounts(user, queryset):
    """`queryset` of users limited to the accounts `user` may manage (`may_manage_account`)."""
    if getattr(user, "is_superuser", False):
        return queryset
    if not has_role(user, Role.COORDINATOR):
        return queryset.none()
    allowed = [role.value for role in COORDINATOR_MANAGES]
    return (
        queryset.exclude(is_superuser=True)
        .exclude(pk=user.pk)
        .exclude(groups__in=Group.objects.exclude(name__in=allowed))
    )


# --- Authoring (Wagtail pages) ------------------------------------------------------------------


def may_change_page(user, page) -> bool:
    """Whether `user` may edit, move or delete `page` in the Wagtail admin, on top of Wagtail's
    own page permissions (issue 10, finding 5).

    Trainers author under moderation: they may work on published pages and on their own drafts,
    never on another person's unpublished work (a page never published or unpublished that they
    do not own, or a published page whose latest, unpublished revision is someone else's).
    Coordinators and administrators may change any page.
    """
    if getattr(user, "is_superuser", False) or has_role(user, Role.COORDINATOR):
        return True
    if not page.live:
        return page.owner_id in (None, user.pk)
    if page.has_unpublished_changes:
        revision = page.latest_revision
        return revision is None or revision.user_id in (None, user.pk)
    return True
