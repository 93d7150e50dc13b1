"""Background tasks (django-tasks): run by `manage.py db_worker`, immediately in tests."""

import logging

from django_tasks import task

from . import emails, services
from .models import Notification

logger = logging.getLogger(__name__)


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification (once). Returns whether an e-mail left."""
    notification = services.claim_for_email(notification_id)
    if notification is None:
        return False
    try:
        emails.send_one(notification)
    except Exception:
        services.release([notification.pk], Notification.Email.PENDING)
        raise
    return True


@task()
def send_daily_digests() -> int:
    """One e-mail per person who chose the daily digest and has unread notifications waiting.
    Returns the number of e-mails sent; a failed address does not stop the others."""
    sent = 0
    for recipient, notifications in services.claim_digests().items():
        try:
            emails.send_digest(recipient, notifications)
        except Exception:
            logger.exception("Daily digest to user %s failed", recipient.pk)
            services.release([item.pk for item in notifications], Notification.Email.DIGEST)
            continue
        sent += 1
    return sent
