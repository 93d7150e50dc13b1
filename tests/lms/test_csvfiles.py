"""The one CSV module: exports neutralise formulas, imports read what spreadsheets save."""

import codecs
import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.csvfiles import (
    SpreadsheetWriter,
    UndecodableFile,
    looks_like_formula,
    neutralise,
    read_text,
    sniff_layout,
)


@pytest.mark.parametrize("cell", ["=1+1", "+33", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_a_spreadsheet_would_run_get_a_leading_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Martin", "", "l'Isle", " =1", "a=b", 3, -3])
def test_other_cells_and_numbers_are_unchanged(cell):
    assert neutralise(cell) == cell


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), max_size=5))
def test_no_exported_text_cell_starts_like_a_formula(rows):
    writer = SpreadsheetWriter()
    writer.writerows(rows)
    content = writer.content()
    assert content.startswith(codecs.BOM_UTF8)
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    cells = [cell for row in read for cell in row]
    assert not any(looks_like_formula(cell) for cell in cells)
    # What was written comes back, only prefixed where it had to be.
    expected = [neutralise(cell) for row in rows for cell in row]
    assert cells == expected


def test_read_text_accepts_utf8_with_bom_windows_1252_and_utf16():
    assert read_text("\ufeffé".encode()).text == "é"
    assert read_text("nom;prénom\nRê;André\n".encode("cp1252")).encoding == "Windows-1252"
    assert read_text("nom\tprénom\n".encode("utf-16")).text == "nom\tprénom\n"


def test_read_text_refuses_binary_with_the_line():
    with pytest.raises(UndecodableFile) as raised:
        read_text(b"nom\n" + bytes(range(256)) * 4)
    assert raised.value.line >= 1


def test_sniff_layout_honours_excel_sep_line_then_expected_columns():
    assert sniff_layout("sep=,\nemail,nom\n").skipped_lines == 1
    assert sniff_layout("email\tnom;x\n", expected=frozenset({"email", "nom"})).delimiter == "\t"
    assert sniff_layout("a,b,c\n1,2,3\n").delimiter == ","
