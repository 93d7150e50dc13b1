"""The e-mails of notifications: French, formal, with absolute links to the real site."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from lms.links import absolute_url


def _send(recipient, subject: str, template: str, context: dict) -> None:
    context = {
        "recipient": recipient,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "list_url": absolute_url(reverse("notifications:list")),
        **context,
    }
    body = render_to_string(template, context)
    EmailMessage(
        subject=" ".join(subject.split())[:200],
        body=body,
        to=[recipient.email],
    ).send()


def send_one(notification) -> None:
    _send(
        notification.recipient,
        f"Ensemblier : {notification.title}",
        "notifications/email/notification.txt",
        {"notification": notification, "url": absolute_url(notification.url)},
    )


def send_digest(recipient, notifications) -> None:
    count = len(notifications)
    subject = (
        "Ensemblier : 1 nouvelle notification"
        if count == 1
        else f"Ensemblier : {count} nouvelles notifications"
    )
    _send(
        recipient,
        subject,
        "notifications/email/digest.txt",
        {
            "items": [(item, absolute_url(item.url)) for item in notifications],
            "count": count,
        },
    )


def send_welcome(user, *, link: str, session_name: str = "") -> None:
    """The welcome e-mail of a new account, with its single-use link to choose a password."""
    _send(
        user,
        "Bienvenue sur Ensemblier : choisissez votre mot de passe",
        "notifications/email/welcome.txt",
        {
            "link": link,
            "session_name": session_name,
            "days": settings.WELCOME_LINK_DAYS,
            "login_url": absolute_url(reverse("login")),
            "reset_url": absolute_url(reverse("password_reset")),
        },
    )
