"""Blocks shared by several apps' StreamFields."""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from wagtail import blocks

from .markdown import render_markdown


class MarkdownBlock(blocks.TextBlock):
    """Markdown written by a trainer, rendered through the sanitizer."""

    def render_basic(self, value, context=None):
        return render_markdown(value)

    class Meta:
        icon = "code"
        label = "Texte (Markdown)"


SAFE_URL_PREFIXES = ("/", "https://", "http://", "mailto:", "tel:")


def is_safe_url(url: str) -> bool:
    """Site-relative, http(s), mailto and tel links only (never javascript:, data:…)."""
    url = (url or "").strip()
    return url.lower().startswith(SAFE_URL_PREFIXES) and not url.startswith("//")


class SafeURLBlock(blocks.CharBlock):
    """A link an editor types: refused in French unless it is a safe kind of address."""

    def clean(self, value):
        value = super().clean(value)
        if value and not is_safe_url(value):
            raise ValidationError(
                "Adresse refusée : saisissez une adresse du site (commençant par /) "
                "ou une adresse http(s), mailto: ou tel:."
            )
        return value


class CallToActionValue(blocks.StructValue):
    @cached_property
    def url(self):
        page = self.get("page")
        if page:
            return page.url
        external = self.get("external_url") or ""
        return external if is_safe_url(external) else ""


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre")
    text = blocks.TextBlock(label="texte", required=False)
    button_label = blocks.CharBlock(label="libellé du bouton")
    page = blocks.PageChooserBlock(label="page", required=False)
    external_url = SafeURLBlock(label="ou adresse", required=False)

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        value_class = CallToActionValue
        label = "Appel à l'action"


class CalloutBlock(blocks.StructBlock):
    variant = blocks.ChoiceBlock(
        label="type",
        choices=[
            ("info", "Information"),
            ("attention", "Attention"),
            ("astuce", "Astuce"),
            ("reglementaire", "Réglementaire"),
        ],
        default="info",
    )
    title = blocks.CharBlock(label="titre", required=False)
    text = MarkdownBlock(label="texte")

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        label = "Encadré"
