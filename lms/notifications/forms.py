from django import forms

from .kinds import KINDS


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="Recevoir un e-mail quand…",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(kind.code, kind.label) for kind in KINDS.values()],
        help_text="Les notifications restent toujours visibles dans la page Notifications.",
    )
    daily_digest = forms.BooleanField(
        label="Regrouper mes e-mails en un résumé quotidien",
        required=False,
        help_text="Un seul e-mail par jour, le matin, avec les notifications non lues.",
    )

    @classmethod
    def from_preferences(cls, preferences, data=None):
        initial = {
            "email_kinds": [code for code in KINDS if preferences.wants_email(code)],
            "daily_digest": preferences.daily_digest,
        }
        return cls(data=data, initial=initial)
