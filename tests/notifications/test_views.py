"""The notifications pages: one's own only, mark as read, preferences, the header badge."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from lms.notifications import kinds
from lms.notifications.models import Notification, NotificationPreferences
from lms.notifications.services import notify

pytestmark = pytest.mark.django_db


def _notify(user, title="Votre jalon « Identifier » est accepté", url="/dossiers/3/"):
    return notify(user, kinds.MILESTONE_REVIEWED, title=title, url=url)


def test_list_requires_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_a_person_sees_only_their_notifications(client_as, trainee, other_trainee):
    _notify(trainee, title="Pour Camille")
    _notify(other_trainee, title="Pour Jules")
    content = client_as(trainee).get("/notifications/").content.decode()
    assert "Pour Camille" in content
    assert "Pour Jules" not in content
    assert "Nouveau" in content


def test_header_badge_counts_unread(client_as, trainee):
    client = client_as(trainee)
    content = client.get("/notifications/").content.decode()
    assert 'data-testid="notifications-link">Notifications</a>' in content
    _notify(trainee)
    _notify(trainee)
    content = client.get("/notifications/").content.decode()
    assert '2<span class="visually-hidden"> non lues</span>' in content


def test_opening_marks_read_and_follows_the_link(client_as, trainee):
    notification = _notify(trainee)
    response = client_as(trainee).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/dossiers/3/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_a_404(client_as, trainee, other_trainee):
    notification = _notify(other_trainee)
    client = client_as(trainee)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_one_and_all_read(client_as, trainee, other_trainee):
    first = _notify(trainee)
    _notify(trainee)
    theirs = _notify(other_trainee)
    client = client_as(trainee)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"page": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    assert Notification.objects.filter(recipient=trainee, read_at__isnull=True).count() == 1
    response = client.post(reverse("notifications:read_all"), {"page": "https://evil.example"})
    assert response["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient=trainee, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post(client_as, trainee):
    notification = _notify(trainee)
    client = client_as(trainee)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_preferences_page_saves_choices(client_as, trainee):
    client = client_as(trainee)
    content = client.get("/notifications/preferences/").content.decode()
    assert "Recevoir un e-mail quand…" in content
    assert content.count('type="checkbox"') == len(kinds.kinds_for(trainee)) + 1
    response = client.post(
        "/notifications/preferences/",
        {"email_kinds": [kinds.CERTIFICATE_ISSUED], "daily_digest": "on"},
    )
    assert response.status_code == 302
    preferences = NotificationPreferences.objects.get(user=trainee)
    assert preferences.daily_digest is True
    assert preferences.wants_email(kinds.CERTIFICATE_ISSUED)
    assert not preferences.wants_email(kinds.MILESTONE_REVIEWED)
    content = client.get("/notifications/preferences/").content.decode()
    assert "sont enregistrées" in content


def test_preferences_refuse_unknown_kinds_in_french(client_as, trainee):
    response = client_as(trainee).post(
        "/notifications/preferences/", {"email_kinds": ["nope"], "daily_digest": "on"}
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not NotificationPreferences.objects.filter(user=trainee).exists()


def test_list_queries_do_not_grow_with_notifications(client_as, trainee, django_assert_num_queries):
    client = client_as(trainee)
    _notify(trainee)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    baseline = len(few.captured_queries)
    for index in range(20):
        _notify(trainee, title=f"Notification {index}")
    with django_assert_num_queries(baseline):
        client.get("/notifications/")


def test_list_is_paginated(client_as, trainee):
    for index in range(35):
        _notify(trainee, title=f"Notification numéro {index}")
    client = client_as(trainee)
    first = client.get("/notifications/").content.decode()
    assert "Notification numéro 34" in first
    assert "Page 1 sur 2" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert "Notification numéro 0<" in second
    assert client.get("/notifications/?page=abc").status_code == 200


def test_preferences_list_the_kinds_of_ones_roles_and_keep_the_others(client_as, trainer):
    client = client_as(trainer)
    content = client.get("/notifications/preferences/").content.decode()
    assert "Un jalon de dossier est soumis à ma revue" in content
    assert "Mon certificat est délivré" not in content  # a trainee's kind
    NotificationPreferences.objects.create(user=trainer, email_off=[kinds.CERTIFICATE_ISSUED])
    client.post("/notifications/preferences/", {"email_kinds": [kinds.MILESTONE_SUBMITTED]})
    preferences = NotificationPreferences.objects.get(user=trainer)
    assert preferences.wants_email(kinds.MILESTONE_SUBMITTED)
    assert not preferences.wants_email(kinds.CERTIFICATE_ISSUED)  # not shown: kept as it was
    client.post("/notifications/preferences/", {})
    preferences.refresh_from_db()
    assert not preferences.wants_email(kinds.MILESTONE_SUBMITTED)
    # Kinds for anybody (complaints answered) are listed too, and were turned off with it.
    assert not preferences.wants_email(kinds.COMPLAINT_ANSWERED)


def test_my_account_links_to_the_preferences(client_as, trainee):
    content = client_as(trainee).get("/compte/").content.decode()
    assert 'href="/notifications/preferences/"' in content
