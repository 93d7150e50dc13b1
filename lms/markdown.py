"""The one place where text written by trainers or trainees becomes HTML.

Markdown is rendered, then cleaned by bleach with an explicit allow-list: no scripts, no event
attributes, no styles, no SVG, and links only to http(s), mailto and tel.

Threads: bleach documents its ``Cleaner`` and ``Linker`` as not thread-safe, and a ``Markdown``
instance keeps state between conversions, so each thread gets its own (``threading.local``).

The work is done once per text: the sanitised HTML is kept in Django's default cache (shared by
every app server when ``REDIS_URL`` is set) under a key made of ``SANITISER_VERSION`` and the
SHA-256 of the source, with a small per-process LRU in front. A changed text has a new key, so it
is never served stale; bump ``SANITISER_VERSION`` whenever the allow-list, the extensions or the
linkifier change, so that HTML cleaned under the old rules is no longer used.
"""

import functools
import hashlib
import logging
import re
import threading

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

import bleach
import markdown as markdown_lib
from bleach.linkifier import Linker
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

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
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# A list item that may interrupt a paragraph (as in CommonMark: any bullet, or an ordered list
# starting at 1).
_INTERRUPTING_ITEM = re.compile(r"^ {0,3}([-*+]|1[.)])[ \t]+\S")
_ANY_ITEM = re.compile(r"^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+\S")


class ListAfterParagraph(Preprocessor):
    """Python-Markdown needs a blank line before a list; authors (and CommonMark) do not:
    "**Déroulement**\n- 23 questions" ran the list into the paragraph. A blank line is added
    before a list item that follows a paragraph line (never inside fenced code)."""

    def run(self, lines):
        out: list[str] = []
        fenced = False
        for line in lines:
            if _FENCE.match(line):
                fenced = not fenced
            elif (
                not fenced
                and out
                and out[-1].strip()
                and _INTERRUPTING_ITEM.match(line)
                and not _ANY_ITEM.match(out[-1])
                and not out[-1].startswith(("    ", "\t"))
                and not out[-1].lstrip().startswith(">")
            ):
                out.append("")
            out.append(line)
        return out


class ListAfterParagraphExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's API
        # After whitespace normalisation (30), before fenced code (25).
        md.preprocessors.register(ListAfterParagraph(md), "list_after_paragraph", 27)


EXTENSIONS = ["tables", "sane_lists", "fenced_code", ListAfterParagraphExtension()]


def _add_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


# Bump when ALLOWED_*, EXTENSIONS, _add_rel or the bleach/markdown versions change behaviour.
# 2: a list right after a paragraph line is a list (ListAfterParagraph).
SANITISER_VERSION = 2
CACHE_TIMEOUT = 30 * 24 * 3600  # seconds; content-addressed, so expiry only reclaims space
LRU_SIZE = 512  # entries per process

logger = logging.getLogger(__name__)
_local = threading.local()


def _tools() -> tuple[markdown_lib.Markdown, bleach.Cleaner, Linker]:
    """This thread's Markdown converter, Cleaner and Linker (created on first use)."""
    tools = getattr(_local, "tools", None)
    if tools is None:
        tools = (
            markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html"),
            bleach.Cleaner(
                tags=ALLOWED_TAGS,
                attributes=ALLOWED_ATTRIBUTES,
                protocols=ALLOWED_PROTOCOLS,
                strip=True,
                strip_comments=True,
            ),
            Linker(callbacks=[_add_rel], skip_tags={"pre", "code"}),
        )
        _local.tools = tools
    return tools


def sanitise_markdown(text: str) -> str:
    """Markdown source -> sanitised HTML (str), computed now without any cache."""
    converter, cleaner, linker = _tools()
    html = converter.reset().convert(text)
    return linker.linkify(cleaner.clean(html))


def cache_key(text: str, version: int = SANITISER_VERSION) -> str:
    """Cache key of the sanitised HTML of ``text`` under sanitiser ``version``."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"markdown:v{version}:{digest}"


@functools.lru_cache(maxsize=LRU_SIZE)
def _cached_html(text: str, version: int) -> str:
    key = cache_key(text, version)
    try:
        html = cache.get(key)
    except Exception:  # a cache outage must not take pages down: render instead
        logger.warning("Markdown cache unavailable (get)", exc_info=True)
        html = None
    if html is None:
        html = sanitise_markdown(text)
        try:
            cache.set(key, html, CACHE_TIMEOUT)
        except Exception:
            logger.warning("Markdown cache unavailable (set)", exc_info=True)
    return html


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown to sanitized HTML, safe to include in any page.

    Shape: any text (or None) -> SafeString, "" for empty input. Served from the per-process LRU,
    then the default cache, rendered at most once per (text, SANITISER_VERSION) per cache.
    """
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    return mark_safe(_cached_html(str(text), SANITISER_VERSION))  # noqa: S308 - sanitized by bleach
