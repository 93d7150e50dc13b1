"""Forms of the quality app: French numbers through `lms.formfields`, French messages."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from lms.formfields import FrenchDecimalNumberField
from lms.roles import Role

from .models import Accommodation
from .rules import MAX_TIME_FACTOR

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AccommodationForm(forms.ModelForm):
    trainee = forms.ModelChoiceField(
        label="stagiaire",
        queryset=User.objects.filter(groups__name=Role.TRAINEE.value, is_active=True)
        .order_by("last_name", "first_name", "pk")
        .distinct(),
    )
    time_factor = FrenchDecimalNumberField(
        label="coefficient de temps",
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("1"),
        max_value=MAX_TIME_FACTOR,
        initial=Decimal("1"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
        help_text=Accommodation._meta.get_field("time_factor").help_text,
    )
    consent = forms.BooleanField(
        label="la personne a donné son accord à ces aménagements",
        required=True,
        error_messages={"required": "L'accord de la personne est nécessaire."},
    )

    class Meta:
        model = Accommodation
        fields = [
            "trainee",
            "time_factor",
            "alternative_format",
            "room_note",
            "confidential_note",
            "consent_on",
            "starts_on",
        ]
        widgets = {
            "consent_on": DateInput(),
            "starts_on": DateInput(),
            "confidential_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The person an accommodation is for does not change: end it, record another.
            del self.fields["trainee"]
            self.fields["consent"].initial = True

    def values(self) -> dict:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("trainee", "consent")
        }


class AccommodationEndForm(forms.Form):
    ended_on = forms.DateField(label="fin le", widget=DateInput())
    reason = forms.CharField(label="motif", max_length=300)
