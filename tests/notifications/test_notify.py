"""The notify API: what is recorded, who is e-mailed and when, the daily digest."""

from datetime import datetime

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest

from lms.notifications import kinds
from lms.notifications.models import Notification, NotificationPreferences
from lms.notifications.services import notify, save_preferences
from lms.notifications.tasks import send_daily_digests, send_notification_email
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _notify(user, kind=kinds.MILESTONE_REVIEWED, **extra):
    values = {"title": "Votre jalon « Identifier » est accepté", "url": "/dossiers/3/"}
    values.update(extra)
    return notify(user, kind, **values)


def test_notify_records_and_emails_after_commit(trainee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notify(trainee, body="Commentaire : bon travail.")
        assert mail.outbox == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT
    assert notification.emailed_at is not None
    assert notification.read_at is None
    (message,) = mail.outbox
    assert message.to == [trainee.email]
    assert message.subject == "Ensemblier : Votre jalon « Identifier » est accepté"
    assert message.body.startswith("Bonjour Camille,")
    assert "Commentaire : bon travail." in message.body
    assert "http://testserver/dossiers/3/" in message.body
    assert "http://testserver/notifications/preferences/" in message.body


def test_a_rolled_back_action_leaves_no_notification_and_no_email(
    trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _notify(trainee)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_kind_turned_off_is_listed_but_not_emailed(trainee, django_capture_on_commit_callbacks):
    save_preferences(trainee, email_kinds={kinds.CERTIFICATE_ISSUED}, daily_digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        off = _notify(trainee, kinds.MILESTONE_REVIEWED)
        on = _notify(trainee, kinds.CERTIFICATE_ISSUED, title="Votre certificat est délivré")
    assert Notification.objects.get(pk=off.pk).email == Notification.Email.NONE
    assert Notification.objects.get(pk=on.pk).email == Notification.Email.SENT
    assert [m.subject for m in mail.outbox] == ["Ensemblier : Votre certificat est délivré"]


def test_no_email_for_a_disabled_account(trainee, django_capture_on_commit_callbacks):
    trainee.is_active = False
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(trainee)
    assert notification.email == Notification.Email.NONE
    assert mail.outbox == []


def test_unknown_kind_and_foreign_links_are_refused(trainee):
    with pytest.raises(ValueError):
        notify(trainee, "nope", title="x")
    for url in ("https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            notify(trainee, kinds.MILESTONE_REVIEWED, title="x", url=url)
    assert not Notification.objects.exists()


def test_title_is_one_line_and_bounded(trainee):
    notification = _notify(trainee, title="Un titre\nsur deux lignes " + "x" * 400)
    assert "\n" not in notification.title
    assert len(notification.title) == 255


def test_the_email_is_sent_once_and_not_when_already_read(trainee):
    first = _notify(trainee)  # no commit callbacks run: the e-mail waits
    assert first.email == Notification.Email.PENDING
    assert send_notification_email.call(first.pk) is True
    assert send_notification_email.call(first.pk) is False  # a second worker finds it taken
    assert len(mail.outbox) == 1
    second = _notify(trainee)
    Notification.objects.filter(pk=second.pk).update(read_at=timezone.now())
    assert send_notification_email.call(second.pk) is False
    assert Notification.objects.get(pk=second.pk).email == Notification.Email.NONE
    assert len(mail.outbox) == 1


def test_a_failed_email_goes_back_to_pending(trainee, monkeypatch):
    notification = _notify(trainee)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(ConnectionRefusedError):
        send_notification_email.call(notification.pk)
    notification.refresh_from_db()
    assert notification.email == Notification.Email.PENDING
    assert notification.emailed_at is None


def test_daily_digest_groups_unread_notifications_per_person(
    trainee, other_trainee, django_capture_on_commit_callbacks
):
    save_preferences(trainee, email_kinds=set(kinds.KINDS), daily_digest=True)
    immediate_person = TraineeFactory(first_name="Inès")
    with django_capture_on_commit_callbacks(execute=True):
        one = _notify(trainee, title="Votre jalon « Identifier » est accepté")
        _notify(
            trainee, kinds.ANSWER_GRADED, title="Votre réponse est corrigée", url="/correction/"
        )
        read = _notify(trainee, kinds.CERTIFICATE_ISSUED, title="Déjà lue")
        _notify(immediate_person)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    assert [m.to for m in mail.outbox] == [[immediate_person.email]]
    assert Notification.objects.get(pk=one.pk).email == Notification.Email.DIGEST

    call_command("send_notification_digest")
    digest = mail.outbox[-1]
    assert digest.to == [trainee.email]
    assert digest.subject == "Ensemblier : 2 nouvelles notifications"
    assert digest.body.startswith("Bonjour Camille,")
    assert "Votre jalon « Identifier » est accepté" in digest.body
    assert "http://testserver/correction/" in digest.body
    assert "Déjà lue" not in digest.body
    assert len(mail.outbox) == 2
    # Nothing is left for the next day's digest.
    assert send_daily_digests.call() == 0
    assert len(mail.outbox) == 2


def test_digest_of_one_notification_says_so(trainee):
    save_preferences(trainee, email_kinds=set(kinds.KINDS), daily_digest=True)
    _notify(trainee)
    assert send_daily_digests.call() == 1
    assert mail.outbox[0].subject == "Ensemblier : 1 nouvelle notification"
    assert "Voici la notification reçue" in mail.outbox[0].body


def test_preferences_default_to_every_email_at_once(trainee):
    assert not NotificationPreferences.objects.filter(user=trainee).exists()
    assert _notify(trainee).email == Notification.Email.PENDING


def test_digest_date_is_french(trainee):
    save_preferences(trainee, email_kinds=set(kinds.KINDS), daily_digest=True)
    notification = _notify(trainee)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.make_aware(datetime(2026, 12, 7, 9, 5))
    )
    send_daily_digests.call()
    assert "7 décembre à 09h05" in mail.outbox[0].body
