"""No page tells a visitor whether an address has an account (session 4 leftovers): password
reset (site and admin), login, and the e-mail change of "Mon compte" (said only to the account's
owner, with their password, and capped). The light-account sign-up has its own tests
(tests/awareness/test_course.py)."""

import re

from django.core import mail

import pytest

from tests.factories import DEFAULT_PASSWORD, TraineeFactory

pytestmark = pytest.mark.django_db


def _same_page(first, second) -> bool:
    """Equal once the CSRF tokens and the typed address are taken out."""

    def strip(response):
        page = response.content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        page = re.sub(r'"(CSRF_TOKEN|X-CSRFToken)": "[^"]+"', "", page)
        return re.sub(r'value="[^"]*@[^"]*"', "", page)

    return first.status_code == second.status_code and strip(first) == strip(second)


@pytest.mark.parametrize("url", ["/compte/mot-de-passe/oubli/", "/admin/password_reset/"])
def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client, trainee, url):
    known = client.post(url, {"email": trainee.email}, follow=True)
    sent = len(mail.outbox)
    unknown = client.post(url, {"email": "personne@exemple.fr"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _same_page(known, unknown)
    assert sent == 1 and len(mail.outbox) == 1  # only the owner got an e-mail


def test_login_says_the_same_for_an_unknown_address_and_a_wrong_password(client, trainee):
    wrong = client.post("/compte/connexion/", {"username": trainee.email, "password": "faux"})
    unknown = client.post(
        "/compte/connexion/", {"username": "personne@exemple.fr", "password": "faux"}
    )
    assert _same_page(wrong, unknown)


def test_a_deactivated_account_logs_in_like_an_unknown_address(client):
    gone = TraineeFactory(is_active=False)
    inactive = client.post(
        "/compte/connexion/", {"username": gone.email, "password": DEFAULT_PASSWORD}
    )
    unknown = client.post(
        "/compte/connexion/", {"username": "personne@exemple.fr", "password": DEFAULT_PASSWORD}
    )
    assert _same_page(inactive, unknown)


def _change_email(client, user, email, password):
    return client.post(
        "/compte/",
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": email,
            "current_password": password,
        },
    )


def test_my_account_says_an_address_is_taken_only_with_the_password_and_counts_it(
    client_as, trainee, trainer
):
    client = client_as(trainee)
    without = _change_email(client, trainee, trainer.email, "")
    free = _change_email(client, trainee, "libre@exemple.fr", "")
    assert "déjà utilisée" not in without.content.decode()
    assert _same_page(without, free)
    wrong = _change_email(client, trainee, trainer.email, "faux")
    assert "déjà utilisée" not in wrong.content.decode()
    taken = _change_email(client, trainee, trainer.email, DEFAULT_PASSWORD)
    assert "déjà utilisée par un autre compte" in taken.content.decode()
    for _ in range(9):  # 1 wrong guess + 10 taken addresses: over the limit (10/h)
        _change_email(client, trainee, trainer.email, DEFAULT_PASSWORD)
    assert _change_email(client, trainee, "autre@exemple.fr", DEFAULT_PASSWORD).status_code == 429
