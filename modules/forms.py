"""Forms of the programme part: the session calendar's filters, the CSV enrolment import."""

from django import forms

from lms.csvfiles import ACCEPTED_ENCODINGS_LABEL
from lms.models import Territory

from .models import Enrolment


class SessionFilterForm(forms.Form):
    """Filters of the public calendar (GET). Choices are those with sessions; bad values give a
    French message and the calendar shows every session."""

    territoire = forms.ChoiceField(
        label="Territoire",
        required=False,
        error_messages={"invalid_choice": "Ce territoire n'a pas de session : choisissez-en un."},
    )
    annee = forms.ChoiceField(
        label="Année",
        required=False,
        error_messages={"invalid_choice": "Aucune session cette année-là : choisissez une année."},
    )

    def __init__(self, *args, territories: list[Territory], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.territories = {territory.slug: territory for territory in territories}
        self.fields["territoire"].choices = [("", "Tous les territoires")] + [
            (territory.slug, territory.name) for territory in territories
        ]
        self.fields["annee"].choices = [("", "Toutes les années")] + [
            (str(year), str(year)) for year in years
        ]

    def filters(self) -> dict:
        """The valid filters (an invalid field is ignored, its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        result = {}
        if data.get("territoire"):
            result["territory"] = self.territories[data["territoire"]]
        if data.get("annee"):
            result["year"] = int(data["annee"])
        return result


class CsvImportForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier CSV des stagiaires",
        help_text="Colonnes : email;prenom;nom;telephone;structure;financeur "
        "(séparateur point-virgule, virgule ou tabulation ; la ligne « sep=; » d'Excel est "
        f"acceptée ; encodages acceptés : {ACCEPTED_ENCODINGS_LABEL}).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    statut = forms.ChoiceField(
        label="Statut des inscriptions créées",
        choices=[
            (Enrolment.Status.PRE_REGISTERED, Enrolment.Status.PRE_REGISTERED.label),
            (Enrolment.Status.CONFIRMED, Enrolment.Status.CONFIRMED.label),
        ],
        initial=Enrolment.Status.CONFIRMED,
    )
