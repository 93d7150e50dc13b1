"""French wording rules for generated text: elision of "de" before a name, plurals after a count.

- `de(name)`: "d'Inès", "d'Élodie", "d'Hugo", "d'Yves", but "de Camille", "de Yasmine". Before a
  vowel (accented or not) "de" elides; before "h" too (first names take the mute h in current
  usage); "y" elides only when a consonant follows (it is then a vowel sound, "Yves"), not
  before a vowel ("Yasmine", "Yann": a consonant sound).
- `plural(count)`: French puts 0 and 1 (and everything below 2, such as 1,5) in the singular.
"""

import unicodedata
from decimal import Decimal, InvalidOperation

_VOWELS = set("aeiouæœ")


def _base_letter(character: str) -> str:
    """The letter without its accent, lower case ("É" → "e")."""
    return unicodedata.normalize("NFD", character)[0].lower()


def elides(word: str) -> bool:
    """Whether "de", "le", "que" elide before `word`."""
    word = (word or "").strip()
    if not word:
        return False
    first = _base_letter(word[0])
    if first in _VOWELS or first == "h":
        return True
    if first == "y":
        following = _base_letter(word[1]) if len(word) > 1 else ""
        return following not in _VOWELS and following != "y"
    return False


def de(name: str) -> str:
    """ "de Camille Martin" or "d'Inès Abadie" (with a typographic apostrophe-free ASCII "'",
    as elsewhere on the site)."""
    name = (name or "").strip()
    return f"d'{name}" if elides(name) else f"de {name}"


def is_plural(count) -> bool:
    """French rule: plural from 2 on; 0, 1 and 1,5 are singular. A list counts its items."""
    if hasattr(count, "__len__") and not isinstance(count, str):
        count = len(count)
    try:
        return abs(Decimal(str(count))) >= 2
    except (InvalidOperation, ValueError, TypeError):
        return False


def plural(count, suffixes: str = "s") -> str:
    """The suffix for `count`: `plural(n)` gives "" or "s"; `plural(n, "al,aux")` gives "al" or
    "aux" (like Django's `pluralize`, but with the French rule)."""
    singular, _, many = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    return many if is_plural(count) else singular
