"""Certificate numbers: a human-readable yearly series plus a random check part (pure, no ORM).

Shape: ``ENS-2026-00042-K7QF``: prefix, year of issue, the year's sequence number (five digits
or more), and four characters drawn at random from Crockford's base-32 alphabet (no I, L, O,
U), so that knowing one number says nothing about the others: each sequence number has
32⁴ = 1,048,576 possible numbers, of which one exists. With the verification page throttled
per client (100 requests a minute), walking the register is out of reach.

Reading a typed number forgives case, surrounding and inner spaces, and the confusions the
alphabet was chosen for (O read as 0, I and L as 1) in the check part.
"""

import re
import secrets

PREFIX = "ENS"
# The attestations of the open awareness course (assessments.awareness) use the same scheme.
ATTESTATION_PREFIX = "SEN"
CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_LENGTH = 4
NUMBER_RE = re.compile(r"^(?:ENS|SEN)-(\d{4})-(\d{5,})-([0-9A-HJKMNP-TV-Z]{4})$")
LEGACY_RE = re.compile(r"^ES-(\d{4})-(\d{6})$")
CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def random_check() -> str:
    """Four characters of Crockford's base-32 alphabet from the system's secure generator."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def format_number(year: int, sequence: int, check: str, *, prefix: str = PREFIX) -> str:
    """``format_number(2026, 42, "K7QF") == "ENS-2026-00042-K7QF"``."""
    return f"{prefix}-{year:04d}-{sequence:05d}-{check}"


def is_attestation(number: str) -> bool:
    """An awareness attestation's number (``SEN-…``), not a certificate's."""
    return (number or "").startswith(f"{ATTESTATION_PREFIX}-")


def normalise(text: str | None) -> str:
    """The canonical form of a typed number (upper case, no spaces, check part de-confused);
    the input, cleaned, when it does not have the shape of a number. At most 40 characters."""
    cleaned = re.sub(r"\s+", "", text or "").upper()[:40]
    head, _, check = cleaned.rpartition("-")
    if head and len(check) == CHECK_LENGTH:
        candidate = f"{head}-{check.translate(CONFUSIONS)}"
        if NUMBER_RE.match(candidate):
            return candidate
    return cleaned


def is_well_formed(number: str) -> bool:
    return bool(NUMBER_RE.match(number or ""))
