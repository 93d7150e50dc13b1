from django import forms


class ConsentForm(forms.Form):
    """The one button of the consent page: give (oui) or withdraw (non)."""

    accord = forms.ChoiceField(
        choices=[("oui", "Je donne mon accord"), ("non", "Je retire mon accord")],
        error_messages={
            "required": "Choisissez de donner ou de retirer votre accord.",
            "invalid_choice": "Choisissez de donner ou de retirer votre accord.",
        },
    )

    @property
    def listed(self) -> bool:
        return self.cleaned_data["accord"] == "oui"


class ConsentEventFilter(forms.Form):
    """The coordination's filters on the consent history (GET)."""

    q = forms.CharField(
        label="Personne (nom, prénom ou e-mail)",
        required=False,
        max_length=100,
        error_messages={"max_length": "Cherchez avec au plus 100 caractères."},
    )
    choix = forms.ChoiceField(
        label="Choix",
        required=False,
        choices=[("", "tous"), ("given", "Accord donné"), ("withdrawn", "Accord retiré")],
        error_messages={"invalid_choice": "Choisissez « tous », « donné » ou « retiré »."},
    )
