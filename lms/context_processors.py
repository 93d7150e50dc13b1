from .navigation import items_for
from .roles import ROLE_LABELS, is_staff_role, user_roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    roles = user_roles(user)
    return {
        "nav_items": items_for(user, request.path),
        "user_role_labels": [ROLE_LABELS[role] for role in sorted(roles)],
        "user_can_admin": user.is_authenticated and (user.is_superuser or is_staff_role(user)),
    }
