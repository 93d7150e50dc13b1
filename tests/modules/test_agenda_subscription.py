"""The trainee's private agenda offered on Aujourd'hui and Mon parcours: webcal:// and https
links on the public base URL, and a renewal that kills the old address."""

from django.urls import reverse

import pytest

from modules.models import Enrolment
from tests.factories import EnrolmentFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(trainee):
    return EnrolmentFactory(trainee=trainee, session=TrainingSessionFactory())


@pytest.mark.parametrize("url", ["/aujourdhui/", "/mon-parcours/"])
def test_the_pages_offer_the_private_feed(client_as, enrolment, url):
    page = client_as(enrolment.trainee).get(url).content.decode()
    feed = f"testserver/calendrier/{enrolment.ical_token}.ics"
    assert "S&#x27;abonner à mon agenda" in page or "S'abonner à mon agenda" in page
    assert f'href="webcal://{feed}"' in page
    assert f'value="http://{feed}"' in page
    assert "Renouveler l&#x27;adresse de mon agenda" in page or "Renouveler l'adresse" in page
    assert (
        client_as(enrolment.trainee).get(f"/calendrier/{enrolment.ical_token}.ics").status_code
        == 200
    )


def test_nothing_is_offered_without_an_active_enrolment(client_as, trainee, trainer):
    EnrolmentFactory(
        trainee=trainee,
        session=TrainingSessionFactory(generate_slots=False),
        status=Enrolment.Status.DROPPED,
    )
    assert (
        'data-testid="agenda-subscribe"'
        not in client_as(trainee).get("/aujourdhui/").content.decode()
    )
    assert (
        'data-testid="agenda-subscribe"'
        not in client_as(trainer).get("/mon-parcours/").content.decode()
    )


def test_renewing_changes_every_token_and_kills_the_old_address(client_as, client, enrolment):
    second = EnrolmentFactory(
        trainee=enrolment.trainee, session=TrainingSessionFactory(generate_slots=False)
    )
    old = {enrolment.ical_token, second.ical_token}
    response = client_as(enrolment.trainee).post(
        reverse("modules:agenda_renew"), {"next": "/mon-parcours/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/mon-parcours/"
    assert "Votre agenda a une nouvelle adresse" in response.content.decode()
    enrolment.refresh_from_db()
    second.refresh_from_db()
    assert not old & {enrolment.ical_token, second.ical_token}
    for token in old:
        assert client.get(f"/calendrier/{token}.ics").status_code == 404
    assert client.get(f"/calendrier/{enrolment.ical_token}.ics").status_code == 200
    assert f"calendrier/{enrolment.ical_token}.ics" in response.content.decode()


def test_renewing_only_touches_ones_own_tokens_and_never_redirects_elsewhere(
    client_as, enrolment, other_trainee
):
    theirs = EnrolmentFactory(
        trainee=other_trainee, session=TrainingSessionFactory(generate_slots=False)
    )
    token = theirs.ical_token
    client = client_as(enrolment.trainee)
    response = client.post(reverse("modules:agenda_renew"), {"next": "https://evil.example/"})
    assert response["Location"] == "/aujourdhui/"
    theirs.refresh_from_db()
    assert theirs.ical_token == token
    assert client.get(reverse("modules:agenda_renew")).status_code == 405


def test_renewing_needs_login(client):
    response = client.post(reverse("modules:agenda_renew"))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_renewals_are_capped_per_account_with_the_french_429_page(client_as, enrolment):
    client = client_as(enrolment.trainee)
    url = reverse("modules:agenda_renew")
    for _ in range(10):
        assert client.post(url).status_code == 302
    token = Enrolment.objects.get(pk=enrolment.pk).ical_token
    response = client.post(url)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).ical_token == token  # nothing renewed
