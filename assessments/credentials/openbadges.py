"""The Open Badges 3.0 documents (pure: plain values in, JSON-ready dicts out; no ORM).

- `issuer_profile`: the collective's `Profile`, served at its own stable URL (the issuer's id);
- `achievement_credential`: an `AchievementCredential` (W3C VC data model 2.0 + OB 3.0 context)
  of a certificate or of an awareness attestation, built only from what the document stores
  (name as printed, dates, competencies as certified, number) and its `CredentialRecord`
  (status list index, salt): the same inputs always give the same credential;
- `status_list_credential`: the `BitstringStatusListCredential` (statusPurpose revocation);
- `jwt_claims`: the VC-JWT claims of a credential (OB 3.0 §8.2: iss, jti, nbf, sub, vc; exp
  when the credential expires; none of ours does).
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
PARIS = ZoneInfo("Europe/Paris")
# Subject ids are name-based UUIDs (RFC 9562 v5) in this namespace: stable, and opaque.
HOLDER_NAMESPACE = uuid.UUID("6f1c2c4e-3b1a-5f0e-9a57-0e2f8d7a4c11")

CERTIFICATE = "certificate"
ATTESTATION = "attestation"

CERTIFICATION_NAME = "Ensemblier solidaire"
CERTIFICATION_DESCRIPTION = (
    "Certification des ensembliers solidaires : accompagner un ménage en précarité énergétique "
    "de l'identification de sa situation au suivi de ses travaux de rénovation, en réunissant "
    "les aides, les financements et les professionnels."
)
CERTIFICATION_CRITERIA = (
    "Avoir suivi la formation Ensemblier solidaire (15 jours) avec l'assiduité requise par le "
    "programme, réussi l'évaluation finale et obtenu la validation, par les formateurs, des cinq "
    "compétences du référentiel (C1 à C5), sans évaluation en attente de correction."
)
AWARENESS_DESCRIPTION = (
    "Attestation du parcours ouvert de sensibilisation au repérage de la précarité énergétique."
)
AWARENESS_CRITERIA = (
    "Avoir lu toutes les leçons du parcours de sensibilisation et répondu juste à leurs "
    "questions d'auto-évaluation."
)


@dataclass(frozen=True)
class Issuer:
    id: str  # the URL that serves `issuer_profile`
    name: str
    url: str  # the site
    email: str


@dataclass(frozen=True)
class CredentialFacts:
    """What a credential states; every value as stored with the certificate or attestation."""

    kind: str  # CERTIFICATE or ATTESTATION
    number: str
    holder_id: int
    holder_name: str
    holder_email: str
    salt: str
    awarded_on: datetime.date  # certification (or attestation) date
    issued_on: datetime.date  # date of this certificate (a reissue keeps the award date)
    title: str  # the programme's or the course's title, as issued
    competencies: tuple[tuple[str, str], ...]  # ((code, title), …) as certified
    status_index: int


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in Paris of `day`: the instant a credential issued that day is valid from."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=PARIS)


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 `IdentityObject.identityHash` of an e-mail address: "sha256$" + the hex SHA-256 of
    the address (trimmed, lower case) followed by the salt."""
    normalised = email.strip().lower()
    return "sha256$" + hashlib.sha256((normalised + salt).encode("utf-8")).hexdigest()


def holder_uri(base_url: str, holder_id: int) -> str:
    return f"urn:uuid:{uuid.uuid5(HOLDER_NAMESPACE, f'{base_url}/titulaires/{holder_id}')}"


def issuer_profile(issuer: Issuer) -> dict:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer.id,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": (
            "Collectif national de lutte contre la précarité énergétique ; organisme de la "
            "formation et de la certification Ensemblier solidaire."
        ),
    }


def status_entry(list_url: str, index: int) -> dict:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def achievement(facts: CredentialFacts, issuer: Issuer) -> dict:
    if facts.kind == CERTIFICATE:
        slug = "ensemblier-solidaire"
        achievement_id = f"{issuer.id}#{slug}"
        return {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": CERTIFICATION_NAME,
            "description": CERTIFICATION_DESCRIPTION,
            "criteria": {"narrative": CERTIFICATION_CRITERIA},
            "creator": {"id": issuer.id, "type": ["Profile"], "name": issuer.name},
            "humanCode": "ENS",
            "inLanguage": "fr",
            "resultDescription": [
                {
                    "id": f"{achievement_id}-{code}",
                    "type": ["ResultDescription"],
                    "name": f"{code} · {title}",
                    "resultType": "Status",
                    "requiredValue": "Completed",
                }
                for code, title in facts.competencies
            ],
        }
    return {
        "id": f"{issuer.id}#sensibilisation",
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": facts.title,
        "description": AWARENESS_DESCRIPTION,
        "criteria": {"narrative": AWARENESS_CRITERIA},
        "creator": {"id": issuer.id, "type": ["Profile"], "name": issuer.name},
        "humanCode": "SEN",
        "inLanguage": "fr",
    }


def achievement_credential(
    facts: CredentialFacts, *, issuer: Issuer, credential_id: str, status_list_url: str
) -> dict:
    """The AchievementCredential of a certificate or attestation (no proof: it is signed as a
    VC-JWT, whose claims embed it)."""
    achieved = achievement(facts, issuer)
    subject = {
        "id": holder_uri(issuer.url, facts.holder_id),
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(facts.holder_email, facts.salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": facts.salt,
            },
            {
                "type": "IdentityObject",
                "identityHash": facts.holder_name,
                "identityType": "name",
                "hashed": False,
            },
        ],
        "achievement": achieved,
        "licenseNumber": facts.number,
    }
    if facts.kind == CERTIFICATE:
        subject["result"] = [
            {"type": ["Result"], "resultDescription": description["id"], "status": "Completed"}
            for description in achieved["resultDescription"]
        ]
    label = (
        f"Certificat {CERTIFICATION_NAME}"
        if facts.kind == CERTIFICATE
        else "Attestation de sensibilisation"
    )
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": f"{label} n° {facts.number} · {facts.holder_name}",
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": iso(start_of_day(facts.issued_on)),
        "awardedDate": iso(start_of_day(facts.awarded_on)),
        "credentialSubject": subject,
        "credentialStatus": status_entry(status_list_url, facts.status_index),
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def status_list_credential(
    *, list_url: str, issuer: Issuer, encoded_list: str, valid_from: datetime.datetime
) -> dict:
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def jwt_claims(credential: dict) -> dict:
    """VC-JWT claims (OB 3.0 §8.2.4): the credential under `vc`, its identifiers and dates
    copied to the registered claims."""
    issuer = credential["issuer"]
    subject = credential["credentialSubject"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": int(datetime.datetime.fromisoformat(credential["validFrom"]).timestamp()),
        "sub": subject["id"],
        "vc": credential,
    }
    if credential.get("validUntil"):
        claims["exp"] = int(datetime.datetime.fromisoformat(credential["validUntil"]).timestamp())
    return claims
