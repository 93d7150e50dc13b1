"""Services take choice values as plain strings (a status, a role, a decision): this checks one
against its `TextChoices` before anything is written, with a French message naming the
expected values. Forms validate their own choices; services are also called from imports,
admin hooks, seeds and tasks, where nothing else would stop a typo from being stored."""

from django.core.exceptions import ValidationError
from django.db.models import TextChoices


def require_choice(value, choices: type[TextChoices], *, field: str, what: str) -> str:
    """`value` when it is one of `choices`; else a ValidationError on `field`:
    "« brouillon » n'est pas un statut connu. Valeurs possibles : « Pré-inscrit·e », …" (`what`
    agrees in French: "un statut connu", "une décision connue")."""
    if isinstance(value, str) and value in choices.values:
        return value
    expected = ", ".join(f"« {label} »" for label in choices.labels)
    shown = value if isinstance(value, str) else repr(value)
    raise ValidationError(
        {field: f"« {shown[:60]} » n'est pas {what}. Valeurs possibles : {expected}."}
    )
