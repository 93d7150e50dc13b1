"""The upload form of the public verification page."""

from django import forms

MAX_UPLOAD_BYTES = 512 * 1024  # a baked badge weighs about 30 KB, its JSON about 8 KB
MAX_UPLOAD_LABEL = "500 Ko"


class CredentialUploadForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier du badge",
        required=False,
        help_text=f"Le badge PNG ou le fichier JSON téléchargé depuis « Mon parcours » "
        f"({MAX_UPLOAD_LABEL} au plus).",
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.json,.jwt,.txt,image/png"}),
    )
    jeton = forms.CharField(
        label="ou le badge en texte",
        required=False,
        max_length=200_000,
        help_text="Le texte du badge signé (JWT, trois parties séparées par des points) ou son "
        "contenu JSON.",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_fichier(self):
        upload = self.cleaned_data.get("fichier")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Ce fichier est trop lourd pour être un badge ({MAX_UPLOAD_LABEL} au plus)."
            )
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("fichier") and not (data.get("jeton") or "").strip():
            raise forms.ValidationError(
                "Choisissez le fichier du badge (PNG ou JSON) ou collez son texte."
            )
        return data

    def submission_data(self) -> tuple[str, bytes | None]:
        """(pasted text, file content or None); the file wins when both are given."""
        upload = self.cleaned_data.get("fichier")
        content = upload.read(MAX_UPLOAD_BYTES + 1) if upload else None
        return self.cleaned_data.get("jeton") or "", content
