"""The PNG badge: drawn with Pillow, the credential baked in (Open Badges 3.0 §5.3), and read back.

Baking: one `iTXt` chunk, keyword `openbadgecredential`, uncompressed, holding the VC-JWT
(compact JWS) before the image data. Reading accepts any PNG that Pillow opens within the limits
below (size, pixels, text chunk); anything else raises `BadgeError` with a French message.

Text is drawn in DejaVu Sans, with the CJK fallback font for the characters DejaVu lacks and
right-to-left names in visual order (`lms.pdf` decides runs and order, as for the PDFs).
"""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from lms import pdf

KEYWORD = "openbadgecredential"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIZE = 600
MAX_PIXELS = 4_000_000  # a badge is 600 × 600; a bigger image is not one of ours to read
INK = (31, 45, 61)
ACCENT = (47, 111, 79)
PALE = (233, 243, 237)
WHITE = (255, 255, 255)


class BadgeError(ValueError):
    """An uploaded file that is not a readable baked badge (French message)."""


@lru_cache(maxsize=32)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(pdf.font_file(name), size)


def _draw_line(draw, text: str, *, y: int, size: int, bold: bool = False, fill=INK) -> None:
    """One centred line, each run in the font that has its glyphs."""
    font_name = pdf.FONT_BOLD if bold else pdf.FONT
    line = pdf.visual(text)
    pieces = [(piece, _font(name, size)) for piece, name in pdf.runs(line, font_name)]
    width = sum(font.getlength(piece) for piece, font in pieces)
    x = (SIZE - width) / 2
    for piece, font in pieces:
        draw.text((x, y), piece, font=font, fill=fill)
        x += font.getlength(piece)


def _fitted(text: str, *, width: int, largest: int, smallest: int) -> tuple[list[str], int]:
    """Lines and size for `text` in `width` pixels: shrink down to `smallest`, then wrap."""
    for size in range(largest, smallest - 1, -2):
        if pdf.string_width(text, pdf.FONT_BOLD, size) <= width:
            return [text], size
    return pdf.wrap(text, pdf.FONT_BOLD, smallest, width)[:3], smallest


def draw(*, heading: str, subtitle: str, holder_name: str, number: str, date_text: str,
         issuer_name: str) -> Image.Image:  # fmt: skip
    """The badge image: a medal with the achievement, the holder, the number and the date."""
    image = Image.new("RGB", (SIZE, SIZE), WHITE)
    canvas = ImageDraw.Draw(image)
    canvas.ellipse((10, 10, SIZE - 10, SIZE - 10), fill=ACCENT)
    canvas.ellipse((34, 34, SIZE - 34, SIZE - 34), fill=PALE)
    canvas.ellipse((44, 44, SIZE - 44, SIZE - 44), outline=ACCENT, width=3)
    _draw_line(canvas, heading, y=136, size=32, bold=True, fill=ACCENT)
    _draw_line(canvas, subtitle, y=182, size=22)
    lines, size = _fitted(holder_name, width=400, largest=40, smallest=22)
    y = 250 - (len(lines) - 1) * size // 2
    for line in lines:
        _draw_line(canvas, line, y=y, size=size, bold=True)
        y += size + 8
    _draw_line(canvas, f"n° {number}", y=352, size=24)
    _draw_line(canvas, date_text, y=392, size=22)
    _draw_line(canvas, issuer_name, y=452, size=17, fill=ACCENT)
    return image


def bake(image: Image.Image, token: str) -> bytes:
    """The PNG file of `image` with `token` in an `openbadgecredential` iTXt chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt(KEYWORD, token, lang="", tkey="", zip=False)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, optimize=True)
    return buffer.getvalue()


def read_baked(data: bytes) -> str:
    """The credential baked in a PNG file's `openbadgecredential` chunk."""
    if not data.startswith(PNG_SIGNATURE):
        raise BadgeError("Ce fichier n'est pas une image PNG.")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            # Checked before any pixel is decoded (decompression bombs).
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise BadgeError("Cette image est trop grande pour être un badge.")
            text = image.info.get(KEYWORD)
            if text is None:
                # Chunks after the image data are read only once the image is decoded.
                image.load()
                text = image.text.get(KEYWORD)
    except BadgeError:
        raise
    except Exception as error:  # Pillow raises many kinds of errors on a broken file
        raise BadgeError("Cette image PNG est illisible (fichier tronqué ou abîmé).") from error
    if not text:
        raise BadgeError(
            "Cette image ne contient pas de badge Open Badges "
            "(pas de bloc « openbadgecredential »)."
        )
    return str(text)
