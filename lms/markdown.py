"""The one place where text written by trainers or trainees becomes HTML.

Markdown is rendered, then cleaned by bleach with an explicit allow-list: no scripts, no event
attributes, no styles, no SVG, and links only to http(s), mailto and tel.
"""

from django.utils.safestring import SafeString, mark_safe

import bleach
import markdown as markdown_lib
from bleach.linkifier import Linker

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
        "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["align"],
    "th": ["align", "scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


def _add_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(callbacks=[_add_rel], skip_tags={"pre", "code"})


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown to sanitized HTML, safe to include in any page."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    html = markdown_lib.markdown(str(text), extensions=EXTENSIONS, output_format="html")
    cleaned = _linker.linkify(_cleaner.clean(html))
    return mark_safe(cleaned)  # noqa: S308 - sanitized by bleach just above
