"""Welcome e-mails: an account created for someone (CSV import, users admin) gets a link to
choose its password. Single use and expiring: a `PasswordResetTokenGenerator` (its hash covers
the password hash and the last login, so the link dies once a password is chosen) with its own
salt (a welcome link is not a reset link, nor the reverse) and its own validity,
`WELCOME_LINK_DAYS`."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class WelcomeTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "lms.notifications.welcome.WelcomeTokenGenerator"

    @property
    def timeout_seconds(self) -> int:
        return settings.WELCOME_LINK_DAYS * 24 * 60 * 60

    def check_token(self, user, token):
        """Django's check with this generator's validity instead of PASSWORD_RESET_TIMEOUT; the
        link of a deactivated account no longer sets its password."""
        if not (user and token and user.is_active):
            return False
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= self.timeout_seconds


welcome_tokens = WelcomeTokenGenerator()


def is_activated(user) -> bool:
    """Whether the person chose a password (an imported account has none until then)."""
    return user.has_usable_password()


def welcome_path(user) -> str:
    return reverse(
        "welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": welcome_tokens.make_token(user),
        },
    )
