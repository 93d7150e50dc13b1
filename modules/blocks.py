"""Blocks of a module's body."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from lms.blocks import CalloutBlock, MarkdownBlock


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label="adresse de la vidéo", help_text="YouTube, Vimeo, PeerTube…")
    caption = blocks.CharBlock(label="légende", required=False)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = "Vidéo"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="document")
    title = blocks.CharBlock(label="titre affiché", required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = "Document"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageBlock(label="image")
    caption = blocks.CharBlock(label="légende", required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = "Image"


class ActivityLinkValue(blocks.StructValue):
    def url(self):
        page = self.get("page")
        return page.url if page else ""

    def kind_label(self):
        return dict(ActivityLinkBlock.KIND_CHOICES).get(self.get("kind"), "")


class ActivityLinkBlock(blocks.StructBlock):
    """A link to a case study or an assessment (pages of the apps built on top of modules)."""

    KIND_CHOICES = [("case_study", "Cas d'étude"), ("assessment", "Évaluation")]

    kind = blocks.ChoiceBlock(label="type", choices=KIND_CHOICES)
    page = blocks.PageChooserBlock(label="page")
    text = blocks.CharBlock(label="consigne", required=False)

    class Meta:
        icon = "link"
        template = "blocks/activity_link_block.html"
        value_class = ActivityLinkValue
        label = "Cas d'étude ou évaluation"


MODULE_BODY_BLOCKS = [
    ("markdown", MarkdownBlock()),
    ("rich_text", blocks.RichTextBlock(label="Texte enrichi")),
    ("callout", CalloutBlock()),
    ("image", ImageWithCaptionBlock()),
    ("video", VideoBlock()),
    ("document", DocumentBlock()),
    ("activity", ActivityLinkBlock()),
]
