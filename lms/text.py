"""Text as people send it, made storable: PostgreSQL refuses NUL characters in text and JSON
(a NUL in any posted value was a 500). No person types one; a NUL is removed before storing and
the form says so in French (`NUL_MESSAGE`), the rest of the value is kept as typed."""

NUL = "\x00"
NUL_MESSAGE = "Caractère invisible non autorisé (octet nul) : il a été retiré du texte."


def without_nul(value):
    """`value` with NUL characters removed, through lists and dicts (JSON drafts)."""
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list | tuple):
        return type(value)(without_nul(item) for item in value)
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def has_nul(value) -> bool:
    return without_nul(value) != value
