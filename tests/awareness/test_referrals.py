"""The repérage checklist and its referrals: nothing stored without a referral; a referral is
visible to its ensemblier and the coordination only, and purged after the retention period."""

import datetime
import html as htmllib

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

import pytest

from assessments.awareness import services
from assessments.awareness.models import Referral, ReferralTally
from modules import access

pytestmark = pytest.mark.django_db

CHECKLIST = "/reperage/"
SEND = "/reperage/transmettre/"
INBOX = "/reperage/orientations/"


def all_rows() -> int:
    from django.apps import apps

    return sum(m.objects.count() for m in apps.get_app_config("awareness").get_models())


def test_the_checklist_gives_an_orientation_and_stores_nothing(
    client, home_page, territory, ensemblier
):
    before = all_rows()
    response = client.post(
        CHECKLIST,
        {
            "signs": ["froid", "humidite", "impayes"],
            "home_state": "degrade",
            "tenure": "proprietaire",
            "income": "tres_faibles",
            "territory": territory.pk,
        },
    )
    assert response.status_code == 200
    html = htmllib.unescape(response.content.decode())
    assert "France Rénov'" in html
    assert "Nadia Roux" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert all_rows() == before
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()


def test_a_bad_checklist_keeps_the_form_and_says_what_is_missing(client, home_page):
    response = client.post(CHECKLIST, {"signs": ["froid", "inconnu"], "territory": "x"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_sending_a_referral_needs_an_account(client, home_page, territory, ensemblier):
    response = client.get(SEND, {"territoire": territory.pk})
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def send(client, territory, ensemblier, **changes):
    data = {
        "territory": territory.pk,
        "ensemblier": ensemblier.pk,
        "contact": "Mme Durand, 06 12 34 56 78",
        "commune": "Trèbes",
        "note": "Plutôt le matin",
        "consent": "on",
        **changes,
    }
    return client.post(SEND, data)


def test_a_referral_without_the_households_consent_is_refused(
    client_as, home_page, territory, ensemblier, volunteer
):
    response = send(client_as(volunteer), territory, ensemblier, consent="")
    assert response.status_code == 400
    assert "Sans l'accord du ménage" in htmllib.unescape(response.content.decode())
    assert not Referral.objects.exists()


def test_a_referral_to_someone_not_listed_is_refused(
    client_as, home_page, territory, other_territory, ensemblier, volunteer
):
    from tests.awareness.conftest import listed_ensemblier

    elsewhere = listed_ensemblier(other_territory, first_name="Yann", last_name="Le Goff")
    response = send(client_as(volunteer), territory, elsewhere)
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_a_referral_holds_the_minimum_and_mails_without_its_content(
    client_as, home_page, territory, ensemblier, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client_as(volunteer), territory, ensemblier)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.ensemblier == ensemblier and referral.sent_by == volunteer
    assert referral.consent_at is not None
    assert referral.purge_after - referral.created_at >= datetime.timedelta(days=89)
    assert ReferralTally.objects.get(territory=territory).count == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ensemblier.email]
    assert "Durand" not in mail.outbox[0].body and "06 12" not in mail.outbox[0].body


def test_a_referral_is_invisible_to_other_ensembliers(
    client_as, home_page, territory, ensemblier, other_ensemblier, volunteer, coordinator
):
    send(client_as(volunteer), territory, ensemblier)
    referral = Referral.objects.get()
    assert access.may_see_referral(ensemblier, referral)
    assert access.may_see_referral(coordinator, referral)
    assert not access.may_see_referral(other_ensemblier, referral)
    assert not access.may_see_referral(volunteer, referral)

    assert "Mme Durand" in client_as(ensemblier).get(INBOX).content.decode()
    assert "Mme Durand" in client_as(coordinator).get(INBOX).content.decode()
    assert "Mme Durand" not in client_as(other_ensemblier).get(INBOX).content.decode()
    assert "Mme Durand" not in client_as(volunteer).get(INBOX).content.decode()


def test_the_inbox_costs_the_same_queries_for_one_or_many_referrals(
    client_as, home_page, territory, ensemblier, volunteer, coordinator, django_assert_num_queries
):
    client = client_as(coordinator)
    send(client_as(volunteer), territory, ensemblier)
    client = client_as(coordinator)
    client.get(INBOX)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    queries = len(one.captured_queries)  # read now: each request clears the query log
    assert queries > 3
    for index in range(5):
        services.referral_send(
            sender=volunteer,
            ensemblier=ensemblier,
            territory=territory,
            contact=f"Ménage {index}",
            commune="Trèbes",
            consent=True,
        )
    with django_assert_num_queries(queries):
        client.get(INBOX)


def test_referrals_are_purged_after_the_retention_period(
    territory, ensemblier, volunteer, settings
):
    settings.AWARENESS_REFERRAL_RETENTION_DAYS = 30
    old = services.referral_send(
        sender=volunteer,
        ensemblier=ensemblier,
        territory=territory,
        contact="Ancien ménage",
        commune="Trèbes",
        consent=True,
    )
    Referral.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31),
        purge_after=timezone.now() - datetime.timedelta(days=1),
    )
    recent = services.referral_send(
        sender=volunteer,
        ensemblier=ensemblier,
        territory=territory,
        contact="Nouveau ménage",
        commune="Trèbes",
        consent=True,
    )
    assert recent.purge_after > timezone.now() + datetime.timedelta(days=29)
    call_command("purge_referrals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Referral.objects.values_list("contact", flat=True)) == ["Nouveau ménage"]
    assert ReferralTally.objects.get(territory=territory).count == 2  # the count stays
    assert services.referral_purge(now=timezone.now() + datetime.timedelta(days=31)) == 1
    assert not Referral.objects.exists()


def test_only_certified_ensembliers_can_be_listed(client_as, home_page, territory, volunteer):
    client = client_as(volunteer)
    assert client.get("/reperage/annuaire/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.listing_update(user=volunteer, listed=True, territory=territory)


def test_a_certified_ensemblier_opts_in_and_out(client_as, home_page, territory, ensemblier):
    from assessments.awareness.selectors import listed_ensembliers

    client = client_as(ensemblier)
    assert client.post("/reperage/annuaire/", {"territory": territory.pk}).status_code == 302
    assert ensemblier not in listed_ensembliers(territory)
    response = client.post("/reperage/annuaire/", {"listed": "on", "territory": territory.pk})
    assert response.status_code == 302
    assert ensemblier in listed_ensembliers(territory)
    assert client.post("/reperage/annuaire/", {"listed": "on"}).status_code == 400


def test_the_purge_task_deletes_expired_referrals(territory, ensemblier, volunteer):
    from assessments.awareness.tasks import purge_expired_referrals

    referral = services.referral_send(
        sender=volunteer,
        ensemblier=ensemblier,
        territory=territory,
        contact="Ménage",
        commune="Trèbes",
        consent=True,
    )
    Referral.objects.filter(pk=referral.pk).update(purge_after=timezone.now())
    assert purge_expired_referrals.enqueue().return_value == 1
    assert not Referral.objects.exists()


def test_the_account_page_offers_the_listing_to_certified_ensembliers_only(
    client_as, home_page, ensemblier, volunteer, coordinator
):
    assert "/reperage/annuaire/" in client_as(ensemblier).get("/compte/").content.decode()
    page = client_as(volunteer).get("/compte/").content.decode()
    assert "/reperage/annuaire/" not in page and "/reperage/orientations/" not in page
    assert "/reperage/orientations/" in client_as(coordinator).get("/compte/").content.decode()


def test_one_account_cannot_flood_an_ensemblier_with_referrals(
    client_as, home_page, territory, ensemblier, volunteer
):
    """20 referrals a day per account; the 21st is refused (French 429 page) and not stored."""
    from assessments.awareness.views import REFERRALS_PER_ACCOUNT

    allowed = int(REFERRALS_PER_ACCOUNT.split("/")[0])
    client = client_as(volunteer)
    for _ in range(allowed):
        assert send(client, territory, ensemblier).status_code == 302
    assert send(client, territory, ensemblier).status_code == 429
    assert Referral.objects.count() == allowed
