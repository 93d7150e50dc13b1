from django import forms

from .kinds import kinds_for


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="Recevoir un e-mail quand…",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        help_text="Les notifications restent toujours visibles dans la page Notifications.",
    )
    daily_digest = forms.BooleanField(
        label="Regrouper mes e-mails en un résumé quotidien",
        required=False,
        help_text="Un seul e-mail par jour, le matin, avec les notifications non lues.",
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = [(kind.code, kind.label) for kind in kinds]

    @property
    def shown_kinds(self) -> set[str]:
        return {code for code, _ in self.fields["email_kinds"].choices}

    @classmethod
    def from_preferences(cls, preferences, user, data=None):
        kinds = kinds_for(user)
        initial = {
            "email_kinds": [kind.code for kind in kinds if preferences.wants_email(kind.code)],
            "daily_digest": preferences.daily_digest,
        }
        return cls(data=data, initial=initial, kinds=kinds)
