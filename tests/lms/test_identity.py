"""One identity per e-mail address (issue 10, finding 4): every entry point normalises, the
database refuses case duplicates, login and lockout see one person whatever the spelling."""

from django.core import mail
from django.db import IntegrityError, connection, transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.identity import (
    axes_username,
    describe_email_duplicates,
    email_duplicates,
    normalise_email,
)
from lms.models import User
from modules.csv_import import csv_import
from modules.models import Enrolment
from tests.factories import DEFAULT_PASSWORD, TraineeFactory, TrainingSessionFactory

ADDRESS = "bruno.casse@exemple.fr"


# --- The normal form (pure) -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Bruno.Casse@Exemple.FR \t", ADDRESS),
        ("BRUNO.CASSE@EXEMPLE.FR", ADDRESS),
        ("E\u0301lodie@exemple.fr", "\u00e9lodie@exemple.fr"),  # decomposed é → composed
        ("jean@Café.fr", "jean@xn--caf-dma.fr"),  # IDN domain → its ASCII form
        ("jean@xn--caf-dma.fr", "jean@xn--caf-dma.fr"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_email_trims_lowercases_and_writes_idn_domains_in_ascii(typed, stored):
    assert normalise_email(typed) == stored


@given(st.emails())
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalise_email_is_idempotent_and_case_blind(email):
    once = normalise_email(email)
    assert normalise_email(once) == once
    assert normalise_email(email.upper()) == normalise_email(email.lower())


def test_email_duplicates_groups_addresses_equal_up_to_case_and_says_which():
    rows = [(1, "Bruno.Casse@exemple.fr"), (2, "lucie@exemple.fr"), (3, ADDRESS)]
    groups = email_duplicates(rows)
    assert groups == [[(1, "Bruno.Casse@exemple.fr"), (3, ADDRESS)]]
    message = describe_email_duplicates(groups)
    assert "#1 Bruno.Casse@exemple.fr, #3 bruno.casse@exemple.fr" in message
    assert email_duplicates([(1, "a@x.fr"), (2, "b@x.fr")]) == []


def test_migration_refuses_existing_duplicates_and_lists_them():
    """lms.0007 stops (no silent merge) while two accounts share an address up to case."""
    import importlib

    migration = importlib.import_module("lms.migrations.0007_report_email_case_duplicates")

    class Rows:
        def __init__(self, rows):
            self.rows = rows

        def using(self, alias):
            return self

        def values_list(self, *fields):
            return self.rows

    class FakeUser:
        objects = Rows([(4, "Bruno.Casse@exemple.fr"), (9, ADDRESS)])

    class Apps:
        def get_model(self, app, name):
            return FakeUser

    class Editor:
        class connection:  # noqa: N801 - mimics schema_editor.connection
            alias = "default"

    with pytest.raises(RuntimeError, match="#4 Bruno.Casse@exemple.fr, #9 bruno.casse"):
        migration.report_duplicates_then_normalise(Apps(), Editor())


# --- Entry points ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_model_save_and_manager_store_the_normal_form():
    user = User.objects.create_user(email="  Bruno.Casse@Exemple.fr ", password="x")
    assert user.email == ADDRESS
    other = TraineeFactory(email="Lucie.Bonnet@Exemple.fr")
    other.refresh_from_db()
    assert other.email == "lucie.bonnet@exemple.fr"


@pytest.mark.django_db
def test_database_refuses_a_second_account_differing_only_by_case():
    TraineeFactory(email=ADDRESS)
    # Raw SQL bypasses the model's normalisation.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO lms_user (password, is_superuser, email, first_name, last_name, "
            "phone, is_staff, is_active, date_joined) "
            "SELECT password, is_superuser, %s, first_name, last_name, phone, is_staff, "
            "is_active, date_joined FROM lms_user WHERE email = %s",
            [ADDRESS.upper(), ADDRESS],
        )


@pytest.mark.django_db
def test_wagtail_user_form_stores_the_normal_form_and_refuses_a_case_duplicate(
    client_as, superuser
):
    client = client_as(superuser)
    data = {
        "email": "Bruno.Casse@Exemple.fr",
        "first_name": "Bruno",
        "last_name": "Casse",
        "password1": "un-mot-de-passe-solide-2026",
        "password2": "un-mot-de-passe-solide-2026",
    }
    response = client.post("/admin/users/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email=ADDRESS).count() == 1

    response = client.post("/admin/users/new/", {**data, "email": ADDRESS.upper()})
    assert response.status_code == 200
    assert "déjà" in response.content.decode()
    assert User.objects.filter(email__iexact=ADDRESS).count() == 1


@pytest.mark.django_db
def test_wagtail_user_edit_form_refuses_another_accounts_address_in_another_case(
    client_as, superuser
):
    TraineeFactory(email=ADDRESS)
    other = TraineeFactory(email="lucie@exemple.fr", first_name="Lucie", last_name="Bonnet")
    response = client_as(superuser).post(
        f"/admin/users/edit/{other.pk}/",
        {
            "email": "Bruno.CASSE@exemple.fr",
            "first_name": "Lucie",
            "last_name": "Bonnet",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "déjà" in response.content.decode()
    other.refresh_from_db()
    assert other.email == "lucie@exemple.fr"


@pytest.mark.django_db
def test_csv_import_enrols_the_account_created_in_the_admin_with_another_case(client_as, superuser):
    """The finding: an admin account `Bruno.Casse@…` then a CSV line `bruno.casse@…` made two."""
    trainee = TraineeFactory(email="Bruno.Casse@Exemple.fr", first_name="Bruno")
    session = TrainingSessionFactory()
    raw = f"email;prenom;nom\n{ADDRESS.upper()};Bruno;Casse\n".encode()
    report = csv_import(session=session, raw=raw)
    assert report.ok, report.errors
    assert report.created_accounts == 0
    assert User.objects.filter(email__iexact=ADDRESS).count() == 1
    assert Enrolment.objects.get(session=session).trainee == trainee


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spelling", [ADDRESS, "Bruno.Casse@exemple.fr", " BRUNO.CASSE@EXEMPLE.FR "]
)
def test_login_works_with_any_spelling_of_the_address(client, spelling):
    trainee = TraineeFactory(email=ADDRESS)
    response = client.post(
        "/compte/connexion/", {"username": spelling, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user == trainee


@pytest.mark.django_db
def test_admin_login_works_with_any_spelling_of_the_address(client, superuser):
    response = client.post(
        "/admin/login/", {"username": superuser.email.upper(), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user == superuser


@pytest.mark.django_db
def test_password_reset_finds_the_account_whatever_the_case(client):
    TraineeFactory(email="elodie@caf\u00e9.fr")
    response = client.post("/compte/mot-de-passe/oubli/", {"email": " ELODIE@CAF\u00c9.FR"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["elodie@xn--caf-dma.fr"]


@pytest.mark.django_db
def test_account_page_refuses_another_accounts_address_in_another_case(client_as, trainee, trainer):
    response = client_as(trainee).post(
        "/compte/",
        {
            "first_name": "Camille",
            "last_name": "Martin",
            "email": trainer.email.upper(),
            "current_password": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "déjà utilisée" in response.content.decode()


# --- Lockout keyed on the person ------------------------------------------------------------------
def _case_variants(address: str, count: int) -> list[str]:
    """`count` distinct spellings of `address` (bit i of n upper-cases letter i)."""
    letters = [i for i, c in enumerate(address) if c.isalpha()]
    variants = []
    for n in range(count):
        chars = list(address)
        for bit, index in enumerate(letters):
            if n >> bit & 1:
                chars[index] = chars[index].upper()
        variants.append("".join(chars))
    assert len(set(variants)) == count
    return variants


def test_axes_username_is_the_normalised_address():
    assert axes_username(None, {"username": " Bruno.CASSE@exemple.fr"}) == ADDRESS


@pytest.mark.django_db
def test_case_variants_share_one_lockout(client):
    """25 spellings × 4 wrong guesses were 100 guesses without lockout; now the 5th locks."""
    TraineeFactory(email=ADDRESS)
    statuses = []
    for spelling in _case_variants(ADDRESS, 25):
        for _ in range(4):
            response = client.post("/compte/connexion/", {"username": spelling, "password": "faux"})
            statuses.append(response.status_code)
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    response = client.post(
        "/compte/connexion/", {"username": "BRUNO.casse@exemple.fr", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
