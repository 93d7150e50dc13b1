"""Wagtail's moderation e-mails: a formal greeting and absolute links to the real site."""

from django.core import mail

import pytest

pytestmark = pytest.mark.django_db


def test_a_submission_for_moderation_greets_formally_with_absolute_links(
    home_page, trainer, coordinator, settings, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    settings.WAGTAILADMIN_BASE_URL = "https://ensemblier.example.org"
    workflow = Page.get_first_root_node().get_workflow()
    home_page.save_revision(user=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(home_page, trainer)
    messages = [m for m in mail.outbox if coordinator.email in m.to]
    assert messages, [m.to for m in mail.outbox]
    message = messages[0]
    assert "Bonjour Sophie," in message.body
    assert "Salut" not in message.body
    assert f"https://ensemblier.example.org/admin/pages/{home_page.pk}/edit/" in message.body
    assert "https://ensemblier.example.org/admin/account/" in message.body
    html = message.alternatives[0][0]
    assert "<p>Bonjour Sophie,</p>" in html
    assert "Salut" not in html
    assert f'href="https://ensemblier.example.org/admin/pages/{home_page.pk}/edit/"' in html
