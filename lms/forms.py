from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from .identity import normalise_email


class AccountForm(forms.ModelForm):
    """What a user may edit about themselves; a new e-mail address needs the current password
    (whoever borrows an open session must not be able to take the account over by changing the
    address and asking for a password reset)."""

    current_password = forms.CharField(
        label="Mot de passe actuel",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Nécessaire seulement pour changer d'adresse e-mail.",
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email", "phone", "structure", "territory"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def _get_validation_exclusions(self):
        """The address's uniqueness is checked in `clean`, once the password is known right:
        Django's model checks would tell anyone holding the session that an address exists."""
        return {*super()._get_validation_exclusions(), "email"}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 10 or any(c not in "0123456789 +.-()" for c in phone)):
            raise forms.ValidationError(
                "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."
            )
        return phone

    wrong_password = False
    address_taken = False

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and email != normalise_email(self.initial.get("email")):
            password = cleaned.get("current_password", "")
            if not self.instance.has_usable_password():
                self.add_error(
                    "current_password",
                    "Définissez d'abord un mot de passe (« Changer mon mot de passe ») pour "
                    "pouvoir changer d'adresse e-mail.",
                )
            elif not password:
                self.add_error(
                    "current_password",
                    "Saisissez votre mot de passe actuel pour changer d'adresse e-mail.",
                )
            elif not self.instance.check_password(password):
                self.wrong_password = True
                self.add_error("current_password", "Mot de passe incorrect.")
            elif get_user_model().objects.filter(email=email).exclude(pk=self.instance.pk).exists():
                # Said only to the account's owner (right password), and each such answer
                # counts with the wrong guesses (lms.views.account): no address book to probe.
                self.address_taken = True
                self.add_error(
                    "email", "Cette adresse e-mail est déjà utilisée par un autre compte."
                )
        return cleaned


class _NormalisedEmailMixin:
    """Password reset looks the account up by its normalised address (SQLite's case-insensitive
    match only folds ASCII: "ÉLODIE@…" would miss "élodie@…")."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def _get_validation_exclusions(self):
        """The address's uniqueness is checked in `clean`, once the password is known right:
        Django's model checks would tell anyone holding the session that an address exists."""
        return {*super()._get_validation_exclusions(), "email"}


class SitePasswordResetForm(_NormalisedEmailMixin, PasswordResetForm):
    def get_users(self, email):
        """Active accounts with this address, including those that never chose a password
        (trainees created by a CSV import or a trainer): Django leaves those out, so
        "mot de passe oublié" silently sent them nothing. Here no account logs in any other way,
        so the reset link is how they activate when the welcome link is lost or expired."""
        return get_user_model()._default_manager.filter(email=email, is_active=True)


class AdminPasswordResetForm(_NormalisedEmailMixin, WagtailPasswordResetForm):
    """Wagtail's reset form (WAGTAILADMIN_USER_PASSWORD_RESET_FORM) with the same lookup."""


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's login form, in French throughout: its password field has no label of its
    own, so the page showed the field's name, "Password" (WAGTAILADMIN_USER_LOGIN_FORM)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Mot de passe"
        self.fields["password"].widget.attrs["placeholder"] = "Saisissez votre mot de passe"
        self.fields["remember"].label = "Se souvenir de moi"
