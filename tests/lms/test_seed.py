from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page, Site

import pytest

from lms.models import HomePage, Structure, User

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        User.objects.count(),
        Structure.objects.count(),
        Page.objects.count(),
        HomePage.objects.count(),
        list(User.objects.order_by("email").values_list("email", "password")),
    )


def test_seed_demo_creates_site_home_and_one_account_per_role(capsys):
    call_command("seed_demo")
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.live
    for email, group in [
        ("stagiaire@ensemblier.example", "Stagiaire"),
        ("formateur@ensemblier.example", "Formateur"),
        ("coordination@ensemblier.example", "Coordination nationale"),
        ("referent@ensemblier.example", "Référent handicap"),
    ]:
        assert User.objects.get(email=email).groups.filter(name=group).exists()
    assert User.objects.get(email="admin@ensemblier.example").is_superuser
    assert "demo-stagiaire-2026" in capsys.readouterr().out


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before


def test_seed_demo_refuses_production_settings(settings):
    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.filter(email="stagiaire@ensemblier.example").exists()


def test_demo_accounts_can_log_in(client):
    call_command("seed_demo")
    response = client.post(
        "/compte/connexion/",
        {"username": "formateur@ensemblier.example", "password": "demo-formateur-2026"},
    )
    assert response.status_code == 302
