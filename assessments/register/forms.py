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
