"""The production path: tasks queued in the database (django-tasks-db) and run by db_worker."""

from django.core import mail
from django.core.management import call_command

import pytest

from lms.notifications import kinds
from lms.notifications.models import Notification
from lms.notifications.services import notify

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_the_request_queued(trainee, settings):
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS  # django-tasks resets its backends on setting_changed
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    notification = notify(
        trainee, kinds.MILESTONE_REVIEWED, title="Votre jalon est accepté", url="/dossiers/"
    )
    assert mail.outbox == []  # queued, not sent, by the "request"
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "lms.notifications.tasks.send_notification_email"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    (message,) = mail.outbox
    assert message.to == [trainee.email]
    assert Notification.objects.get(pk=notification.pk).email == Notification.Email.SENT
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
