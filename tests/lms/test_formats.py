"""The one French formatter (lms.formats) and the template filters built on it."""

import datetime
from decimal import Decimal

from django.template import Context, Template

from lms.formats import (
    format_date,
    format_euros,
    format_hours,
    format_month,
    format_number,
    format_percent,
    format_time,
)

NNBSP, NBSP = "\u202f", "\u00a0"


def test_amounts_group_thousands_with_a_narrow_no_break_space():
    assert format_euros(Decimal("12475.5")) == f"12{NNBSP}475,50{NBSP}€"
    assert format_euros(Decimal("12475")) == f"12{NNBSP}475{NBSP}€"
    assert format_euros(Decimal("12475"), cents=True) == f"12{NNBSP}475,00{NBSP}€"
    assert format_number(Decimal("1234567.891"), 2) == f"1{NNBSP}234{NNBSP}567,89"
    assert format_percent(Decimal("26.2812")) == f"26,28{NBSP}%"


def test_huge_or_odd_values_do_not_raise():
    assert format_euros(Decimal("1E+30")).endswith("€")
    assert format_number(Decimal("NaN")) == "NaN"
    assert format_euros("abc") == "abc"
    assert format_euros(None) == ""


def test_hours_dates_and_times_are_written_the_french_way():
    assert format_hours(Decimal("3.5")) == "3 h 30"
    assert format_hours(Decimal("9.33")) == "9 h 20"
    assert format_hours(21) == "21 h"
    assert format_date(datetime.date(2026, 5, 1)) == "vendredi 1er mai 2026"
    assert format_date(datetime.date(2026, 3, 11), weekday=False) == "11 mars 2026"
    assert format_date(datetime.date(2026, 3, 1), weekday=False, year=False) == "1er mars"
    assert format_month(datetime.date(2026, 8, 3)) == "août 2026"
    assert format_time(datetime.datetime(2026, 3, 11, 8, 4, tzinfo=datetime.UTC)) == "9 h 04"


def test_template_filters_use_the_same_formatter():
    rendered = Template(
        "{{ a|euros }}|{{ n|thousands }}|{{ p|percent }}|{{ h|hours }}|{{ x|number:1 }}"
    ).render(
        Context(
            {"a": Decimal("1500"), "n": 11500, "p": Decimal("5.5"), "h": Decimal("7.5"), "x": 2.25}
        )
    )
    assert rendered == f"1{NNBSP}500{NBSP}€|11{NNBSP}500|5,5{NBSP}%|7 h 30|2,3"
