"""Forms of the quality app: French numbers through `lms.formfields`, French messages."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator

from lms.formfields import FrenchDecimalNumberField
from lms.roles import Role
from lms.text import without_nul
from modules.models import TrainingSession

from .models import Accommodation, Complaint, ImprovementAction
from .rules import MAX_TIME_FACTOR, ComplaintStatus

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


# --- Complaints ----------------------------------------------------------------------------------


# What a person has to say fits in a few pages; a public form must not take megabytes (it is
# stored, shown to the coordination and exported).
DESCRIPTION_MAX_LENGTH = 10_000


class ComplaintForm(forms.ModelForm):
    session = forms.ModelChoiceField(
        label="session concernée",
        required=False,
        empty_label="— aucune ou je ne sais pas —",
        queryset=TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED)
        .select_related("territory")
        .order_by("-week1_start", "name"),
    )

    class Meta:
        model = Complaint
        fields = [
            "kind",
            "filer_name",
            "filer_email",
            "filer_role",
            "session",
            "subject",
            "description",
        ]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 6})}
        labels = {"kind": "vous signalez"}
        help_texts = {
            "description": (
                "Ce qui s'est passé, quand, et ce que vous attendez. N'indiquez pas d'information "
                "de santé : le ou la référent·e handicap vous répondra directement."
            )
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields["description"]
        description.max_length = DESCRIPTION_MAX_LENGTH
        description.validators.append(MaxLengthValidator(DESCRIPTION_MAX_LENGTH))
        description.widget.attrs["maxlength"] = str(DESCRIPTION_MAX_LENGTH)
        if getattr(user, "is_authenticated", False):
            # The account says who files: name and address come from it.
            del self.fields["filer_name"]
            del self.fields["filer_email"]

    def clean_subject(self):
        return without_nul(self.cleaned_data["subject"])

    def clean_description(self):
        return without_nul(self.cleaned_data["description"])


class ComplaintStepForm(forms.Form):
    status = forms.ChoiceField(choices=ComplaintStatus.choices, widget=forms.HiddenInput)
    note = forms.CharField(label="note", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ImprovementActionForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["description", "owner", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}


class PeriodForm(forms.Form):
    """A period of dates (both included), from the query string: `?du=…&au=…`."""

    du = forms.DateField(label="du", widget=DateInput())
    au = forms.DateField(label="au", widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        return cleaned
