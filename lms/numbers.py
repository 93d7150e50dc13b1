"""One parser for the numbers people type: French amounts, percentages and quantities.

Pure Python (no Django, no ORM). Every number typed in the platform — quiz answers, dossier fields,
forms, CSV files — is read by `parse_number`, so the quiz and the dossier can never disagree again
(issue 11, kind 1). Formatting lives in `lms.formats`; `parse_number(format_*(x))` gives `x` back.

What is accepted (a French reader's and an English reader's habits):
- spaces as thousands separators: ordinary, no-break (U+00A0), narrow no-break (U+202F), thin
  (U+2009), or an apostrophe, between groups of three digits: "15 475", "1 000 000";
- a comma or a dot as the decimal mark: "15 475,50", "15475.5", "0,5", ",5";
- both marks, the last one being the decimal mark: "15.475,50", "15,475.50";
- a sign ("-", "+", or the typographic minus U+2212), a unit before or after: "€", "EUR",
  "euro(s)", "%".

What is refused, with a French message (`ParsedNumber.error`):
- "15.475": a dot followed by exactly three digits may be a thousands separator (15 475, what a
  French reader usually means) or a decimal mark (15,475): it is *ambiguous* and never guessed;
- exponents ("1e5"), digits of other scripts ("١٢٣", fullwidth "１２"), "NaN", "Infinity";
- anything longer than `MAX_LENGTH` characters, more than `MAX_INTEGER_DIGITS` digits before the
  mark or `MAX_DECIMAL_PLACES` after it (bounded work and no `decimal` overflow downstream);
- any other text.

A caller narrows the range with `minimum` / `maximum` (French message naming the bound).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

MAX_LENGTH = 60
MAX_INTEGER_DIGITS = 15  # up to 999 999 999 999 999
MAX_DECIMAL_PLACES = 6

GROUP_SPACES = " \u00a0\u202f\u2009'’"
MINUS_SIGNS = "-\u2212"
_UNIT = re.compile(r"^(?P<before>€|eur\b)?\s*(?P<body>.*?)\s*(?P<after>€|eur|euros?|%)?$", re.I)
_SHAPE = re.compile(r"^[0-9.,]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:\s[0-9]{3})+$")
_NOT_FINITE = re.compile(r"^(nan|s?nan|inf|infinity|infini)$", re.I)


class Unit(StrEnum):
    NONE = ""
    EUROS = "€"
    PERCENT = "%"


class Problem(StrEnum):
    """Why a text is not read as a number (stable codes for callers and tests)."""

    AMBIGUOUS = "ambiguous"
    EXPONENT = "exponent"
    DIGITS = "digits"
    NOT_FINITE = "not_finite"
    TOO_LONG = "too_long"
    TOO_PRECISE = "too_precise"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    INVALID = "invalid"


EXAMPLE = "12 475,50"
TOO_LARGE_MESSAGE = (
    f"Ce nombre est trop grand (plus de {MAX_INTEGER_DIGITS} chiffres avant la virgule)."
)


@dataclass(frozen=True)
class ParsedNumber:
    """The result of reading a text as a number.

    - `text`: what was typed, unchanged (it is kept, stored and shown back, never rewritten);
    - `value`: the number (`Decimal`), or None when blank or not readable;
    - `unit`: the unit typed with it, if any ("€", "%");
    - `problem` / `error`: why it is not read (a `Problem` code and a French sentence), or None.
    """

    text: str
    value: Decimal | None = None
    unit: Unit = Unit.NONE
    problem: Problem | None = None
    error: str | None = None

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.problem is None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def is_ambiguous(self) -> bool:
        return self.problem == Problem.AMBIGUOUS


def _refuse(text: str, problem: Problem, message: str) -> ParsedNumber:
    return ParsedNumber(text=text, problem=problem, error=message)


def _quoted(text: str, limit: int = 20) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"« {shown} »"


def _bound_label(value: Decimal) -> str:
    from lms.formats import format_number  # formats is pure too; late import avoids a cycle

    return format_number(value)


def parse_number(
    text: object,
    *,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    places: int = MAX_DECIMAL_PLACES,
) -> ParsedNumber:
    """Read `text` as a French (or English) number; never raises.

    `text` is usually a str; None and "" (or only spaces) are blank. An int or a Decimal is
    taken as is (after the same bounds). `minimum` / `maximum` are inclusive bounds; `places`
    caps the decimal places accepted. Returns a `ParsedNumber`.
    """
    if text is None or isinstance(text, bool):
        return ParsedNumber(text="")
    if isinstance(text, int | Decimal):
        value = Decimal(text)
        if not value.is_finite():
            return _refuse(str(text), Problem.NOT_FINITE, "Ce n'est pas un nombre.")
        if value.adjusted() >= MAX_INTEGER_DIGITS:
            return _refuse(
                f"{value:.6E}",
                Problem.TOO_LARGE,
                TOO_LARGE_MESSAGE,
            )
        return _bounded(ParsedNumber(text=str(text), value=value), minimum, maximum)
    raw = str(text)
    if len(raw) > MAX_LENGTH:
        return _refuse(
            raw, Problem.TOO_LONG, f"Ce nombre est trop long (plus de {MAX_LENGTH} caractères)."
        )
    stripped = raw.strip()
    if not stripped:
        return ParsedNumber(text=raw)

    unit_match = _UNIT.match(stripped)
    body = unit_match["body"] if unit_match else stripped
    unit_text = (unit_match["before"] or unit_match["after"] or "") if unit_match else ""
    unit = Unit.PERCENT if unit_text == "%" else Unit.EUROS if unit_text else Unit.NONE

    negative = False
    if body and (body[0] in MINUS_SIGNS or body[0] == "+"):
        negative = body[0] != "+"
        body = body[1:].lstrip()
    if not body:
        return _refuse(raw, Problem.INVALID, f"Saisissez un nombre, par exemple {EXAMPLE}.")

    if _NOT_FINITE.match(body):
        return _refuse(
            raw,
            Problem.NOT_FINITE,
            f"{_quoted(stripped)} n'est pas un nombre : saisissez des chiffres.",
        )
    for char in body:
        if char not in "0123456789" and (char.isdigit() or unicodedata.category(char) == "Nd"):
            return _refuse(
                raw,
                Problem.DIGITS,
                "Écrivez le nombre avec les chiffres 0 à 9 "
                f"({_quoted(char)} n'en fait pas partie).",
            )
    if re.search(r"[0-9.,]\s*[eE]\s*[+-]?\s*[0-9]", body):
        return _refuse(
            raw,
            Problem.EXPONENT,
            "Écrivez le nombre en entier, sans exposant (par exemple 100 000 plutôt que 1e5).",
        )

    spaced = re.sub(f"[{GROUP_SPACES}]+", " ", body)
    return _bounded(_read_digits(raw, spaced, negative, unit, places), minimum, maximum)


def _read_digits(raw: str, body: str, negative: bool, unit: Unit, places: int) -> ParsedNumber:
    invalid = _refuse(raw, Problem.INVALID, f"Saisissez un nombre, par exemple {EXAMPLE}.")
    # Split off the decimal part first: spaces are only allowed in the integer part.
    last_comma, last_dot = body.rfind(","), body.rfind(".")
    grouped_with_spaces = " " in body
    compact = body.replace(" ", "")
    if not compact or not _SHAPE.match(compact):
        return invalid

    commas, dots = compact.count(","), compact.count(".")
    if commas and dots:
        decimal_mark = "," if last_comma > last_dot else "."
        group_mark = "." if decimal_mark == "," else ","
        if body.count(decimal_mark) > 1:
            return invalid
        integer, fraction = body.rsplit(decimal_mark, 1)
        groups = integer.replace(" ", group_mark).split(group_mark)
        if not _groups_of_three(groups):
            return _refuse(
                raw,
                Problem.INVALID,
                f"Séparateurs de milliers mal placés dans {_quoted(body)} : "
                f"écrivez par exemple {EXAMPLE}.",
            )
        integer = "".join(groups)
    elif commas > 1 or dots > 1:
        # "1.234.567" or "1,234,567": several marks can only separate thousands.
        mark = "," if commas else "."
        groups = body.replace(" ", mark).split(mark)
        if not _groups_of_three(groups):
            return invalid
        integer, fraction = "".join(groups), ""
    elif commas or dots:
        mark = "," if commas else "."
        integer, fraction = body.split(mark)
        if (
            mark == "."
            and not grouped_with_spaces
            and len(fraction) == 3
            and 1 <= len(integer) <= 3
            and integer.strip("0")
        ):
            return _refuse(
                raw,
                Problem.AMBIGUOUS,
                f"{_quoted(body)} est ambigu : le point sépare-t-il les milliers ou les "
                f"décimales ? Écrivez {integer} {fraction} ou {integer},{fraction}.",
            )
    else:
        integer, fraction = body, ""

    integer = integer.strip()
    if " " in integer:
        if not _GROUPED.match(integer):
            return _refuse(
                raw,
                Problem.INVALID,
                f"Les espaces séparent les milliers par groupes de trois chiffres : "
                f"écrivez par exemple {EXAMPLE}.",
            )
        integer = integer.replace(" ", "")
    if " " in fraction.strip() or not (integer or fraction):
        return invalid
    fraction = fraction.strip()
    if not (integer.isdigit() or integer == "") or not (fraction.isdigit() or fraction == ""):
        return invalid
    significant = integer.lstrip("0")
    if len(significant) > MAX_INTEGER_DIGITS:
        return _refuse(
            raw,
            Problem.TOO_LARGE,
            TOO_LARGE_MESSAGE,
        )
    if len(fraction.rstrip("0")) > places:
        message = (
            "Saisissez un nombre entier."
            if places == 0
            else f"Au plus {places} chiffre{'s' if places > 1 else ''} après la virgule."
        )
        return _refuse(raw, Problem.TOO_PRECISE, message)
    digits = f"{'-' if negative else ''}{integer or '0'}" + (f".{fraction}" if fraction else "")
    return ParsedNumber(text=raw, value=Decimal(digits), unit=unit)


def _groups_of_three(groups: list[str]) -> bool:
    first, rest = groups[0], groups[1:]
    return (
        1 <= len(first) <= 3
        and first.isdigit()
        and all(len(group) == 3 and group.isdigit() for group in rest)
    )


def _bounded(parsed: ParsedNumber, minimum, maximum) -> ParsedNumber:
    if parsed.value is None:
        return parsed
    if minimum is not None and parsed.value < Decimal(minimum):
        if Decimal(minimum) == 0:
            message = "Saisissez un nombre positif ou nul."
        else:
            message = f"Saisissez un nombre d'au moins {_bound_label(Decimal(minimum))}."
        return _refuse(parsed.text, Problem.TOO_SMALL, message)
    if maximum is not None and parsed.value > Decimal(maximum):
        return _refuse(
            parsed.text,
            Problem.TOO_LARGE,
            f"Saisissez un nombre d'au plus {_bound_label(Decimal(maximum))}.",
        )
    return parsed
