"""Small forms of the certification screens (French labels and messages)."""

from django import forms

from ..models import CompetencyDecision


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=CompetencyDecision.Decision.choices,
        error_messages={"required": "Choisissez valider ou ne pas valider."},
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour ne pas valider, ou pour valider sous le seuil.",
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la révocation",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de la révocation."},
        help_text="Conservé avec votre nom et la date ; la page de vérification affichera "
        "« révoqué », sans le motif.",
    )


class NumberForm(forms.Form):
    numero = forms.CharField(
        label="Numéro du certificat",
        max_length=30,
        help_text="Par exemple ES-2026-000123.",
        error_messages={"required": "Saisissez le numéro du certificat."},
    )

    def clean_numero(self):
        return self.cleaned_data["numero"].strip().upper()
