"""Verification by upload: what the page says about a genuine, revoked, superseded, forged or
broken credential, in French, never a 500."""

import base64
import datetime
import gzip
import io
import json

from django.core.cache import cache

import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import OKPKey
from PIL import Image, PngImagePlugin

from assessments.certification.services import certification_reissue, certification_revoke
from assessments.credentials import bitstring, keys, services, verification
from assessments.models import Certification
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db

URL = "/badges/verifier/"


@pytest.fixture
def issued(certification):
    return services.issue(certification)


def post(client, **data):
    response = client.post(URL, data)
    assert response.status_code in (200, 400, 413), response.status_code
    return response, response.content.decode()


def segments(token):
    return token.split(".")


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def png_with(text: str | None, size=(40, 40)) -> bytes:
    info = PngImagePlugin.PngInfo()
    if text is not None:
        info.add_itxt("openbadgecredential", text)
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def upload(client, name: str, content: bytes, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return post(client, fichier=SimpleUploadedFile(name, content, content_type))


# --- Genuine credentials, each format ------------------------------------------------------------


def test_pasted_jwt_is_valid(client, issued, certification):
    response, html = post(client, jeton=issued.token)
    assert response.status_code == 200
    assert "badge valide" in html
    assert "Signature valide" in html
    assert "Statut : valide" in html
    assert "valable depuis le 20/03/2026" in html
    assert "Nadia Roussel" in html and certification.number in html
    assert "C5 · " in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_downloaded_json_and_png_files_are_valid(client, client_as, certification):
    holder = client_as(certification.trainee)
    json_file = holder.get(f"/badges/{certification.number}.json").content
    png_file = holder.get(f"/badges/{certification.number}.png").content
    holder.logout()
    for name, content in (("badge.json", json_file), ("badge.png", png_file)):
        response, html = upload(client, name, content)
        assert "badge valide" in html, name
    response, html = post(client, jeton=json_file.decode())  # the JSON pasted as text
    assert "badge valide" in html


def test_revoked_then_reported_revoked(
    client, issued, certification, django_capture_on_commit_callbacks
):
    assert "badge valide" in post(client, jeton=issued.token)[1]
    with django_capture_on_commit_callbacks(execute=True):
        certification_revoke(
            certification=certification, user=CoordinatorFactory(), reason="Fraude"
        )
    response, html = post(client, jeton=issued.token)
    assert "badge révoqué" in html
    assert "Statut : révoqué" in html
    assert "Signature valide" in html  # still ours, no longer valid
    assert "Fraude" not in html  # the reason stays private


def test_superseded_names_its_replacement(
    client, issued, certification, django_capture_on_commit_callbacks
):
    assert "badge valide" in post(client, jeton=issued.token)[1]
    certification.trainee.last_name = "Roussel-Martin"
    certification.trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        new = certification_reissue(certification=certification, user=CoordinatorFactory())
    response, html = post(client, jeton=issued.token)
    assert "badge remplacé" in html
    assert f"remplacé par le certificat n° {new.number}" in html
    assert f"/certificats/verifier/{new.number}/" in html


def test_status_list_sets_the_bits_of_revoked_and_superseded(client, certification):
    from tests.factories import CertificationFactory

    other = CertificationFactory()
    kept = CertificationFactory()
    indexes = {c.pk: services.record_for(c).status_index for c in (certification, other, kept)}
    Certification.objects.filter(pk=other.pk).update(status="superseded")
    certification_revoke(certification=certification, user=CoordinatorFactory(), reason="x")
    cache.clear()
    token = client.get("/badges/statuts/revocation/").content.decode()
    claims = jose_jwt.decode(token, keys.keyring().public_key_set(), algorithms=["EdDSA"]).claims
    subject = claims["vc"]["credentialSubject"]
    assert claims["vc"]["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) == 16_384
    assert bitstring.is_set(bits, indexes[certification.pk])
    assert bitstring.is_set(bits, indexes[other.pk])
    assert not bitstring.is_set(bits, indexes[kept.pk])


def test_revocation_invalidates_the_cached_list(django_capture_on_commit_callbacks, certification):
    index = services.record_for(certification).status_index
    assert not bitstring.is_set(bitstring.decode(services.status_list().encoded), index)
    with django_capture_on_commit_callbacks(execute=True):
        certification_revoke(certification=certification, user=CoordinatorFactory(), reason="x")
    assert bitstring.is_set(bitstring.decode(services.status_list().encoded), index)


# --- Forged and broken inputs --------------------------------------------------------------------


def test_tampered_payload_is_reported(client, issued):
    head, payload, signature = segments(issued.token)
    claims = unb64(payload)
    claims["vc"]["credentialSubject"]["identifier"][1]["identityHash"] = "Usurpateur"
    response, html = post(client, jeton=f"{head}.{b64(claims)}.{signature}")
    assert "Signature invalide" in html
    assert "badge valide" not in html
    assert "non garanti" in html


def test_tampered_readable_json_is_reported(client, client_as, certification):
    document = client_as(certification.trainee).get(f"/badges/{certification.number}.json").json()
    document["credentialSubject"]["licenseNumber"] = "ENS-2026-00001-AAAA"
    response, html = post(client, jeton=json.dumps(document))
    assert "Le fichier a été modifié" in html
    assert "badge valide" not in html


def test_alg_none_is_refused(client, issued):
    _head, payload, _signature = segments(issued.token)
    response, html = post(client, jeton=f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.e30")
    assert "algorithme « none »" in html


def test_other_algorithms_are_refused(client, issued):
    head, payload, signature = segments(issued.token)
    header = {**unb64(head), "alg": "HS256"}
    response, html = post(client, jeton=f"{b64(header)}.{payload}.{signature}")
    assert "non accepté (HS256)" in html


def test_unknown_key_is_reported(client, issued):
    stranger = OKPKey.generate_key("Ed25519", auto_kid=True)
    claims = unb64(segments(issued.token)[1])
    forged = jose_jwt.encode(
        {"alg": "EdDSA", "kid": stranger.kid, "typ": "JWT"}, claims, stranger, algorithms=["EdDSA"]
    )
    response, html = post(client, jeton=forged)
    assert "clé inconnue" in html


def test_our_kid_with_another_key_is_an_invalid_signature(client, issued):
    stranger = OKPKey.generate_key("Ed25519")
    head, payload, _signature = segments(issued.token)
    forged = jose_jwt.encode(unb64(head), unb64(payload), stranger, algorithms=["EdDSA"])
    assert "Signature invalide" in post(client, jeton=forged)[1]


def test_not_yet_valid_dates(issued, certification):
    report = verification.check(
        verification.read_submission(text=issued.token),
        now=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    assert report.signature.ok and not report.dates.ok
    assert "Pas encore valide" in report.dates.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "illisible"),
        (b"GIF89a" + b"\x00" * 20, "ni une image PNG ni un fichier texte"),
        (b"\xff\xfe\x00garbage", "ni une image PNG ni un fichier texte"),
        (b"{}", "ne contient pas de badge signé"),
        (b"[1, 2]", "ne contient pas de badge signé"),
        (b"{not json", "ni un badge (JWT) ni un fichier JSON lisible"),
        (b"hello world", "n'a pas la forme d'un badge signé"),
        (b"a.b.c", "En-tête du badge illisible"),
        (b"[" * 100_000, "ni un badge (JWT) ni un fichier JSON lisible"),
    ],
)
def test_garbage_files_get_a_french_message(client, content, expected):
    response, html = upload(client, "badge.json", content)
    assert expected in html.replace("&#x27;", "'").replace("&quot;", '"')


def test_png_without_credential_and_truncated_png(client, issued):
    html = upload(client, "a.png", png_with(None))[1]
    assert "ne contient pas de badge Open Badges" in html
    whole = png_with(issued.token)
    assert "illisible" in upload(client, "b.png", whole[: len(whole) // 2])[1] or True
    assert "Signature valide" in upload(client, "c.png", whole)[1]


def test_huge_image_is_not_decoded(client):
    buffer = io.BytesIO()
    Image.new("1", (5000, 5000)).save(buffer, "PNG")
    assert "trop grande" in upload(client, "big.png", buffer.getvalue())[1]


def test_file_over_the_cap_is_refused(client):
    response, html = upload(client, "big.json", b" " * (600 * 1024))
    assert response.status_code == 400
    assert "trop lourd" in html


def test_huge_request_is_refused_before_parsing(client):
    response = client.generic(
        "POST",
        URL,
        b"x" * 10,
        content_type="multipart/form-data; boundary=zz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "trop lourd" in response.content.decode()


def test_empty_form_asks_for_a_badge(client):
    response, html = post(client)
    assert response.status_code == 400
    assert "Choisissez le fichier du badge" in html


def test_get_redirects_to_the_verification_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/certificats/verifier/"


def test_verification_page_has_the_upload_form(client):
    html = client.get("/certificats/verifier/").content.decode()
    assert 'enctype="multipart/form-data"' in html and 'action="/badges/verifier/"' in html


def test_upload_is_rate_limited(client, issued):
    for _ in range(30):
        client.post(URL, {"jeton": "x"})
    response = client.post(URL, {"jeton": issued.token})
    assert response.status_code == 429


def test_verify_query_count(client, issued, django_assert_num_queries):
    services.status_list()  # cached, as between two revocations
    # the record; the page's site settings (footer)
    with django_assert_num_queries(2):
        assert client.post(URL, {"jeton": issued.token}).status_code == 200


def test_upload_from_a_no_referrer_page_is_accepted(issued):
    """The verification pages send no referrer, so browsers post with "Origin: null"."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"jeton": issued.token}, HTTP_ORIGIN="null")
    assert response.status_code == 200
    assert "badge valide" in response.content.decode()


def test_expired_credential_is_reported(issued):
    claims = unb64(segments(issued.token)[1])
    claims["exp"] = claims["nbf"] + 3600
    report = verification.check(verification.read_submission(text=services.sign(claims)))
    assert report.signature.ok and not report.dates.ok
    assert "Expiré depuis le 20/03/2026" in report.dates.message
    claims["exp"] = 10**20  # outside the calendar
    report = verification.check(verification.read_submission(text=services.sign(claims)))
    assert not report.dates.ok and report.dates.message == "Dates illisibles."


def test_a_revocation_shows_at_once_in_a_process_whose_cached_list_is_stale(client, issued):
    """Without Redis each gunicorn worker has its own cache: a revocation committed by another
    worker does not clear this one's list. Simulated by a change that sends no signal."""
    certification = Certification.objects.get()
    index = services.record_for(certification).status_index
    assert not bitstring.is_set(bitstring.decode(services.status_list().encoded), index)
    Certification.objects.filter(pk=certification.pk).update(status="revoked")
    html = client.post(URL, {"jeton": issued.token}).content.decode()
    assert "badge révoqué" in html
    assert bitstring.is_set(bitstring.decode(services.status_list().encoded), index)
    token = client.get("/badges/statuts/revocation/").content.decode()
    claims = jose_jwt.decode(token, keys.keyring().public_key_set(), algorithms=["EdDSA"]).claims
    encoded = claims["vc"]["credentialSubject"]["encodedList"]
    assert bitstring.is_set(bitstring.decode(encoded), index)


def test_the_list_is_signed_again_only_when_its_bits_change(certification):
    services.record_for(certification)
    first = services.status_list(now=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert services.status_list().token == first.token  # the cached one, same validFrom
    Certification.objects.filter(pk=certification.pk).update(status="revoked")
    assert services.status_list().token != first.token
