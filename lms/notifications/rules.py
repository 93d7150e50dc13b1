"""Pure rules: how a notification reaches its recipient by e-mail."""

from .models import Notification, NotificationPreferences


def email_route(recipient, preferences: NotificationPreferences, kind: str) -> str:
    """`Notification.Email` state a new notification starts in: no e-mail for a person who
    cannot receive one (no address, account disabled) or who turned this kind off, the daily
    digest for a person who asked for it, otherwise an e-mail at once."""
    if not recipient.email or not recipient.is_active:
        return Notification.Email.NONE
    if not preferences.wants_email(kind):
        return Notification.Email.NONE
    if preferences.daily_digest:
        return Notification.Email.DIGEST
    return Notification.Email.PENDING
