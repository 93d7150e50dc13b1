"""One identity per e-mail address: the normal form of an address, used at every entry point.

The e-mail address is the login (`lms.User.USERNAME_FIELD`). Every way an address enters the
platform (user manager, model `clean()`/`save()`, Wagtail user forms through the model, the
account page, the CSV import, login, password reset, the login lockout) goes through
`normalise_email`, and the database refuses two addresses equal once lower-cased
(`lms_user_email_ci_unique`, migration `lms.0007`/`lms.0008`).
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from lms.text import without_nul


def normalise_email(value: object) -> str:
    """The normal form of an e-mail address, as stored and looked up.

    Shape: any value → `str` (non-strings and `None` give `""`; never raises).
    Rule (docs/decisions.md, "Hardening — one identity per e-mail"): surrounding whitespace
    trimmed, Unicode NFC (a composed and a decomposed "é" are the same character), lower-cased
    whole (local part included: no mail provider our trainees use distinguishes case there), and
    a non-ASCII domain written in its ASCII (IDNA, "xn--") form, which is what mail servers
    receive, so `jean@café.fr` and `jean@xn--caf-dma.fr` are one identity. A domain that IDNA
    cannot encode is left lower-cased; address validation refuses it later.
    """
    if not isinstance(value, str):
        return ""
    email = unicodedata.normalize("NFC", value.strip()).lower()
    local, at, domain = email.rpartition("@")
    if not at or domain.isascii():
        return email
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return email
    return f"{local}@{domain}"


def email_duplicates(rows: Iterable[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Groups of accounts whose addresses are equal once normalised.

    Shape: `(id, email)` pairs → list of groups (each of ≥ 2 pairs, sorted by id), sorted by
    the normalised address. Pure; used by the migration that adds the case-insensitive unique
    constraint, which refuses to run while any group exists (no silent merge).
    """
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, email in rows:
        groups[normalise_email(email)].append((pk, email))
    return [sorted(group) for _key, group in sorted(groups.items()) if len(group) > 1]


def describe_email_duplicates(groups: list[list[tuple[int, str]]]) -> str:
    """A message listing duplicate accounts, one group per line (ids and addresses as stored)."""
    lines = [
        "Des comptes ont la même adresse e-mail à la casse près ; fusionnez-les ou corrigez "
        "leur adresse avant de migrer (aucune fusion automatique) :"
    ]
    for group in groups:
        lines.append("  - " + ", ".join(f"#{pk} {email}" for pk, email in group))
    return "\n".join(lines)


AXES_USERNAME_LENGTH = 255  # axes.models.AccessBase.username


def axes_username(request, credentials: dict | None = None) -> str:
    """django-axes' username (AXES_USERNAME_CALLABLE): the normalised e-mail, so that case
    variants of one address share one failure counter and one lockout. Bounded to the 255
    characters of axes' column and without NUL, which PostgreSQL refuses (a 500 on login)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username")
    return without_nul(normalise_email(value))[:AXES_USERNAME_LENGTH]
