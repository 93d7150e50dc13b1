"""Sorting people's names the French way: case- and accent-insensitive first.

The key is the Unicode Collation Algorithm with the default table (DUCET, through `pyuca`),
which is what CLDR, and so ICU, use for French as written in France ("fr" has no tailoring of
its own; only fr-CA orders accents backwards). Letters compare first without accents or case
("Émile" sits between "Eric" and "Ezra", "de la Tour" with "Delatour"), then accents, then case
break ties, so the order is total and stable. Databases differ here (SQLite compares bytes,
PostgreSQL follows its locale), which is why lists of people are sorted in Python after the
query, with this key.
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

from pyuca import Collator

T = TypeVar("T")


@lru_cache(maxsize=1)
def _collator() -> Collator:
    return Collator()  # reads the DUCET table once (about 0.1 s)


@lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple[int, ...]:
    """The French sort key of `text` (compare keys, never show them). Remembered per process
    (the same names are sorted on every counter-signing screen and sheet; pyuca takes tens of
    microseconds a name): an immutable tuple, never shown nor shared beyond the process."""
    return _collator().sort_key(text or "")


def person_key(last_name: str, first_name: str = "") -> tuple:
    """Sort key for a person: last name, then first name, each French-collated."""
    return (collation_key(last_name), collation_key(first_name))


def sorted_people(items: Iterable[T], names: Callable[[T], tuple[str, str]]) -> list[T]:
    """`items` sorted by `names(item) -> (last_name, first_name)`, the French way; items with the
    same names keep their order (Python's sort is stable)."""
    return sorted(items, key=lambda item: person_key(*names(item)))


def trainee_names(enrolment) -> tuple[str, str]:
    """(last name, first name) of an enrolment's trainee, for `sorted_people`."""
    return enrolment.trainee.last_name, enrolment.trainee.first_name
