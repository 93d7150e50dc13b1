"""Reads of notifications: always for one person, the one asking."""

from django.db.models import Count

from lms.prepared import Prepared

from .models import Notification


def for_user(user):
    return Notification.objects.filter(recipient=user).only(
        "pk", "kind", "title", "body", "url", "created_at", "read_at"
    )


def _unread_query(user_id):
    return (
        Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread")
    )


# The header's badge, on every page of a logged-in person: compiled once (lms.prepared).
_UNREAD = Prepared(_unread_query)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    rows = _UNREAD.rows(user.pk)
    return int(rows[0][0]) if rows else 0
