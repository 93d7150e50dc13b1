"""Form fields that read numbers with the platform's one parser (`lms.numbers.parse_number`).

Django's own `IntegerField` / `DecimalField` call `int()` / `Decimal()`, which take other
scripts' digits ("３" is 3) and exponents ("1e2"); these fields keep Django's widgets, bounds and
messages but refuse what the parser refuses. They are also what every Wagtail admin form uses
for integer and decimal model fields (`register_admin_overrides`, called from `LmsConfig.ready`).
"""

from django import forms

from wagtail.admin.forms.models import register_form_field_override

from .numbers import parse_number


class FrenchIntegerField(forms.IntegerField):
    """A whole number read by `lms.numbers`: "2", " 2 ", "2,0" are 2; "٢" (other scripts' digits),
    "1e5", "2,5" get the field's French "invalid" message. Cleans to an int, or None when blank."""

    def to_python(self, value):
        parsed = parse_number(value, places=0)
        if parsed.error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return None if parsed.value is None else int(parsed.value)


class FrenchDecimalNumberField(forms.DecimalField):
    """A decimal read by `lms.numbers` ("12,5", "12.5", "1 250,75"); the parser's French reason
    ("ambigu", "exposant", other scripts' digits) is the error. Django's max_digits and
    decimal_places validators still apply. Cleans to a Decimal, or None when blank."""

    def to_python(self, value):
        parsed = parse_number(value, places=self.decimal_places or 6)
        if parsed.error:
            raise forms.ValidationError(parsed.error, code="invalid")
        return parsed.value


def register_admin_overrides() -> None:
    """Make every Wagtail admin model form (pages, snippets, settings, inline panels) read integer
    and decimal model fields with the platform's parser."""
    from django.db import models

    register_form_field_override(models.IntegerField, override={"form_class": FrenchIntegerField})
    register_form_field_override(
        models.DecimalField, override={"form_class": FrenchDecimalNumberField}
    )
