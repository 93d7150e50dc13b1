"""Consent histories: the person reads their own on their consent page; the coordination
reads everybody's, read-only; a trainee never reads another's, nor does a trainer."""

from django.urls import reverse

import pytest

from assessments.register import selectors
from assessments.register.models import RegisterConsentEvent
from assessments.register.services import register_consent_set
from modules import access
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db

EVENTS = "/registre-public/accords/"


def consent(person, listed=True):
    return register_consent_set(actor=person, person=person, listed=listed)


@pytest.fixture
def histories(trainee, other_trainee):
    consent(trainee)
    consent(trainee, listed=False)
    consent(other_trainee)
    return trainee, other_trainee


def test_who_reads_which_consent_events(histories, trainer, coordinator, superuser):
    trainee, other = histories
    everything = RegisterConsentEvent.objects.all()
    assert access.visible_consent_events(coordinator, everything).count() == 3
    assert access.visible_consent_events(superuser, everything).count() == 3
    own = access.visible_consent_events(trainee, everything)
    assert {event.person_id for event in own} == {trainee.pk}
    assert {e.person_id for e in access.visible_consent_events(other, everything)} == {other.pk}
    assert not access.visible_consent_events(trainer, everything).filter(person=trainee).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_consent_events(AnonymousUser(), everything).exists()


def test_a_deactivated_coordinator_reads_nothing_more(coordinator):
    coordinator.is_active = False
    assert not access.sees_register_consents(coordinator)


def test_the_person_reads_their_history_with_the_wording(client_as, histories):
    trainee, other = histories
    page = client_as(trainee).get(reverse("register:consent")).content.decode()
    assert page.count("Accord donné") == 1 and page.count("Accord retiré") == 1
    assert "Texte présenté" in page
    assert other.email not in page and other.last_name not in page


def test_the_coordination_reads_every_history_read_only(client_as, coordinator, histories):
    trainee, other = histories
    response = client_as(coordinator).get(EVENTS)
    assert response.status_code == 200
    page = response.content.decode()
    assert trainee.email in page and other.email in page
    assert page.count("<tr>") == 1 + 3  # header + three events
    assert "la personne" in page  # each change was made by the person themself
    main = page[page.index("<main") :]
    assert 'method="post"' not in main and 'name="accord"' not in main  # nothing to change
    assert "1 personne accepte" in page
    assert client_as(coordinator).post(EVENTS).status_code == 405


@pytest.mark.parametrize("who", ["trainee", "other_trainee", "trainer"])
def test_nobody_else_reads_the_coordination_history(request, client_as, histories, who):
    response = client_as(request.getfixturevalue(who)).get(EVENTS)
    assert response.status_code == 403


def test_visitors_are_sent_to_login(client):
    response = client.get(EVENTS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_coordination_filters_by_person_and_choice(client_as, coordinator, histories):
    trainee, other = histories
    client = client_as(coordinator)
    page = client.get(EVENTS, {"q": trainee.last_name}).content.decode()
    assert trainee.email in page and other.email not in page
    page = client.get(EVENTS, {"choix": "withdrawn"}).content.decode()
    assert page.count("<tr>") == 1 + 1


@pytest.mark.parametrize(
    "params",
    [
        {"choix": "n'importe quoi"},
        {"q": "x" * 500},
        {"q": "nul\x00"},
        {"page": "-3"},
        {"page": "deux"},
        {"page": "99999999999999999999"},
    ],
)
def test_bad_filters_never_give_a_500(client_as, coordinator, histories, params):
    response = client_as(coordinator).get(EVENTS, params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "error" in response.content.decode()


def test_the_history_is_read_in_constant_queries(client_as, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(coordinator)
    consent(TraineeFactory())
    client.get(EVENTS)
    with CaptureQueriesContext(connection) as before:
        client.get(EVENTS)
    for _ in range(6):
        person = TraineeFactory()
        consent(person)
        consent(person, listed=False)
    client.get(EVENTS)
    with CaptureQueriesContext(connection) as after:
        assert client.get(EVENTS).content.decode().count("<tr>") == 1 + 13
    assert len(after) == len(before)


def test_selector_search_matches_each_word(histories, coordinator):
    trainee, _other = histories
    found = selectors.consent_events(coordinator, search=f"{trainee.first_name} {trainee.email}")
    assert {event.person_id for event in found} == {trainee.pk}
