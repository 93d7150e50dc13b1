"""URL converters shared by every app.

`<id:name>` replaces Django's `<int:name>` for database ids: at most 18 digits, so that a
25-digit id in a URL is a plain 404 instead of an OverflowError (SQLite refuses integers over
2^63 - 1) or a query PostgreSQL cannot run (issue 11, kind 2). Registered when `lms.urls` is
imported, before the apps' URL modules are included.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:  # pragma: no cover - 18 digits always fit; kept as the contract
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


def parse_id(value) -> int | None:
    """A database id read from a query parameter (`?session=12`), or None for anything else
    ("abc", "", 25 digits, a NUL byte): a bad parameter is ignored, never a 500."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)
