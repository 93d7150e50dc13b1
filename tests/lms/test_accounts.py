from django.core import mail

import pytest

from lms.models import User
from tests.factories import DEFAULT_PASSWORD, StructureFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client, trainee):
    response = client.post(
        "/compte/connexion/", {"username": trainee.email.upper(), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user == trainee


def test_wrong_password_gives_a_french_message_and_keeps_the_email(client, trainee):
    response = client.post("/compte/connexion/", {"username": trainee.email, "password": "faux"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect" in content
    assert f'value="{trainee.email}"' in content


def test_repeated_failures_lock_the_account_out(client, trainee):
    for _ in range(5):
        client.post("/compte/connexion/", {"username": trainee.email, "password": "faux"})
    response = client.post(
        "/compte/connexion/", {"username": trainee.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()


def test_logout_requires_post_and_logs_out(client_as, trainee):
    client = client_as(trainee)
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_user_edits_their_own_details(client_as, trainee):
    structure = StructureFactory(name="CCAS de Laval")
    response = client_as(trainee).post(
        "/compte/",
        {
            "first_name": "Camille",
            "last_name": "Martin-Dupont",
            "email": "camille@exemple.fr",
            "current_password": DEFAULT_PASSWORD,
            "phone": "06 11 22 33 44",
            "structure": structure.pk,
            "territory": "",
        },
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.last_name == "Martin-Dupont"
    assert trainee.structure == structure


def test_bad_account_input_keeps_what_was_typed_and_says_why_in_french(client_as, trainee, trainer):
    response = client_as(trainee).post(
        "/compte/",
        {
            "first_name": "Camille",
            "last_name": "",
            "email": trainer.email,
            "phone": "abc",
            "structure": "999999",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Champ requis" in content
    # Without the current password nothing is said about the address (no probing of addresses).
    assert "Saisissez votre mot de passe actuel" in content
    assert "déjà utilisée" not in content
    assert "numéro de téléphone valide" in content
    assert 'value="abc"' in content
    trainee.refresh_from_db()
    assert trainee.last_name == "Martin"


def test_password_reset_sends_a_french_email(client, trainee):
    response = client.post("/compte/mot-de-passe/oubli/", {"email": trainee.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "mot de passe" in mail.outbox[0].subject.lower()
    assert "/compte/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post("/compte/mot-de-passe/oubli/", {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_email_is_the_login_and_is_stored_lowercase():
    user = User.objects.create_user(email="Marie.Curie@Exemple.FR", password="x", first_name="M")
    assert user.email == "marie.curie@exemple.fr"
    assert User.USERNAME_FIELD == "email"
