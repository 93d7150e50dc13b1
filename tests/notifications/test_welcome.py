"""Welcome e-mails: new accounts (CSV import, users admin) get a single-use, expiring link to
choose their password; trainers see who has not activated and can send it again."""

import re
from datetime import timedelta
from unittest import mock

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from lms.models import User
from lms.notifications.models import AccountInvitation
from lms.notifications.welcome import welcome_tokens
from modules.csv_import import csv_import
from tests.factories import (
    EnrolmentFactory,
    StructureFactory,
    TraineeFactory,
    TrainerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

CSV = (
    "email;prenom;nom;telephone;structure;financeur\n"
    "lucie.bonnet@exemple.fr;Lucie;Bonnet;06 11 22 33 44;CCAS de Laval;TZEE\n"
    "marc.vidal@exemple.fr;Marc;Vidal;;;Employeur\n"
)


@pytest.fixture
def session(trainer):
    StructureFactory(name="CCAS de Laval")
    return TrainingSessionFactory(
        name="Session de Laval", trainers=[trainer], capacity=10, generate_slots=False
    )


def _link(message) -> str:
    (link,) = re.findall(r"http://testserver/compte/bienvenue/\S+/", message.body)
    return link.removeprefix("http://testserver")


def _import(session, trainer, capture, raw=CSV):
    with capture(execute=True):
        report = csv_import(session=session, raw=raw.encode(), by=trainer)
    assert report.ok
    return report


def test_csv_import_sends_each_new_account_a_french_welcome_with_an_absolute_link(
    session, trainer, django_capture_on_commit_callbacks
):
    existing = TraineeFactory(email="deja@exemple.fr")
    raw = CSV + "deja@exemple.fr;Déjà;Là;;;\n"
    _import(session, trainer, django_capture_on_commit_callbacks, raw)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lucie.bonnet@exemple.fr",
        "marc.vidal@exemple.fr",
    ]  # the existing account (with a password) gets none
    message = next(m for m in mail.outbox if m.to == ["lucie.bonnet@exemple.fr"])
    assert message.subject == "Bienvenue sur Ensemblier : choisissez votre mot de passe"
    assert message.body.startswith("Bonjour Lucie,")
    assert "session « Session de Laval »" in message.body
    assert "valable 7 jours et une seule fois" in message.body
    assert "http://testserver/compte/connexion/" in message.body
    assert _link(message).startswith("/compte/bienvenue/")
    invitation = AccountInvitation.objects.get(user__email="lucie.bonnet@exemple.fr")
    assert invitation.sent_count == 1 and invitation.sent_by == trainer
    assert not AccountInvitation.objects.filter(user=existing).exists()


def test_the_link_sets_the_password_logs_in_and_works_once(
    client, session, trainer, django_capture_on_commit_callbacks
):
    _import(session, trainer, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == ["lucie.bonnet@exemple.fr"])
    link = _link(message)
    response = client.get(link, follow=True)
    assert "Choisissez le mot de passe de votre compte" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "Un-mot-de-passe-solide-42",
            "new_password2": "Un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302
    lucie = User.objects.get(email="lucie.bonnet@exemple.fr")
    assert lucie.has_usable_password() and lucie.check_password("Un-mot-de-passe-solide-42")
    assert client.session["_auth_user_id"] == str(lucie.pk)
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in again


def test_a_mismatched_password_keeps_the_form_with_a_french_error(
    client, session, trainer, django_capture_on_commit_callbacks
):
    _import(session, trainer, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Un-mot-de-passe-42", "new_password2": "Autre-chose-42"}
    )
    assert response.status_code == 200
    assert "Les deux mots de passe ne correspondent pas" in response.content.decode()


def test_the_link_expires_after_the_configured_days(settings):
    settings.WELCOME_LINK_DAYS = 7
    lucie = TraineeFactory()
    lucie.set_unusable_password()
    lucie.save()
    token = welcome_tokens.make_token(lucie)
    later = welcome_tokens._now() + timedelta(days=6, hours=23)
    with mock.patch.object(welcome_tokens, "_now", return_value=later):
        assert welcome_tokens.check_token(lucie, token)
    later = welcome_tokens._now() + timedelta(days=7, hours=1)
    with mock.patch.object(welcome_tokens, "_now", return_value=later):
        assert not welcome_tokens.check_token(lucie, token)


def test_the_link_of_a_deactivated_account_sets_no_password(client):
    lucie = TraineeFactory()
    lucie.set_unusable_password()
    lucie.save()
    token = welcome_tokens.make_token(lucie)
    assert welcome_tokens.check_token(lucie, token)
    lucie.is_active = False
    lucie.save()
    assert not welcome_tokens.check_token(lucie, token)


def test_a_welcome_token_is_not_a_reset_token_nor_the_reverse(client):
    from django.contrib.auth.tokens import default_token_generator

    lucie = TraineeFactory()
    assert not default_token_generator.check_token(lucie, welcome_tokens.make_token(lucie))
    assert not welcome_tokens.check_token(lucie, default_token_generator.make_token(lucie))
    assert not welcome_tokens.check_token(lucie, "abc-def")
    assert not welcome_tokens.check_token(lucie, "pas-un-jeton-valide")


def test_forgotten_password_reaches_an_account_that_never_chose_one(client):
    lucie = TraineeFactory(email="lucie@exemple.fr")
    lucie.set_unusable_password()
    lucie.save()
    client.post("/compte/mot-de-passe/oubli/", {"email": "lucie@exemple.fr"})
    (message,) = mail.outbox
    assert message.to == ["lucie@exemple.fr"]


def test_the_trainer_sees_who_has_not_activated_and_can_send_again(
    client_as, session, trainer, django_capture_on_commit_callbacks, settings
):
    settings.WELCOME_EMAIL_COOLDOWN_MINUTES = 0  # the cooldown has tests of its own (below)
    _import(session, trainer, django_capture_on_commit_callbacks)
    active = TraineeFactory(first_name="Awa")
    EnrolmentFactory(trainee=active, session=session)
    lucie = User.objects.get(email="lucie.bonnet@exemple.fr")
    client = client_as(trainer)
    page = client.get(reverse("modules:enrolment_import", args=[session.pk])).content.decode()
    assert "2 comptes pas encore activés" in page
    assert "Renvoyer l'invitation aux 2 comptes" in page
    cell = page.split(f'data-testid="account-{lucie.pk}">')[1].split("</td>")[0]
    assert "Non activé" in cell and "Invitation envoyée le" in cell
    cell = page.split(f'data-testid="account-{active.pk}">')[1].split("</td>")[0]
    assert "Activé" in cell and "invitation" not in cell

    mail.outbox.clear()
    url = reverse("modules:enrolment_invitations", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"trainee": lucie.pk}, follow=True)
    assert "invitation est renvoyée à Lucie Bonnet." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[lucie.email]]
    assert AccountInvitation.objects.get(user=lucie).sent_count == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "invitation est renvoyée à 2 stagiaires." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == [lucie.email, "marc.vidal@exemple.fr"]


def test_invitations_of_another_session_or_person_are_refused(
    client_as, session, trainer, trainee, django_capture_on_commit_callbacks
):
    _import(session, trainer, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    other_session = TrainingSessionFactory(trainers=[TrainerFactory()], generate_slots=False)
    stranger = TraineeFactory()
    stranger.set_unusable_password()
    stranger.save()
    EnrolmentFactory(trainee=stranger, session=other_session)
    client = client_as(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        other = reverse("modules:enrolment_invitations", args=[other_session.pk])
        assert client.post(other).status_code == 404
        mine = reverse("modules:enrolment_invitations", args=[session.pk])
        assert client.post(mine, {"trainee": stranger.pk}).status_code == 404
        assert client.post(mine, {"trainee": "abc"}).status_code == 404
        assert client.get(mine).status_code == 405
        assert client_as(trainee).post(mine).status_code == 403
    assert mail.outbox == []


def test_an_account_created_in_the_users_admin_without_password_is_welcomed(
    client_as, coordinator, django_capture_on_commit_callbacks
):
    client = client_as(coordinator)
    from django.contrib.auth.models import Group

    trainees = Group.objects.get(name="Stagiaire")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailusers_users:add"),
            {
                "email": "nouvelle@exemple.fr",
                "first_name": "Nora",
                "last_name": "Petit",
                "password1": "",
                "password2": "",
                "groups": [trainees.pk],
                "is_active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    nora = User.objects.get(email="nouvelle@exemple.fr")
    assert not nora.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["nouvelle@exemple.fr"]
    assert message.body.startswith("Bonjour Nora,")


def test_recently_invited_dates_are_shown(session, trainer, django_capture_on_commit_callbacks):
    _import(session, trainer, django_capture_on_commit_callbacks)
    invitation = AccountInvitation.objects.first()
    assert timezone.now() - invitation.sent_at < timedelta(minutes=1)


# --- Cooldown: one welcome e-mail per person per WELCOME_EMAIL_COOLDOWN_MINUTES ------------------


def _resend(client, session, django_capture_on_commit_callbacks, trainee=None):
    url = reverse("modules:enrolment_invitations", args=[session.pk])
    data = {"trainee": trainee.pk} if trainee else {}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data, follow=True).content.decode()


def _as_if_sent_minutes_ago(minutes):
    """Another app server, or a restarted cache: only the database remembers the sending."""
    from django.core.cache import cache

    cache.clear()
    AccountInvitation.objects.update(sent_at=timezone.now() - timedelta(minutes=minutes))


def test_a_resend_right_after_the_import_sends_nothing_and_says_when_in_french(
    client_as, session, trainer, django_capture_on_commit_callbacks
):
    _import(session, trainer, django_capture_on_commit_callbacks)
    lucie = User.objects.get(email="lucie.bonnet@exemple.fr")
    mail.outbox.clear()
    page = _resend(client_as(trainer), session, django_capture_on_commit_callbacks, lucie)
    assert "Une invitation a été envoyée à Lucie Bonnet il y a moins de 10 minutes" in page
    assert "vous pourrez la renvoyer dans 10 minutes" in page
    assert mail.outbox == []
    assert AccountInvitation.objects.get(user=lucie).sent_count == 1


def test_the_database_timestamp_holds_the_cooldown_across_app_servers(
    client_as, session, trainer, django_capture_on_commit_callbacks
):
    _import(session, trainer, django_capture_on_commit_callbacks)
    lucie = User.objects.get(email="lucie.bonnet@exemple.fr")
    client = client_as(trainer)
    _as_if_sent_minutes_ago(7)
    mail.outbox.clear()
    page = _resend(client, session, django_capture_on_commit_callbacks, lucie)
    assert "vous pourrez la renvoyer dans 3 minutes" in page
    assert mail.outbox == []
    _as_if_sent_minutes_ago(11)
    page = _resend(client, session, django_capture_on_commit_callbacks, lucie)
    assert "invitation est renvoyée à Lucie Bonnet." in page
    assert [m.to for m in mail.outbox] == [[lucie.email]]


def test_a_double_click_before_the_worker_sent_anything_queues_one_e_mail(
    client_as, session, trainer, django_capture_on_commit_callbacks
):
    lone = TraineeFactory(email="seule@exemple.fr")
    lone.set_unusable_password()
    lone.save()
    EnrolmentFactory(trainee=lone, session=session)
    client = client_as(trainer)
    url = reverse("modules:enrolment_invitations", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=False) as first:
        client.post(url, {"trainee": lone.pk})
    with django_capture_on_commit_callbacks(execute=False) as second:
        client.post(url, {"trainee": lone.pk})
    assert len(first) == 1 and len(second) == 0  # nothing recorded in the database yet


def test_the_bulk_resend_skips_the_people_in_cooldown_and_tells_how_many(
    client_as, session, trainer, django_capture_on_commit_callbacks
):
    _import(session, trainer, django_capture_on_commit_callbacks)
    marc = User.objects.get(email="marc.vidal@exemple.fr")
    _as_if_sent_minutes_ago(30)
    AccountInvitation.objects.filter(user=marc).update(sent_at=timezone.now())
    mail.outbox.clear()
    page = _resend(client_as(trainer), session, django_capture_on_commit_callbacks)
    assert "invitation est renvoyée à 1 stagiaire." in page
    assert "1 stagiaire a reçu son invitation il y a moins de 10 minutes" in page
    assert [m.to for m in mail.outbox] == [["lucie.bonnet@exemple.fr"]]


def test_the_cooldown_is_a_setting(
    client_as, session, trainer, django_capture_on_commit_callbacks, settings
):
    settings.WELCOME_EMAIL_COOLDOWN_MINUTES = 30
    _import(session, trainer, django_capture_on_commit_callbacks)
    lucie = User.objects.get(email="lucie.bonnet@exemple.fr")
    _as_if_sent_minutes_ago(20)
    mail.outbox.clear()
    page = _resend(client_as(trainer), session, django_capture_on_commit_callbacks, lucie)
    assert "il y a moins de 30 minutes : vous pourrez la renvoyer dans 10 minutes" in page
    assert mail.outbox == []
