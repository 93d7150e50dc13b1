"""Background tasks (django-tasks): run by `manage.py db_worker`, immediately in tests."""

import logging

from django.contrib.auth import get_user_model

from django_tasks import task

from lms.links import absolute_url

from . import emails, services, welcome
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


@task()
def send_welcome_emails(user_ids: list[int], sent_by_id: int | None, session_name: str) -> int:
    """The welcome e-mail to each person who still has to choose a password (an account
    activated or disabled since it was queued gets none). Returns the number sent."""
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        if welcome.is_activated(user) or not user.email:
            continue
        link = absolute_url(welcome.welcome_path(user))
        emails.send_welcome(user, link=link, session_name=session_name)
        services.record_invitation(user, sent_by_id)
        sent += 1
    return sent
