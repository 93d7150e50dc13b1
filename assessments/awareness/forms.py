"""Forms of the awareness app: the repérage checklist, a referral, the listing opt-in, the light
account."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import MaxLengthValidator

from lms.identity import normalise_email
from lms.models import Territory, User

from .models import FieldRole
from .orientation import (
    HOME_STATE_LABELS,
    INCOME_LABELS,
    SIGN_LABELS,
    TENURE_LABELS,
    HomeState,
    Income,
    Observation,
    Sign,
    Tenure,
)


def _territories():
    return Territory.objects.order_by("name")


class ChecklistForm(forms.Form):
    """What the field actor observes with the household; never stored."""

    error_css_class = "field-error"

    signs = forms.MultipleChoiceField(
        label="Ce que vous avez observé ou entendu",
        choices=list(SIGN_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    home_state = forms.ChoiceField(
        label="État du logement", choices=list(HOME_STATE_LABELS.items()), widget=forms.RadioSelect
    )
    tenure = forms.ChoiceField(
        label="Le ménage est", choices=list(TENURE_LABELS.items()), widget=forms.RadioSelect
    )
    income = forms.ChoiceField(
        label="Ses revenus", choices=list(INCOME_LABELS.items()), widget=forms.RadioSelect
    )
    territory = forms.ModelChoiceField(
        label="Territoire",
        queryset=Territory.objects.none(),
        required=False,
        empty_label="Hors des territoires du programme",
        help_text="Pour vous proposer les ensembliers certifiés qui y travaillent.",
        error_messages={"invalid_choice": "Choisissez un territoire de la liste."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = _territories()

    def observation(self) -> Observation:
        data = self.cleaned_data
        return Observation(
            signs=frozenset(Sign(s) for s in data["signs"]),
            home_state=HomeState(data["home_state"]),
            tenure=Tenure(data["tenure"]),
            income=Income(data["income"]),
        )


class ReferralForm(forms.Form):
    """The minimum an ensemblier needs to call the household back, with its consent."""

    error_css_class = "field-error"

    territory = forms.ModelChoiceField(queryset=Territory.objects.none(), widget=forms.HiddenInput)
    ensemblier = forms.TypedChoiceField(
        label="Ensemblier à qui transmettre", coerce=int, widget=forms.RadioSelect
    )
    contact = forms.CharField(
        label="Comment joindre le ménage",
        max_length=200,
        help_text="Un nom et un téléphone, ou un moyen convenu avec le ménage. Rien d'autre.",
    )
    commune = forms.CharField(label="Commune", max_length=120)
    note = forms.CharField(
        label="Message pour l'ensemblier (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxLengthValidator(600)],
        help_text="Le meilleur moment pour appeler, par exemple. Pas de données de santé.",
    )
    consent = forms.BooleanField(
        label="Le ménage a donné son accord pour que ces informations soient transmises à cet "
        "ensemblier, qui le recontactera.",
        error_messages={"required": "Sans l'accord du ménage, rien n'est transmis."},
    )

    def __init__(self, *args, ensembliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = _territories()
        self.fields["ensemblier"].choices = [
            (u.pk, f"{u.get_full_name()}" + (f" — {u.structure}" if u.structure else ""))
            for u in ensembliers
        ]


class ListingForm(forms.Form):
    listed = forms.BooleanField(
        label="J'accepte d'être proposé·e aux acteurs de terrain de mon territoire "
        "(nom, structure) pour recevoir des orientations de ménages.",
        required=False,
    )
    territory = forms.ModelChoiceField(
        label="Mon territoire",
        queryset=Territory.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choisissez un territoire de la liste."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = _territories()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("listed") and not cleaned.get("territory"):
            self.add_error("territory", "Choisissez le territoire où vous êtes proposé·e.")
        return cleaned


class SignupForm(forms.Form):
    """The light account of the awareness course: e-mail, name, profile, territory."""

    error_css_class = "field-error"

    email = forms.EmailField(label="Adresse e-mail", max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(
        label="Vous êtes",
        choices=[(v, label) for v, label in FieldRole.choices if v != FieldRole.ENSEMBLIER],
    )
    territory = forms.ModelChoiceField(
        label="Territoire",
        queryset=Territory.objects.none(),
        required=False,
        empty_label="Autre territoire",
        error_messages={"invalid_choice": "Choisissez un territoire de la liste."},
    )
    password = forms.CharField(
        label="Mot de passe", widget=forms.PasswordInput(render_value=False), strip=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = _territories()

    def clean_email(self):
        """Normalised; never "this address has an account" (that would tell anyone who has
        one): `services.signup_request` e-mails the owner instead."""
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned
