"""The e-mails of the light-account sign-up: French, formal, with absolute links."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from lms.links import absolute_url


def _send(to: str, subject: str, template: str, context: dict) -> None:
    EmailMessage(subject=subject, body=render_to_string(template, context), to=[to]).send()


def send_signup_confirmation(signup, *, token: str) -> None:
    _send(
        signup.email,
        "Ensemblier : confirmez votre adresse pour créer votre compte",
        "awareness/email/signup_confirmation.txt",
        {
            "signup": signup,
            "link": absolute_url(reverse("awareness:signup_confirm", args=[token])),
            "hours": settings.AWARENESS_SIGNUP_LINK_HOURS,
        },
    )


def send_existing_account_notice(user) -> None:
    _send(
        user.email,
        "Ensemblier : vous avez déjà un compte",
        "awareness/email/existing_account.txt",
        {
            "user": user,
            "login_url": absolute_url(reverse("login")),
            "reset_url": absolute_url(reverse("password_reset")),
        },
    )
