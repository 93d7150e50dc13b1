"""Journey (issue 17): a certified trainee consents to the public register and downloads their
Open Badges credential (PNG badge and JSON) from "Mon parcours"; a visitor verifies the badge by
upload ("valide") and finds the person through the open API; after the coordination revokes the
certificate, the same badge is reported revoked, and the API says so."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def certified(home_page):
    from tests.factories import CertificationFactory, TraineeFactory

    trainee = TraineeFactory(first_name="Nadia", last_name="Roussel")
    return CertificationFactory(enrolment__trainee=trainee)


def _log_out(page):
    page.context.clear_cookies()


def _verify_upload(page, path: Path):
    page.goto("/certificats/verifier/")
    page.get_by_label("Fichier du badge").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le badge").click()
    return page.get_by_test_id("badge-report")


def _api_rows(page, name: str) -> list[dict]:
    response = page.request.get(f"/api/v1/ensembliers?nom={name}")
    assert response.ok, response.status
    return response.json()["resultats"]


def test_trainee_downloads_visitor_verifies_then_revocation_shows(
    page, login, coordinator, certified, tmp_path, csp_violations
):
    number = certified.number
    trainee = certified.trainee

    # The trainee consents to be listed, from their account.
    login(trainee)
    page.goto("/compte/")
    page.get_by_role("link", name="Registre public des ensembliers certifiés : mon accord").click()
    page.get_by_role("button", name="J'accepte de figurer dans le registre public").click()
    expect(page.get_by_test_id("register-state")).to_contain_text(
        "Vous figurez dans le registre public"
    )

    # …and downloads the badge (PNG) and the credential (JSON) from Mon parcours.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon parcours"
    ).click()
    certificates = page.get_by_role("region", name="Mes certificats")
    with page.expect_download() as png_download:
        certificates.get_by_role("link", name="image PNG").click()
    badge = tmp_path / png_download.value.suggested_filename
    png_download.value.save_as(badge)
    assert badge.read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as json_download:
        certificates.get_by_role("link", name="fichier JSON").click()
    document = tmp_path / json_download.value.suggested_filename
    json_download.value.save_as(document)
    credential = json.loads(document.read_text(encoding="utf-8"))
    assert credential["credentialSubject"]["licenseNumber"] == number
    _log_out(page)

    # A visitor verifies the badge by upload: valid, with what it states.
    report = _verify_upload(page, badge)
    expect(report).to_contain_text("badge valide")
    expect(report).to_contain_text("Signature valide")
    expect(report).to_contain_text("Statut : valide")
    expect(report).to_contain_text("Nadia Roussel")
    expect(report).to_contain_text(number)
    expect(_verify_upload(page, document)).to_contain_text("badge valide")

    # …and finds the person through the open register API.
    rows = _api_rows(page, "Roussel")
    assert [(row["numero"], row["nom"], row["statut"]) for row in rows] == [
        (number, "Nadia Roussel", "valide")
    ]

    # The coordination revokes the certificate.
    login(coordinator)
    page.goto(f"/certifications/{number}/")
    page.get_by_label("Motif de la révocation").fill("Certification obtenue par fraude.")
    page.get_by_role("button", name="Révoquer le certificat").click()
    expect(page.get_by_role("status")).to_contain_text(f"Le certificat {number} est révoqué")
    _log_out(page)

    # The same badge is now reported revoked (signature still ours), and the API says so.
    report = _verify_upload(page, badge)
    expect(report).to_contain_text("badge révoqué")
    expect(report).to_contain_text("Statut : révoqué")
    expect(report).to_contain_text("Signature valide")
    expect(report).not_to_contain_text("fraude")
    expect(_verify_upload(page, document)).to_contain_text("badge révoqué")
    assert [row["statut"] for row in _api_rows(page, "Roussel")] == ["revoque"]

    # The trainee's Mon parcours no longer offers the badge.
    login(trainee)
    page.goto("/mon-parcours/")
    expect(page.get_by_role("link", name="image PNG")).to_have_count(0)
    assert csp_violations == []
