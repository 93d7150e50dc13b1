from .selectors import unread_count


def notifications(request):
    """The unread count of the header's "Notifications" link (one COUNT on the index)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": unread_count(user)}
