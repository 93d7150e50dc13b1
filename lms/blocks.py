"""Blocks shared by several apps' StreamFields."""

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


class CallToActionValue(blocks.StructValue):
    @cached_property
    def url(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("external_url") or ""


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre")
    text = blocks.TextBlock(label="texte", required=False)
    button_label = blocks.CharBlock(label="libellé du bouton")
    page = blocks.PageChooserBlock(label="page", required=False)
    external_url = blocks.CharBlock(label="ou adresse", required=False)

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
