"""The person gives and withdraws their own consent; nobody else can; every change is dated."""

from django.core.exceptions import PermissionDenied

import pytest

from assessments.register.models import RegisterConsent, RegisterConsentEvent
from assessments.register.services import register_consent_set
from assessments.register.wording import CONSENT_WORDING
from modules import access
from tests.factories import CertificationFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def test_giving_then_withdrawing_keeps_a_dated_history(trainee):
    register_consent_set(actor=trainee, person=trainee, listed=True)
    register_consent_set(actor=trainee, person=trainee, listed=False)
    assert RegisterConsent.objects.get(person=trainee).listed is False
    events = list(RegisterConsentEvent.objects.filter(person=trainee).order_by("at", "pk"))
    assert [event.action for event in events] == ["given", "withdrawn"]
    assert all(event.by == trainee and event.at for event in events)
    assert events[0].wording == CONSENT_WORDING
    assert events[0].at <= events[1].at


def test_asking_twice_for_the_same_state_writes_one_event(trainee):
    register_consent_set(actor=trainee, person=trainee, listed=True)
    register_consent_set(actor=trainee, person=trainee, listed=True)
    assert RegisterConsentEvent.objects.filter(person=trainee).count() == 1


def test_withdrawing_without_ever_consenting_records_nothing(trainee):
    register_consent_set(actor=trainee, person=trainee, listed=False)
    assert not RegisterConsentEvent.objects.filter(person=trainee).exists()


@pytest.mark.parametrize("who", ["trainer", "coordinator", "superuser", "other_trainee"])
def test_nobody_else_can_consent_or_withdraw_for_a_person(request, trainee, who):
    actor = request.getfixturevalue(who)
    for listed in (True, False):
        with pytest.raises(PermissionDenied):
            register_consent_set(actor=actor, person=trainee, listed=listed)
    assert not RegisterConsent.objects.filter(person=trainee).exists()
    assert not RegisterConsentEvent.objects.exists()


def test_staff_cannot_withdraw_a_given_consent(trainee, coordinator):
    register_consent_set(actor=trainee, person=trainee, listed=True)
    with pytest.raises(PermissionDenied):
        register_consent_set(actor=coordinator, person=trainee, listed=False)
    assert RegisterConsent.objects.get(person=trainee).listed is True


def test_who_may_choose(trainee, trainer, coordinator, superuser):
    assert access.may_choose_register_consent(trainee)
    for user in (trainer, coordinator, superuser):
        assert not access.may_choose_register_consent(user)
    trainee.is_active = False
    assert not access.may_choose_register_consent(trainee)


# --- The account page -------------------------------------------------------------------------


def test_the_account_links_to_the_consent_page(client_as, trainee, trainer):
    body = client_as(trainee).get("/compte/").content.decode()
    assert "/compte/registre-public/" in body
    body = client_as(trainer).get("/compte/").content.decode()
    assert "/compte/registre-public/" not in body


def test_the_page_says_what_is_published_and_shows_the_entry(client_as):
    person = TraineeFactory(first_name="Élodie", last_name="Lefèvre")
    certification = CertificationFactory(enrolment__trainee=person)
    response = client_as(person).get("/compte/registre-public/")
    assert response.status_code == 200
    body = response.content.decode()
    for label in (
        "Nom",
        "Territoire",
        "Structure",
        "Année de certification",
        "Statut du certificat",
    ):
        assert f"<dt>{label}</dt>" in body
    assert "Vous ne figurez pas dans le registre public" in body
    assert certification.number in body
    assert "J'accepte de figurer dans le registre public" in body


def test_consent_is_given_and_withdrawn_by_post_from_the_page(client_as, trainee):
    client = client_as(trainee)
    response = client.post("/compte/registre-public/", {"accord": "oui"})
    assert response.status_code == 302
    assert RegisterConsent.objects.get(person=trainee).listed
    body = client.get("/compte/registre-public/").content.decode()
    assert "Vous figurez dans le registre public" in body
    assert "Retirer mon accord" in body
    assert "Accord donné" in body and "vous-même" in body
    client.post("/compte/registre-public/", {"accord": "non"})
    assert not RegisterConsent.objects.get(person=trainee).listed
    assert "Accord retiré" in client.get("/compte/registre-public/").content.decode()


def test_a_bad_choice_is_refused_in_french_and_changes_nothing(client_as, trainee):
    response = client_as(trainee).post("/compte/registre-public/", {"accord": "peut-être"})
    assert response.status_code == 400
    assert "Choisissez de donner ou de retirer votre accord." in response.content.decode()
    assert not RegisterConsent.objects.exists()


def test_a_get_never_writes(client_as, trainee):
    client_as(trainee).get("/compte/registre-public/", {"accord": "oui"})
    assert not RegisterConsent.objects.exists()


def test_the_page_needs_a_csrf_token(trainee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/compte/registre-public/", {"accord": "oui"}).status_code == 403
    assert not RegisterConsent.objects.exists()


@pytest.mark.parametrize("who", ["trainer", "coordinator", "superuser"])
def test_staff_roles_have_no_consent_page(client_as, request, who):
    client = client_as(request.getfixturevalue(who))
    assert client.get("/compte/registre-public/").status_code == 403
    assert client.post("/compte/registre-public/", {"accord": "oui"}).status_code == 403
    assert not RegisterConsent.objects.exists()


def test_visitors_are_sent_to_login(client):
    response = client.get("/compte/registre-public/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
