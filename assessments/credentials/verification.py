"""Checking an uploaded credential: its signature, its status in our list, its dates.

What is accepted is what the platform hands out: the VC-JWT itself (pasted text or a text file),
the downloaded JSON (the credential with its VC-JWT as `proof.jwt`) and the PNG badge (the VC-JWT
in its `openbadgecredential` chunk). Anything else gets a French explanation, never an error.

Signature: the JOSE header must name `EdDSA` and a `kid` of our keyring (retired keys included);
joserfc verifies it. The claims shown come from the verified JWT only; a JSON file whose readable
part differs from its signed JWT is reported as modified. Status: read from our own status list
(the bit at the credential's `statusListIndex`), then the record says revoked or superseded (and
by which certificate). Dates: `nbf` and `validFrom` reached, `exp`/`validUntil` not passed.
"""

import base64
import binascii
import datetime
import json
import re
from dataclasses import dataclass, field

from django.utils import timezone

from joserfc import jwt
from joserfc.errors import JoseError

from ..certification.models import Certification
from . import badge, keys, services
from .models import CredentialRecord

MAX_TOKEN_CHARS = 200_000
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
LEEWAY = datetime.timedelta(minutes=5)


class Unreadable(ValueError):
    """Nothing that looks like one of our credentials (French message)."""


@dataclass(frozen=True)
class Check:
    ok: bool
    message: str


@dataclass(frozen=True)
class Claims:
    """What the credential states, for display."""

    kind: str
    number: str
    holder_name: str
    achievement: str
    issuer_name: str
    valid_from: datetime.datetime | None
    awarded_on: datetime.datetime | None
    competencies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    signature: Check
    status: Check
    dates: Check
    state: str  # valide, révoqué, remplacé, inconnu, non vérifié
    claims: Claims | None
    replaced_by: str = ""
    kid: str = ""

    @property
    def valid(self) -> bool:
        return self.signature.ok and self.status.ok and self.dates.ok


# --- Reading the input --------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    token: str
    readable_part: dict | None = None  # the JSON file's credential, beside its proof


def _from_json(text: str) -> Submitted:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise Unreadable("Ce texte n'est ni un badge (JWT) ni un fichier JSON lisible.") from error
    if isinstance(data, str):
        return Submitted(data.strip())
    if isinstance(data, dict):
        proof = data.get("proof")
        proofs = proof if isinstance(proof, list) else [proof]
        for item in proofs:
            if isinstance(item, dict) and isinstance(item.get("jwt"), str):
                readable = {key: value for key, value in data.items() if key != "proof"}
                return Submitted(item["jwt"].strip(), readable)
    raise Unreadable(
        "Ce fichier JSON ne contient pas de badge signé : il faut le fichier téléchargé depuis "
        "« Mon parcours » (avec sa preuve « jwt »)."
    )


def read_submission(*, text: str = "", data: bytes | None = None) -> Submitted:
    """The VC-JWT (and the readable JSON beside it) from pasted text or an uploaded file."""
    if data is not None:
        if data.startswith(badge.PNG_SIGNATURE):
            try:
                return Submitted(badge.read_baked(data).strip())
            except badge.BadgeError as error:
                raise Unreadable(str(error)) from error
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:  # binary: another image format, an archive…
            raise Unreadable("Ce fichier n'est ni une image PNG ni un fichier texte (JSON ou JWT).")
    text = (text or "").strip()
    if not text:
        raise Unreadable("Collez le badge (texte) ou choisissez son fichier (JSON ou PNG).")
    if len(text) > MAX_TOKEN_CHARS:
        raise Unreadable("Ce texte est bien trop long pour être un badge.")
    submitted = _from_json(text) if text[0] in '{["' else Submitted("".join(text.split()))
    if not COMPACT_JWS.match(submitted.token) or len(submitted.token) > MAX_TOKEN_CHARS:
        raise Unreadable(
            "Ce texte n'a pas la forme d'un badge signé (JWT : trois parties séparées par des "
            "points)."
        )
    return submitted


# --- Checking -----------------------------------------------------------------------------------


def _b64json(part: str):
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        return None


def _moment(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    try:
        utc = moment.astimezone(datetime.UTC)
    except OverflowError:
        return None
    # Shown in local time: a year at the edge of the calendar would overflow there.
    return utc if 1 < utc.year < 9999 else None


def _text(value, limit: int = 300) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _claims(vc) -> Claims | None:
    if not isinstance(vc, dict):
        return None
    subject = vc.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    identifiers = subject.get("identifier")
    names = [
        item.get("identityHash")
        for item in (identifiers if isinstance(identifiers, list) else [])
        if isinstance(item, dict) and item.get("identityType") == "name"
    ]
    issuer = vc.get("issuer")
    descriptions = achievement.get("resultDescription")
    number = _text(subject.get("licenseNumber"), 40)
    return Claims(
        kind="attestation" if number.startswith("SEN-") else "certificat",
        number=number,
        holder_name=_text(names[0]) if names else "",
        achievement=_text(achievement.get("name")),
        issuer_name=_text(issuer.get("name")) if isinstance(issuer, dict) else _text(issuer),
        valid_from=_moment(vc.get("validFrom")),
        awarded_on=_moment(vc.get("awardedDate")),
        competencies=[
            _text(item.get("name"))
            for item in (descriptions if isinstance(descriptions, list) else [])[:20]
            if isinstance(item, dict)
        ],
    )


NOT_CHECKED = Check(False, "Non vérifié : la signature ne tient pas.")


def _signature(token: str, submitted: Submitted) -> tuple[Check, dict | None, str]:
    """(check, verified claims or None, kid)."""
    head, payload, _signature_part = token.split(".")
    header = _b64json(head)
    if not isinstance(header, dict):
        return Check(False, "En-tête du badge illisible."), None, ""
    alg, kid = header.get("alg"), header.get("kid")
    kid = kid if isinstance(kid, str) else ""
    if alg != keys.ALG:
        if isinstance(alg, str) and alg.lower() == "none":
            message = "Badge non signé (algorithme « none ») : il ne prouve rien."
        else:
            message = (
                f"Algorithme de signature non accepté ({_text(str(alg), 20)}) : EdDSA attendu."
            )
        return Check(False, message), None, kid
    key = keys.keyring().find(kid) if kid else None
    if key is None:
        return (
            Check(False, "Signature par une clé inconnue : ce badge n'a pas été émis par nous."),
            None,
            kid,
        )
    try:
        decoded = jwt.decode(token, key, algorithms=[keys.ALG])
    except (JoseError, ValueError, TypeError):
        return (
            Check(False, "Signature invalide : le badge a été modifié après sa signature."),
            None,
            kid,
        )
    claims = decoded.claims
    vc = claims.get("vc")
    if not isinstance(vc, dict) or claims.get("iss") != services.issuer_id():
        return Check(False, "Ce jeton signé n'est pas un de nos badges."), None, kid
    if submitted.readable_part is not None and submitted.readable_part != vc:
        return (
            Check(
                False,
                "Le fichier a été modifié : sa partie lisible ne correspond plus au badge signé.",
            ),
            None,
            kid,
        )
    return Check(True, "Signature valide : badge émis par le collectif, non modifié."), claims, kid


def _status(vc: dict) -> tuple[Check, str, str]:
    """(check, state, replacement number): the credential's entry in our status list, and the
    state of its document now."""
    entry = vc.get("credentialStatus")
    entry = entry[0] if isinstance(entry, list) and entry else entry
    if (
        not isinstance(entry, dict)
        or entry.get("statusListCredential") != services.status_list_url()
    ):
        return (
            Check(False, "Statut inconnu : le badge ne renvoie pas à notre liste."),
            "inconnu",
            "",
        )
    try:
        index = int(entry.get("statusListIndex"))
    except (TypeError, ValueError):
        return Check(False, "Statut inconnu : position dans la liste invalide."), "inconnu", ""
    record = (
        CredentialRecord.objects.filter(status_index=index)
        .values(
            "certification__number",
            "certification__status",
            "certification__superseded_by__number",
            "attestation__number",
        )
        .first()
    )
    subject = vc.get("credentialSubject")
    number = subject.get("licenseNumber") if isinstance(subject, dict) else None
    if record is None or number not in (
        record["certification__number"],
        record["attestation__number"],
    ):
        return (
            Check(False, "Statut inconnu : ce badge n'est pas dans notre registre."),
            "inconnu",
            "",
        )
    # The bit the published list sets, read from the database itself: a cached list (one per
    # process without Redis) may lag behind a revocation made on another worker.
    if record["certification__status"] not in services.WITHDRAWN_STATUSES:
        return Check(True, "Statut : valide (ni révoqué ni remplacé)."), "valide", ""
    if record["certification__status"] == Certification.Status.SUPERSEDED:
        replacement = record["certification__superseded_by__number"] or ""
        return (
            Check(False, f"Statut : remplacé par le certificat n° {replacement}."),
            "remplacé",
            replacement,
        )
    return Check(False, "Statut : révoqué. Ce certificat n'est plus valide."), "révoqué", ""


def _dates(claims: dict, now: datetime.datetime) -> Check:
    try:
        return _dates_of(claims, now)
    except (OverflowError, OSError, ValueError):  # a timestamp outside the calendar
        return Check(False, "Dates illisibles.")


def _dates_of(claims: dict, now: datetime.datetime) -> Check:
    vc = claims["vc"]
    valid_from = _moment(vc.get("validFrom"))
    nbf = claims.get("nbf")
    if valid_from is None or not isinstance(nbf, int) or int(valid_from.timestamp()) != nbf:
        return Check(False, "Dates incohérentes (validFrom et nbf diffèrent).")
    start = datetime.datetime.fromtimestamp(nbf, tz=datetime.UTC)
    if now + LEEWAY < start:
        return Check(False, f"Pas encore valide : valable à partir du {_day(start)}.")
    end = _moment(vc.get("validUntil"))
    exp = claims.get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        end = datetime.datetime.fromtimestamp(exp, tz=datetime.UTC)
    if end is not None and now - LEEWAY > end:
        return Check(False, f"Expiré depuis le {_day(end)}.")
    until = f", jusqu'au {_day(end)}" if end else ", sans date d'expiration"
    return Check(True, f"Dates : valable depuis le {_day(start)}{until}.")


def _day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def check(submitted: Submitted, *, now: datetime.datetime | None = None) -> Report:
    """The report on a submitted credential (one query, the record; one more when the status
    list must be rebuilt)."""
    now = now or timezone.now()
    signature, claims, kid = _signature(submitted.token, submitted)
    if claims is None:
        unverified = _b64json(submitted.token.split(".")[1])
        shown = _claims(unverified.get("vc")) if isinstance(unverified, dict) else None
        return Report(signature, NOT_CHECKED, NOT_CHECKED, "non vérifié", shown, kid=kid)
    status, state, replaced_by = _status(claims["vc"])
    return Report(
        signature,
        status,
        _dates(claims, now),
        state,
        _claims(claims["vc"]),
        replaced_by=replaced_by,
        kid=kid,
    )
