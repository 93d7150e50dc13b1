"""Issue 17, part 3: the credentials the platform issues are Open Badges 3.0 as the 1EdTech JSON
schema says, and their VC-JWT signature verifies with another implementation (PyJWT) against the
published JWKS; rotation keeps old credentials verifiable."""

import base64
import hashlib
import json
from pathlib import Path

from django.core.management import call_command

import jwt as pyjwt
import pytest
from jsonschema import Draft201909Validator

from assessments.credentials import keys, openbadges, services, verification

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ob3"


def schema(name):
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(data)
    return Draft201909Validator(data)


def errors(validator, document):
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)
    ]


def independent_claims(client, token):
    """Verify `token` with PyJWT and the JWKS served by the site, as an outside verifier would."""
    header = pyjwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": header["kid"], "typ": "JWT"}
    published = client.get("/.well-known/jwks.json").json()["keys"]
    jwk = next(key for key in published if key["kid"] == header["kid"])
    assert "d" not in jwk  # never the private part
    key = pyjwt.PyJWK(jwk, algorithm="EdDSA")
    return pyjwt.decode(token, key=key, algorithms=["EdDSA"], options={"require": ["iss", "nbf"]})


def test_certificate_credential_validates_against_the_ob3_schema(certification):
    credential = services.issue(certification).credential
    assert errors(schema("ob_v3p0_achievementcredential_schema.json"), credential) == []
    assert credential["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert credential["@context"][1] == openbadges.OB_CONTEXT


def test_downloaded_json_validates_too(client, certification):
    client.force_login(certification.trainee)
    document = client.get(f"/badges/{certification.number}.json").json()
    assert errors(schema("ob_v3p0_achievementcredential_schema.json"), document) == []
    assert document["proof"][0]["type"] == "JwtProof2020"


def test_attestation_credential_validates_against_the_ob3_schema(attestation):
    credential = services.issue(attestation).credential
    assert errors(schema("ob_v3p0_achievementcredential_schema.json"), credential) == []
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["name"] == "Repérer la précarité énergétique"
    assert credential["credentialSubject"]["licenseNumber"] == "SEN-2026-00007-K7QF"


def test_issuer_profile_is_served_at_its_id_and_validates(client, certification):
    credential = services.issue(certification).credential
    issuer_id = credential["issuer"]["id"]
    response = client.get(issuer_id.removeprefix("http://testserver"))
    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == issuer_id
    assert "STOP Exclusion Énergétique" in profile["name"]
    assert errors(schema("ob_v3p0_profile_schema.json"), profile) == []


def test_credential_states_the_stored_certificate(certification):
    certification.holder_name = "Nadia Roussel-Ben Saïd"  # as printed, not the live profile
    certification.save(update_fields=["holder_name"])
    credential = services.issue(certification).credential
    subject = credential["credentialSubject"]
    assert subject["licenseNumber"] == certification.number
    email, name = subject["identifier"]
    assert name == {
        "type": "IdentityObject",
        "identityHash": "Nadia Roussel-Ben Saïd",
        "identityType": "name",
        "hashed": False,
    }
    # OB 3.0 IdentityObject: sha256$ + hex of the address (lower case) followed by the salt.
    expected = hashlib.sha256(("nadia.roussel@exemple.fr" + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    achievement = subject["achievement"]
    assert achievement["name"] == "Ensemblier solidaire"
    assert achievement["criteria"]["narrative"]
    assert [item["name"][:2] for item in achievement["resultDescription"]] == [
        "C1", "C2", "C3", "C4", "C5"
    ]  # fmt: skip
    assert [item["status"] for item in subject["result"]] == ["Completed"] * 5
    assert credential["validFrom"] == "2026-03-20T00:00:00+01:00"
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == "http://testserver/badges/statuts/revocation/"
    assert 0 <= int(status["statusListIndex"]) < 131_072


def test_signature_verifies_with_an_independent_library(client, certification):
    issued = services.issue(certification)
    claims = independent_claims(client, issued.token)
    assert claims["vc"] == issued.credential
    assert claims["iss"] == issued.credential["issuer"]["id"]
    assert claims["jti"] == issued.credential["id"]
    assert claims["sub"] == issued.credential["credentialSubject"]["id"]
    assert claims["nbf"] == 1773961200  # 2026-03-20 00:00 in Paris


def test_tampered_payload_fails_the_independent_verifier(client, certification):
    token = services.issue(certification).token
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["credentialSubject"]["identifier"][1]["identityHash"] = "Quelqu'un d'autre"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(pyjwt.InvalidSignatureError):
        independent_claims(client, f"{head}.{forged}.{signature}")


def test_same_certificate_same_credential_bytes(certification):
    """Built from what is stored, signed with deterministic Ed25519: identical downloads."""
    first = services.issue(certification)
    second = services.issue(certification)
    assert first.token == second.token


def test_credential_signed_before_rotation_still_verifies_after(client, certification):
    before = services.issue(certification).token
    old_kid = pyjwt.get_unverified_header(before)["kid"]
    call_command("rotate_credential_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = services.issue(certification).token
    new_kid = pyjwt.get_unverified_header(after)["kid"]
    assert new_kid != old_kid
    published = {key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]}
    assert published == {old_kid, new_kid}
    independent_claims(client, before)
    independent_claims(client, after)
    report = verification.check(verification.read_submission(text=before))
    assert report.valid, report
    assert report.kid == old_kid


def test_keyring_file_is_private_and_holds_every_key(keyring_file, certification):
    services.issue(certification)
    keys.rotate()
    data = json.loads(keyring_file.read_text())
    assert len(data["keys"]) == 2
    assert all(key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["d"] for key in data["keys"])
    assert keyring_file.stat().st_mode & 0o077 == 0


def test_missing_keyring_is_refused_when_not_created_on_the_fly(settings, certification):
    from django.core.exceptions import ImproperlyConfigured

    settings.CREDENTIAL_KEYS_AUTOCREATE = False
    with pytest.raises(ImproperlyConfigured, match="rotate_credential_key"):
        services.issue(certification)


def test_status_list_credential_verifies_with_an_independent_library(client, certification):
    services.record_for(certification)
    token = client.get("/badges/statuts/revocation/").content.decode()
    claims = independent_claims(client, token)
    vc = claims["vc"]
    assert vc["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert vc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert vc["id"] == claims["jti"] == "http://testserver/badges/statuts/revocation/"
    assert vc["credentialSubject"]["type"] == "BitstringStatusList"
    assert vc["credentialSubject"]["encodedList"].startswith("u")
    assert claims["iss"] == vc["issuer"] == "http://testserver/badges/emetteur/"
