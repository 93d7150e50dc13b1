"""The public verification page shows only the name, the date and the validity."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.models import Certification
from tests.factories import CertificationFactory, StructureFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certification():
    trainee = TraineeFactory(
        first_name="Nadia",
        last_name="Roussel",
        email="nadia.roussel@exemple.fr",
        phone="0601020304",
        structure=StructureFactory(name="Soliha Mayenne"),
    )
    return CertificationFactory(
        enrolment__trainee=trainee,
        certified_on=datetime.date(2026, 3, 20),
        attended_hours="98.0",
    )


def test_anonymous_sees_valid_with_name_and_date(client, certification):
    response = client.get(f"/certificats/verifier/{certification.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "valide" in html
    assert "Nadia Roussel" in html
    assert "20 mars 2026" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_verification_leaks_nothing_else(client, certification):
    html = client.get(f"/certificats/verifier/{certification.number}/").content.decode()
    html = html.replace(certification.number, "")  # its digits may contain "98"
    for secret in (
        "nadia.roussel@exemple.fr",
        "0601020304",
        "Soliha Mayenne",
        certification.session.name,
        certification.session.territory.name,
        certification.certified_by.last_name,
        "98",
        "%PDF",
        "C1",
    ):
        assert secret not in html, secret


def test_revoked_certificate_shows_revoked_without_the_reason(client, certification):
    Certification.objects.filter(pk=certification.pk).update(
        status=Certification.Status.REVOKED, revoked_reason="Fraude au dossier"
    )
    html = client.get(f"/certificats/verifier/{certification.number}/").content.decode()
    assert "révoqué" in html
    assert "Fraude" not in html


@pytest.mark.parametrize("number", ["ENS-2026-90000-AAAA", "n'importe quoi", "ES-2026-000001"])
def test_unknown_number_says_unknown_with_the_same_status(client, certification, number):
    response = client.get(f"/certificats/verifier/{number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "inconnu" in html
    assert "Nadia" not in html


def test_number_is_matched_whatever_its_case(client, certification):
    html = client.get(f"/certificats/verifier/{certification.number.lower()}/").content.decode()
    assert "Nadia Roussel" in html


def test_verification_form_redirects_to_the_number(client, certification):
    response = client.get("/certificats/verifier/", {"numero": certification.number.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/certificats/verifier/{certification.number}/"
    empty = client.get("/certificats/verifier/", {"numero": ""})
    assert "Saisissez le numéro" in empty.content.decode()


def test_known_and_unknown_numbers_cost_the_same_queries(client, certification):
    client.get("/certificats/verifier/ENS-2026-99998-K7QF/")  # warm the site settings cache
    with CaptureQueriesContext(connection) as known:
        client.get(f"/certificats/verifier/{certification.number}/")
    with CaptureQueriesContext(connection) as unknown:
        client.get("/certificats/verifier/ENS-2026-99999-K7QF/")
    assert len(known.captured_queries) == len(unknown.captured_queries)
    looked_up = [
        query for query in known.captured_queries if "assessments_certification" in query["sql"]
    ]
    assert len(looked_up) == 1


def test_the_101st_verification_within_a_minute_from_one_client_gets_429(
    client, certification, monkeypatch
):
    import time
    import types

    from django_ratelimit import core

    # One fixed instant for the limiter: the 101 requests fall in the same minute even on a
    # slow machine (the counter's window would otherwise roll over mid-test).
    now = time.time()
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: now))
    url = f"/certificats/verifier/{certification.number}/"
    for index in range(100):
        # Both verification pages share the counter.
        path = url if index % 2 else "/certificats/verifier/"
        assert client.get(path, REMOTE_ADDR="203.0.113.7").status_code == 200, index
    refused = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    assert "Nadia Roussel" not in refused.content.decode()
    # Another client is not affected.
    assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 200
