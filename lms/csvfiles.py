"""CSV files in and out, the one place for both directions.

Out: `SpreadsheetWriter` is the only CSV writer of the project (attendance sheets, national
tracker, any later export). It writes what French spreadsheets open right (UTF-8 with BOM, `;`,
CRLF) and neutralises text cells that a spreadsheet would run as a formula (CSV injection):
a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote,
as OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection). Numbers passed as
numbers (int, Decimal, float) are written as they are, so `-3` stays a number.

In: `read_text` turns the bytes people upload into text (UTF-8 with or without BOM, UTF-16 with
BOM, Windows-1252 / ISO-8859-1 as Excel saves "CSV (séparateur : point-virgule)" on a French
Windows) with `charset-normalizer`, and `sniff_delimiter` finds `;`, `,` or tab, honouring
Excel's `sep=;` first line.
"""

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpResponse

from charset_normalizer import from_bytes

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = (";", ",", "\t")
ACCEPTED_ENCODINGS_LABEL = "UTF-8 (avec ou sans BOM), UTF-16, Windows-1252 ou ISO-8859-1"
# Single-byte encodings a French spreadsheet writes; charset-normalizer picks among them only,
# so a short file is not read as, say, Cyrillic.
_LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
_ENCODING_LABELS = {
    "utf_8": "UTF-8",
    "utf_16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin_1": "ISO-8859-1",
    "iso8859_15": "ISO-8859-15",
}


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula (first character, OWASP list)."""
    return bool(text) and text.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """A text cell safe to open in a spreadsheet: `"=1+1"` -> `"'=1+1"`; other values unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


class SpreadsheetWriter:
    """`csv.writer` for exports: `;`, CRLF, formula cells neutralised, UTF-8 with BOM.

    >>> writer = SpreadsheetWriter()
    >>> writer.writerow(["=HYPERLINK(\\"x\\")", 3])
    >>> writer.content()
    b'\\xef\\xbb\\xbf"\\'=HYPERLINK(""x"")";3\\r\\n'
    """

    def __init__(self):
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=";", lineterminator="\r\n")

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)

    def content(self) -> bytes:
        """The file: UTF-8 with BOM (Excel then reads the accents right)."""
        return ("\ufeff" + self._buffer.getvalue()).encode("utf-8")


def csv_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment download of a CSV file (`SpreadsheetWriter.content()`)."""
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class UndecodableFile(ValueError):
    """The bytes are in no accepted encoding; `line` is where the first bad byte is (1-based)."""

    def __init__(self, line: int):
        super().__init__(f"encodage non reconnu (ligne {line})")
        self.line = line


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # a label for people: "UTF-8", "Windows-1252"…


def read_text(raw: bytes) -> DecodedText:
    """Decode an uploaded CSV file. UTF-8 first (strict; the BOM is dropped), UTF-16 when it
    starts with its BOM, otherwise the single-byte encoding `charset-normalizer` finds most
    plausible among Windows-1252, ISO-8859-1 and ISO-8859-15.

    Raises `UndecodableFile` (with the line of the first undecodable byte) when none fits.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return DecodedText(raw.decode("utf-16"), "UTF-16")
        except UnicodeDecodeError as error:
            raise UndecodableFile(_line_of(raw, error.start)) from error
    try:
        return DecodedText(raw.decode("utf-8-sig"), "UTF-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    best = from_bytes(raw, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None:
        raise UndecodableFile(_line_of(raw, first_bad))
    return DecodedText(str(best), _ENCODING_LABELS.get(best.encoding, best.encoding))


def _line_of(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + raw[:offset].count(b"\r") - raw[:offset].count(b"\r\n") + 1


@dataclass(frozen=True)
class Layout:
    """Where the table starts and how its cells are separated."""

    delimiter: str
    skipped_lines: int  # 1 when the file starts with Excel's `sep=` line


def sniff_layout(text: str, *, expected: frozenset[str] = frozenset()) -> Layout:
    """The delimiter of a CSV text: Excel's first line `sep=;` when present; else the delimiter
    that splits the header into the most `expected` column names (compared lower-case, without
    accents); else what `csv.Sniffer` finds on the first lines among `;`, `,` and tab; else `;`."""
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        return Layout(first[4], 1)
    header = next((line for line in lines if line.strip()), "")
    if expected:
        found = {
            delimiter: len({fold(name) for name in header.split(delimiter)} & expected)
            for delimiter in DELIMITERS
        }
        best = max(DELIMITERS, key=lambda d: found[d])
        if found[best]:
            return Layout(best, 0)
    try:
        sample = "\n".join(lines[:20])
        return Layout(csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter, 0)
    except csv.Error:
        return Layout(";", 0)


def fold(name: str) -> str:
    """A column name compared without case, accents or surrounding spaces: " Prénom" -> "prenom"."""
    text = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def reader(text: str, layout: Layout):
    """A `csv.reader` over `text` that accepts CR, LF and CRLF line endings alike, after the
    `sep=` line. Its `line_num` counts the lines of the file, that first line included."""
    stream = io.StringIO(text, newline="")
    for _ in range(layout.skipped_lines):
        stream.readline()
    rows = csv.reader(stream, delimiter=layout.delimiter)
    return _Counted(rows, layout.skipped_lines)


class _Counted:
    def __init__(self, rows, offset: int):
        self._rows = rows
        self._offset = offset

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._rows)

    @property
    def line_num(self) -> int:
        return self._rows.line_num + self._offset


def neutralise_wagtail_exports() -> None:
    """Route every CSV cell of Wagtail's own exports (site history, aging pages, workflow
    reports, any viewset with `list_export`) through `neutralise`.

    Wagtail's `SpreadsheetExportMixin` turns formulas back into text in its XLSX files but writes
    CSV cells as they are, and offers no setting for it; page titles and staff names are typed by
    people. Called once from `LmsConfig.ready`; idempotent."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        return neutralise(value) if export_format == self.FORMAT_CSV else value

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
