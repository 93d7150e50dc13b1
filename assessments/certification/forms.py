"""Small forms of the certification screens (French labels and messages)."""

import re

from django import forms

from ..models import CompetencyDecision
from . import numbers


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


class BulkValidationForm(forms.Form):
    """Validate every competency proposed "atteinte" of a session at once: the results are
    checkboxes (all checked), with one comment for all."""

    results = forms.TypedMultipleChoiceField(
        label="Compétences à valider",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins une compétence à valider.",
            "invalid_choice": "Cette liste a changé : vérifiez les compétences cochées.",
        },
    )
    comment = forms.CharField(
        label="Commentaire (le même pour chaque compétence validée)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Conservé dans l'historique de chaque décision, avec votre nom et la date.",
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results"].choices = [(result.pk, str(result.pk)) for result in results]
        if not self.is_bound:
            self.initial["results"] = [result.pk for result in results]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la révocation",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de la révocation."},
        help_text="Conservé avec votre nom et la date ; la page de vérification affichera "
        "« révoqué », sans le motif.",
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la réémission",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par défaut : changement de nom du ou de la titulaire.",
    )


class NumberForm(forms.Form):
    numero = forms.CharField(
        label="Numéro du certificat",
        max_length=30,
        help_text="Par exemple ENS-2026-00042-K7QF.",
        error_messages={"required": "Saisissez le numéro du certificat."},
    )

    def clean_numero(self):
        number = numbers.normalise(self.cleaned_data["numero"])
        if not re.fullmatch(r"[A-Z0-9-]+", number):  # it becomes part of the result's URL
            raise forms.ValidationError(
                "Un numéro de certificat ne contient que des lettres, des chiffres et des tirets "
                "(par exemple ENS-2026-00042-K7QF).",
                code="invalid",
            )
        return number
