"""The holder downloads their credential (JSON, PNG badge) from "Mon parcours"; nobody else does."""

import io

from django.core.cache import cache

import pytest
from PIL import Image

from assessments.awareness.models import Attestation
from assessments.credentials import badge, verification
from assessments.credentials.models import CredentialRecord
from assessments.models import Certification
from tests.factories import CoordinatorFactory, TraineeFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def test_parcours_offers_both_downloads_of_a_valid_certificate(client_as, certification):
    html = client_as(certification.trainee).get("/mon-parcours/").content.decode()
    assert f"/badges/{certification.number}.png" in html
    assert f"/badges/{certification.number}.json" in html


def test_parcours_offers_no_badge_for_a_revoked_certificate(client_as, certification):
    Certification.objects.filter(pk=certification.pk).update(status="revoked")
    html = client_as(certification.trainee).get("/mon-parcours/").content.decode()
    assert "/badges/" not in html


def test_json_download_is_the_credential_with_its_jwt(client_as, certification):
    response = client_as(certification.trainee).get(f"/badges/{certification.number}.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert f'filename="badge-{certification.number}.json"' in response["Content-Disposition"]
    document = response.json()
    token = document["proof"][0]["jwt"]
    report = verification.check(verification.read_submission(text=token))
    assert report.valid and report.claims.number == certification.number


def test_png_badge_is_a_drawn_image_with_the_credential_baked_in(client_as, certification):
    response = client_as(certification.trainee).get(f"/badges/{certification.number}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (badge.SIZE, badge.SIZE)
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 10  # drawn, not blank
    token = image.text["openbadgecredential"]
    assert verification.check(verification.read_submission(text=token)).valid


def test_badge_draws_any_script(client_as, holder, certification):
    """Names outside DejaVu's coverage (CJK) and right-to-left names draw without error."""
    for name in ("王小明", "ليلى حداد", "Zoë Ñúñez-O'Brien"):
        certification.holder_name = name
        certification.save(update_fields=["holder_name"])
        response = client_as(holder).get(f"/badges/{certification.number}.png")
        assert response.status_code == 200


def test_the_status_index_is_allocated_once(client_as, certification):
    client = client_as(certification.trainee)
    client.get(f"/badges/{certification.number}.json")
    client.get(f"/badges/{certification.number}.png")
    assert CredentialRecord.objects.filter(certification=certification).count() == 1


@pytest.mark.parametrize("who", ["other_trainee", "trainer_of_session", "coordinator", "anonymous"])
def test_nobody_else_downloads_the_credential(client, client_as, certification, who):
    if who == "anonymous":
        response = client.get(f"/badges/{certification.number}.json")
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
        return
    if who == "other_trainee":
        user = TraineeFactory()
    elif who == "trainer_of_session":
        user = TrainerFactory()
        certification.session.trainers.add(user)
    else:
        user = CoordinatorFactory()
    client = client_as(user)
    for suffix in ("json", "png"):
        assert client.get(f"/badges/{certification.number}.{suffix}").status_code == 404
    assert not CredentialRecord.objects.exists()


def test_revoked_certificate_gives_no_badge(client_as, certification):
    Certification.objects.filter(pk=certification.pk).update(status="revoked")
    response = client_as(certification.trainee).get(f"/badges/{certification.number}.png")
    assert response.status_code == 410
    assert "révoqué" in response.content.decode()


def test_unknown_and_malformed_numbers_are_404(client_as, holder):
    client = client_as(holder)
    for number in ("ENS-2026-99999-K7QF", "n'importe-quoi", "SEN-2026-00001-AAAA", "9" * 30):
        assert client.get(f"/badges/{number}.json").status_code == 404


def test_attestation_holder_downloads_theirs(client_as, attestation):
    client = client_as(attestation.user)
    response = client.get(f"/badges/{attestation.number}.json")
    assert response.status_code == 200
    token = response.json()["proof"][0]["jwt"]
    report = verification.check(verification.read_submission(text=token))
    assert report.valid and report.claims.kind == "attestation"
    png = client.get(f"/badges/{attestation.number}.png")
    assert png.status_code == 200
    assert verification.check(verification.read_submission(data=png.content)).valid


def test_someone_else_never_gets_an_attestation_badge(client_as, attestation, holder):
    assert client_as(holder).get(f"/badges/{attestation.number}.json").status_code == 404
    Attestation.objects.filter(pk=attestation.pk).update(user=None)  # account deleted
    assert client_as(holder).get(f"/badges/{attestation.number}.png").status_code == 404


def test_download_query_count_is_constant(client_as, certification, django_assert_num_queries):
    client = client_as(certification.trainee)
    client.get(f"/badges/{certification.number}.json")  # allocates the record
    cache.clear()
    # session, user, certificate with its holder, record, site settings
    with django_assert_num_queries(5):
        assert client.get(f"/badges/{certification.number}.json").status_code == 200
    with django_assert_num_queries(5):
        assert client.get(f"/badges/{certification.number}.png").status_code == 200


def test_public_documents(client, certification):
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert jwks["Access-Control-Allow-Origin"] == "*"
    (key,) = jwks.json()["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["kid"] and "d" not in key
    status = client.get("/badges/statuts/revocation/")
    assert status.status_code == 200
    assert status["Content-Type"] == "application/jwt"
    assert status.content.count(b".") == 2


def test_course_page_offers_the_attestation_badge_to_its_holder(client_as, home_page, volunteer):
    from assessments.awareness import seed as course_seed
    from assessments.awareness.models import LessonCompletion
    from assessments.awareness.services import attestation_issue

    course = course_seed.seed()
    for lesson in course.lessons():
        LessonCompletion.objects.create(user=volunteer, lesson=lesson)
    attestation = attestation_issue(user=volunteer, course=course)
    html = client_as(volunteer).get(course.url).content.decode()
    assert f"/badges/{attestation.number}.png" in html
    assert f"/badges/{attestation.number}.json" in html
