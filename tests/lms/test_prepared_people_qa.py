"""Session 5 QA: the roles and unread count compiled once per process (lms.prepared) follow a
change of role, a deactivation and a new notification on the very next request, and one
person's never show on another's page served by the same process."""

from django.contrib.auth.models import Group

import pytest

from lms.notifications.models import Notification
from lms.roles import Role

pytestmark = pytest.mark.django_db


def _header(client, url="/compte/"):
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_a_role_change_and_a_deactivation_show_on_the_next_request(
    client, trainee, trainer, other_trainee
):
    from django.urls import reverse

    account = reverse("account")
    suivi = reverse("modules:trainer_sessions")  # trainers and coordinators only
    client.force_login(trainee)
    assert client.get(suivi).status_code in (403, 404)
    # The same process serves a trainer, then the trainee again.
    client.force_login(trainer)
    assert client.get(suivi).status_code == 200
    client.force_login(trainee)
    assert client.get(suivi).status_code in (403, 404)
    # Made trainer: the next request has the role.
    trainee.groups.add(Group.objects.get(name=Role.TRAINER.value))
    assert client.get(suivi).status_code == 200
    trainee.groups.remove(Group.objects.get(name=Role.TRAINER.value))
    assert client.get(suivi).status_code in (403, 404)
    # Unread counts: each person's own, the next request after a new one.
    Notification.objects.create(recipient=other_trainee, kind="info", title="À Jules", url="/")
    status, mine = _header(client, account)
    assert status == 200 and "À Jules" not in mine
    client.force_login(other_trainee)
    before = client.get(account).content.decode()
    Notification.objects.create(recipient=other_trainee, kind="info", title="Encore", url="/")
    after = client.get(account).content.decode()
    assert before != after  # the badge moved
    # Deactivated: logged out on the next request.
    other_trainee.is_active = False
    other_trainee.save()
    assert client.get(account).status_code == 302
