"""Session 5 QA: a client holding an ETag gets the new data (200), never a stale 304, after
each change the register API shows: a certificate issued, revoked, a holder renamed, a
consent withdrawn, a session created, an account deactivated."""

import pytest

from assessments.certification.services import certification_revoke
from assessments.register.services import register_consent_set
from tests.factories import CoordinatorFactory, TrainingSessionFactory

from .conftest import certified

pytestmark = pytest.mark.django_db

ENDPOINTS = ("/api/v1/ensembliers", "/api/v1/chiffres", "/api/v1/sessions")


def _held(client):
    return {url: client.get(url)["ETag"] for url in ENDPOINTS}


def _after(client, held):
    return {url: client.get(url, headers={"if-none-match": etag}) for url, etag in held.items()}


def test_each_change_gives_200_with_the_new_data_not_a_stale_304(client, territory):
    listed = certified(consent=True, territory=territory, last_name="O'Brien-Ünal")
    held = _held(client)
    assert all(r.status_code == 304 for r in _after(client, held).values())

    # A certificate issued (another holder, listed).
    second = certified(consent=True, territory=territory)
    answers = _after(client, held)
    assert answers["/api/v1/ensembliers"].status_code == 200
    assert answers["/api/v1/ensembliers"].json()["total"] == 2
    assert answers["/api/v1/chiffres"].status_code == 200

    # Revoked through the service: still listed (the register shows revoked certificates),
    # with its new status.
    held = _held(client)
    certification_revoke(certification=second, user=CoordinatorFactory(), reason="Fraude")
    answers = _after(client, held)
    assert answers["/api/v1/ensembliers"].status_code == 200
    statuses = {item["statut"] for item in answers["/api/v1/ensembliers"].json()["resultats"]}
    assert statuses == {"valide", "revoque"}

    # The holder renamed (the certificate's name).
    held = _held(client)
    listed.holder_name = "Renée « D'Arc »"
    listed.save()
    answer = _after(client, held)["/api/v1/ensembliers"]
    assert answer.status_code == 200
    assert "Renée « D'Arc »" in answer.content.decode()

    # A new session.
    held = _held(client)
    TrainingSessionFactory(territory=territory)
    assert _after(client, held)["/api/v1/sessions"].status_code == 200

    # The account deactivated: no longer listed.
    held = _held(client)
    listed.trainee.is_active = False
    listed.trainee.save(update_fields=["is_active"])
    answer = _after(client, held)["/api/v1/ensembliers"]
    assert answer.status_code == 200
    assert "Renée" not in answer.content.decode()

    # Consent withdrawn.
    listed.trainee.is_active = True
    listed.trainee.save(update_fields=["is_active"])
    held = _held(client)
    register_consent_set(actor=listed.trainee, person=listed.trainee, listed=False)
    answer = _after(client, held)["/api/v1/ensembliers"]
    assert answer.status_code == 200
    assert answer.json()["total"] == 1  # the revoked holder, still consenting
    assert "Renée" not in answer.content.decode()
