"""The one French number parser and its formatters (issue 11, kind 1)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.formats import format_euros, format_number, format_percent
from lms.numbers import MAX_INTEGER_DIGITS, Problem, Unit, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 475", "15475"),
        ("15 475,50", "15475.50"),
        ("15475.5", "15475.5"),
        ("15.475,50", "15475.50"),
        ("15,475.50", "15475.50"),
        ("15\u202f475,50\u00a0€", "15475.50"),
        ("15\u00a0475 €", "15475"),
        ("15 475 euros", "15475"),
        ("1.234.567", "1234567"),
        ("0.475", "0.475"),
        ("1 000.5", "1000.5"),
        ("26,28 %", "26.28"),
        ("−3,5", "-3.5"),
        (",5", "0.5"),
        ("1,5", "1.5"),
        ("15,475", "15.475"),
    ],
)
def test_french_and_english_habits_are_read(text, expected):
    parsed = parse_number(text)
    assert parsed.ok and parsed.value == Decimal(expected)
    assert parsed.text == text  # what was typed is kept unchanged


def test_units_are_reported():
    assert parse_number("12 €").unit == Unit.EUROS
    assert parse_number("12 %").unit == Unit.PERCENT
    assert parse_number("12").unit == Unit.NONE


def test_dot_and_three_digits_is_ambiguous_and_says_so_in_french():
    parsed = parse_number("15.475")
    assert parsed.value is None and parsed.is_ambiguous
    assert "ambigu" in parsed.error and "15 475" in parsed.error and "15,475" in parsed.error
    assert parsed.text == "15.475"


@pytest.mark.parametrize(
    ("text", "problem", "words"),
    [
        ("1e5", Problem.EXPONENT, "sans exposant"),
        ("1,5E+3", Problem.EXPONENT, "sans exposant"),
        ("١٢٣", Problem.DIGITS, "chiffres 0 à 9"),
        ("１２", Problem.DIGITS, "chiffres 0 à 9"),
        ("NaN", Problem.NOT_FINITE, "n'est pas un nombre"),
        ("-Infinity", Problem.NOT_FINITE, "n'est pas un nombre"),
        ("12 34", Problem.INVALID, "groupes de trois"),
        ("abc", Problem.INVALID, "Saisissez un nombre"),
        ("1" * 16, Problem.TOO_LARGE, "trop grand"),
        ("1" * 61, Problem.TOO_LONG, "trop long"),
        ("0,0000001", Problem.TOO_PRECISE, "après la virgule"),
    ],
)
def test_refusals_carry_a_french_message(text, problem, words):
    parsed = parse_number(text)
    assert parsed.value is None and parsed.problem == problem
    assert words in parsed.error


def test_bounds_are_inclusive_and_named_in_french():
    assert parse_number("100", maximum=100).value == 100
    too_big = parse_number("100 000 001", maximum=100_000_000)
    assert too_big.problem == Problem.TOO_LARGE and "100\u202f000\u202f000" in too_big.error
    assert parse_number("-1", minimum=0).problem == Problem.TOO_SMALL
    assert parse_number(10**26, maximum=10**8).problem == Problem.TOO_LARGE
    assert parse_number(10**30).problem == Problem.TOO_LARGE


def test_blank_is_neither_a_value_nor_an_error():
    for blank in (None, "", "   "):
        parsed = parse_number(blank)
        assert parsed.is_blank and parsed.ok and parsed.value is None


amounts = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@settings(max_examples=300, deadline=None)
@given(amounts)
def test_formatted_euros_read_back_to_the_same_amount(value):
    assert parse_number(format_euros(value, cents=True)).value == value


@settings(max_examples=300, deadline=None)
@given(amounts)
def test_formatted_numbers_and_percentages_read_back(value):
    assert parse_number(format_number(value)).value == value
    assert parse_number(format_percent(value)).value == value


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_without_raising(text):
    parsed = parse_number(text)
    assert (parsed.value is None) or parsed.ok
    assert parsed.ok or parsed.error
    if parsed.value is not None:
        assert abs(parsed.value) < Decimal(10) ** MAX_INTEGER_DIGITS


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 .,-+€%e\u00a0\u202f'", max_size=30))
def test_number_like_text_never_raises(text):
    parse_number(text)
