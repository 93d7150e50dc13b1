"""The one place where PDFs get their fonts, metadata, page numbers and text fitting (reportlab).

Every PDF of the project (certificate, certificat de réalisation, attendance statement,
attendance sheet) is built with these pieces, so that all of them:

- embed Unicode TrueType fonts shipped by Debian packages: DejaVu Sans (`fonts-dejavu-core`:
  Latin, Greek, Cyrillic, Arabic, Hebrew…) and, for the characters DejaVu lacks (Chinese,
  Japanese, Korean), WenQuanYi Zen Hei (`fonts-wqy-zenhei`). reportlab has no per-glyph
  fallback, so `markup` and `draw_string` split text into runs by font coverage. Only the
  glyphs used are embedded (subsets), which keeps files small;
- display right-to-left names right: Arabic letters are shaped into their joined forms
  (`arabic-reshaper`) and each line is put in visual order by the Unicode bidirectional
  algorithm (`python-bidi`), since reportlab's own bidi support needs a package (rlbidi) that
  is not published on PyPI;
- carry a title, an author (the training body), a subject and `/Lang (fr)` in their catalogue;
- number their pages "n / N" (`NumberedCanvas`, the usual two-pass reportlab recipe);
- make a name fit its box: shrink the font down to a floor, then wrap (`fit_lines`).

reportlab (open source) writes neither tagged PDF nor PDF/A: see docs/decisions.md.
"""

import html
import io
import os.path
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import arabic_reshaper
from bidi import get_display
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

FONT = "Ensemblier"
FONT_BOLD = "Ensemblier-Bold"
FONT_FALLBACK = "Ensemblier-CJK"
LANG = "fr"
INK = colors.HexColor("#1f2d3d")
ACCENT = colors.HexColor("#2f6f4f")
MUTED = colors.HexColor("#5b6673")

# Debian paths; settings.PDF_FONT_DIRS is searched first, for other systems.
_DEJAVU = "/usr/share/fonts/truetype/dejavu"
_WQY = "/usr/share/fonts/truetype/wqy"
FONT_FILES = {
    FONT: ("DejaVuSans.ttf", _DEJAVU, "fonts-dejavu-core"),
    FONT_BOLD: ("DejaVuSans-Bold.ttf", _DEJAVU, "fonts-dejavu-core"),
    FONT_FALLBACK: ("wqy-zenhei.ttc", _WQY, "fonts-wqy-zenhei"),
}


def _find(filename: str, default_dir: str, package: str) -> str:
    for directory in [*getattr(settings, "PDF_FONT_DIRS", []), default_dir]:
        path = os.path.join(directory, filename)
        if os.path.exists(path):
            return path
    raise ImproperlyConfigured(
        f"Police {filename} introuvable : installez le paquet Debian {package} "
        "(make setup ou .ci/run le font) ou indiquez son dossier dans PDF_FONT_DIRS."
    )


def font_file(name: str) -> str:
    """The TrueType file of one of `FONT_FILES`, for drawing outside PDFs (badge images)."""
    filename, directory, package = FONT_FILES[name]
    return _find(filename, directory, package)


@lru_cache(maxsize=1)
def fonts() -> dict[str, TTFont]:
    """Register the fonts once per process; {name: TTFont}. Raises ImproperlyConfigured when
    a font file is missing (the PDF would otherwise print black boxes)."""
    registered = {}
    for name, (filename, directory, package) in FONT_FILES.items():
        font = TTFont(name, _find(filename, directory, package), subfontIndex=0)
        pdfmetrics.registerFont(font)
        registered[name] = font
    # <b> and <i> in Paragraph markup pick these (no oblique face in fonts-dejavu-core).
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    pdfmetrics.registerFontFamily(
        FONT_FALLBACK,
        normal=FONT_FALLBACK,
        bold=FONT_FALLBACK,
        italic=FONT_FALLBACK,
        boldItalic=FONT_FALLBACK,
    )
    return registered


def _covers(font_name: str, char: str) -> bool:
    return ord(char) in fonts()[font_name].face.charWidths


def _is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def visual(text: str) -> str:
    """`text` as it must be drawn left to right: unchanged without right-to-left letters;
    otherwise Arabic letters joined (presentation forms) and the line in visual order."""
    text = text or ""
    if not _is_rtl(text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def runs(text: str, font: str = FONT) -> list[tuple[str, str]]:
    """Split `text` into (piece, font name) runs: `font` where it has the glyph, the CJK
    fallback where only the fallback has it."""
    result: list[tuple[str, str]] = []
    for char in text:
        name = (
            FONT_FALLBACK
            if not _covers(font, char) and _covers(FONT_FALLBACK, char) and not char.isspace()
            else font
        )
        if result and result[-1][1] == name:
            result[-1] = (result[-1][0] + char, name)
        else:
            result.append((char, name))
    return result


def markup(text: str, font: str = FONT) -> str:
    """Paragraph markup for plain `text`: escaped, in visual order, fallback runs in their font."""
    return "".join(
        html.escape(piece, quote=False)
        if name == font
        else f'<font face="{name}">{html.escape(piece, quote=False)}</font>'
        for piece, name in runs(visual(text), font)
    )


def string_width(text: str, font: str, size: float) -> float:
    """Width in points of `text` drawn with `draw_string` (fallback runs measured in theirs)."""
    return sum(
        pdfmetrics.stringWidth(piece, name, size) for piece, name in runs(visual(text), font)
    )


def draw_string(
    canvas, x: float, y: float, text: str, font: str, size: float, align: str = "left"
) -> None:
    """Draw one line at (x, y); `align` is "left", "centre" (x is the middle) or "right"."""
    shown = visual(text)
    width = string_width(text, font, size)
    start = {"left": x, "centre": x - width / 2, "right": x - width}[align]
    for piece, name in runs(shown, font):
        canvas.setFont(name, size)
        canvas.drawString(start, y, piece)
        start += pdfmetrics.stringWidth(piece, name, size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`: at spaces, and inside a word only when
    the word alone is wider (CJK names have no spaces)."""
    lines: list[str] = []
    current = ""
    for word in (text or "").split():
        candidate = f"{current} {word}" if current else word
        if string_width(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if current and string_width(current + char, font, size) > width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    return lines or [""]


def cell(text: str, font: str, size: float, width: float, style: ParagraphStyle | None = None):
    """A table cell showing all of `text` within `width` (minus 6 pt of padding): a plain
    string, wrapped with newlines, when the font has every glyph and the text runs left to
    right (plain strings are about ten times faster than Paragraphs in big tables); otherwise a
    Paragraph with font runs and visual order."""
    text = text or ""
    needs_markup = _is_rtl(text) or any(not _covers(font, char) for char in text)
    if needs_markup:
        return Paragraph(
            markup(text, font),
            style or ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.2),
        )
    return "\n".join(wrap(text, font, size, width - 6))


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: list[str]


def fit_lines(
    text: str, font: str, *, width: float, size: float, min_size: float, max_lines: int = 2
) -> Fitted:
    """Shrink `text` from `size` down to `min_size` (by half points) until it fits `width` on
    one line; below that, wrap at `min_size` on up to `max_lines` lines (more if it must:
    nothing is ever cut)."""
    current = size
    while current >= min_size:
        if string_width(text, font, current) <= width:
            return Fitted(current, [text])
        current -= 0.5
    return Fitted(min_size, wrap(text, font, min_size, width))


def draw_fitted(
    canvas,
    text: str,
    font: str,
    *,
    x_centre: float,
    y: float,
    width: float,
    size: float,
    min_size: float,
) -> float:
    """Draw `text` centred on `x_centre`, first baseline at `y`, fitted to `width`; returns the
    baseline of the last line drawn."""
    fitted = fit_lines(text, font, width=width, size=size, min_size=min_size)
    for index, line in enumerate(fitted.lines):
        draw_string(
            canvas, x_centre, y - index * fitted.size * 1.2, line, font, fitted.size, "centre"
        )
    return y - (len(fitted.lines) - 1) * fitted.size * 1.2


@dataclass(frozen=True)
class Metadata:
    """What the PDF's catalogue says about itself."""

    title: str
    author: str
    subject: str = ""

    def apply(self, canvas) -> None:
        canvas.setTitle(self.title)
        canvas.setAuthor(self.author)
        canvas.setSubject(self.subject)
        canvas.setCreator("Ensemblier")


def new_canvas(buffer: io.BytesIO, *, pagesize, metadata: Metadata) -> rl_canvas.Canvas:
    """A canvas with the fonts registered, the metadata and `/Lang (fr)` set."""
    fonts()
    pdf = rl_canvas.Canvas(buffer, pagesize=pagesize, lang=LANG, initialFontName=FONT)
    metadata.apply(pdf)
    return pdf


def new_document(
    buffer: io.BytesIO, *, pagesize, metadata: Metadata, margin: float, bottom: float = 0
):
    """A platypus document with the fonts registered, the metadata and `/Lang (fr)` set, the
    same `margin` (points) on every side but the `bottom` one when given; build it with
    `canvasmaker=numbered_canvas(footer)` to number its pages."""
    fonts()
    return SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=bottom or margin,
        title=metadata.title,
        author=metadata.author,
        subject=metadata.subject,
        creator="Ensemblier",
        lang=LANG,
        initialFontName=FONT,
    )


def numbered_canvas(footer):
    """A canvas class that calls `footer(canvas, page, total)` on every page once the total is
    known, so each page can say "n / N"."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("lang", LANG)
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def page_label(page: int, total: int) -> str:
    """ "2 / 5" """
    return f"{page} / {total}"


@dataclass(frozen=True)
class TrainingBody:
    """The training body (organisme de formation) as legal documents name it."""

    name: str
    siret: str = ""
    nda: str = ""  # numéro de déclaration d'activité
    address: str = ""
    signatory_name: str = ""
    signatory_role: str = ""
    place: str = ""  # "Fait à …"

    def identity(self) -> str:
        """ "STOP · SIRET 123 456 789 00012 · déclaration d'activité n° 11751234575" """
        parts = [self.name]
        if self.siret:
            parts.append(
                f"SIRET {self.siret[:3]} {self.siret[3:6]} {self.siret[6:9]} {self.siret[9:]}"
            )
        parts.append(
            f"déclaration d'activité n° {self.nda}"
            if self.nda
            else "déclaration d'activité : numéro non renseigné"
        )
        return " · ".join(parts)

    @property
    def signatory(self) -> str:
        """ "Claire Dupont, directrice" or "" """
        return ", ".join(part for part in (self.signatory_name, self.signatory_role) if part)


# --- Styles and Markdown -----------------------------------------------------------------


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the embedded fonts."""
    fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", parent=body, fontSize=9, leading=12, textColor=MUTED),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=20, leading=25, textColor=ACCENT
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=8
        ),
        "banner": ParagraphStyle(
            "banner",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#b00020"),
            borderColor=colors.HexColor("#b00020"),
            borderWidth=1.2,
            borderPadding=6,
        ),
    }


def paragraph(text: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """A Paragraph of plain text (escaped, fonts and direction handled)."""
    content = markup(text)
    return Paragraph(f"<b>{content}</b>" if bold else content, style)


_INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "code": "font", "del": "strike"}
_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd"}


class _Flowables(HTMLParser):
    """Sanitised Markdown HTML (`lms.markdown.render_markdown`) -> platypus flowables:
    paragraphs, headings, bullet and numbered lists (nested), bold, italics, links as text."""

    def __init__(self, style: ParagraphStyle, heading: ParagraphStyle):
        super().__init__(convert_charrefs=True)
        self.style, self.heading = style, heading
        self.stack: list[list] = [[]]  # flowables of the current list item (or the document)
        self.lists: list[tuple[str, list]] = []  # (ol|ul, items)
        self.text: list[str] = []
        self.block = "p"

    def _flush(self):
        content = "".join(self.text).strip()
        self.text = []
        if content:
            style = self.heading if self.block.startswith("h") else self.style
            self.stack[-1].append(Paragraph(content, style))

    def handle_starttag(self, tag, attrs):
        if tag in _INLINE:
            self.text.append(f'<font face="{FONT}">' if tag == "code" else f"<{_INLINE[tag]}>")
        elif tag == "br":
            self.text.append("<br/>")
        elif tag in ("ol", "ul"):
            self._flush()
            self.lists.append((tag, []))
        elif tag == "li":
            self._flush()
            self.stack.append([])
        elif tag in _BLOCKS:
            self._flush()
            self.block = tag

    def handle_endtag(self, tag):
        if tag in _INLINE:
            self.text.append("</font>" if tag == "code" else f"</{_INLINE[tag]}>")
        elif tag == "li":
            self._flush()
            content = self.stack.pop()
            if self.lists:
                self.lists[-1][1].append(ListItem(content or [Spacer(1, 0)]))
        elif tag in ("ol", "ul") and self.lists:
            self._flush()
            kind, items = self.lists.pop()
            self.stack[-1].append(
                ListFlowable(
                    items,
                    bulletType="1" if kind == "ol" else "bullet",
                    start=None if kind == "ol" else "•",
                    bulletFontName=FONT,
                    bulletFontSize=self.style.fontSize,
                    leftIndent=16,
                    spaceAfter=4,
                )
            )
        elif tag in _BLOCKS:
            self._flush()
            self.block = "p"

    def handle_data(self, data):
        self.text.append(markup(data.replace("\n", " ")))

    def result(self) -> list:
        self._flush()
        while self.lists:  # unclosed lists (cannot happen with Markdown's output)
            self.handle_endtag(self.lists[-1][0])
        return self.stack[0]


def markdown_flowables(text: str, style: ParagraphStyle, heading: ParagraphStyle) -> list:
    """Markdown (as trainers write it in the admin) as PDF paragraphs and lists: every word
    kept, no Markdown marker left, one list item per item whatever the source line breaks."""
    from .markdown import render_markdown

    parser = _Flowables(style, heading)
    parser.feed(str(render_markdown(text)))
    parser.close()
    return parser.result()
