"""The three roles of the platform, as Django groups.

The groups are created by a data migration (lms 0002); feature apps grant their own model
permissions to them in their own data migrations through `grant_permissions`.
"""

from enum import StrEnum


class Role(StrEnum):
    TRAINEE = "Stagiaire"
    TRAINER = "Formateur"
    COORDINATOR = "Coordination nationale"


ROLE_LABELS = {
    Role.TRAINEE: "Stagiaire",
    Role.TRAINER: "Formateur·rice",
    Role.COORDINATOR: "Coordination nationale",
}


def user_roles(user) -> set[Role]:
    """Roles of a user, read from their groups (cached on the instance)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        names = {Role(value) for value in Role}
        group_names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in names if role.value in group_names}
        user._role_cache = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def is_trainee(user) -> bool:
    return has_role(user, Role.TRAINEE)


def is_trainer(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, Role.TRAINER)


def is_coordinator(user) -> bool:
    return getattr(user, "is_superuser", False) or has_role(user, Role.COORDINATOR)


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
