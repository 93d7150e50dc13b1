"""One formatter for what the platform shows in French: numbers, euros, percentages, hours,
dates and times. Pure functions over Babel's CLDR data for fr_FR (no Django), so pages, PDFs and
CSV exports write "12 475,50 €", "26,28 %", "3 h 30" and "mercredi 11 mars 2026" the same way.
Template filters (`lms_tags`: euros, number, percent, hours, thousands) call these.

Numbers use the narrow no-break space (U+202F) between thousands and a comma as decimal mark; a
unit is preceded by a no-break space (U+00A0). `lms.numbers.parse_number` reads every output back
to the same value (property test).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"
PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def format_number(value, places: int | None = None, *, keep_zeros: bool = False) -> str:
    """12475.5 → "12 475,5". `places` rounds half up (None: as many as the value has, at most 6);
    trailing zeros are dropped unless `keep_zeros`. Non-numbers are returned as text unchanged."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    with localcontext() as context:
        context.prec = max(28, number.adjusted() + 10)
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        shown = places if places is not None else min(max(-number.as_tuple().exponent, 0), 6)
        minimum = shown if keep_zeros else 0
        pattern = "#,##0" + ("." + "0" * minimum + "#" * (shown - minimum) if shown else "")
        return format_decimal(number, format=pattern, locale=LOCALE, decimal_quantization=True)


def format_euros(value, *, cents: bool | None = None) -> str:
    """12475.5 → "12 475,50 €", 12475 → "12 475 €" (cents shown only when there are some,
    unless `cents` forces them on or off)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    rounded = (
        number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if number.adjusted() < 20
        else number
    )
    with_cents = cents if cents is not None else rounded != rounded.to_integral_value()
    return f"{format_number(rounded, 2 if with_cents else 0, keep_zeros=True)}{NBSP}€"


def format_percent(value, places: int = 2) -> str:
    """26.2812 → "26,28 %" (the value is already a percentage, not a ratio)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{format_number(number, places)}{NBSP}%"


def format_hours(hours) -> str:
    """Decimal hours as a French reader says them: 3.5 → "3 h 30", 21 → "21 h", 0.25 → "0 h 15"."""
    number = _decimal(hours)
    if number is None:
        return ""
    sign = "-" if number < 0 else ""
    minutes_total = int((abs(number) * 60).to_integral_value(rounding=ROUND_HALF_UP))
    whole, minutes = divmod(minutes_total, 60)
    return f"{sign}{whole} h {minutes:02d}" if minutes else f"{sign}{whole} h"


def format_time(moment: datetime.datetime | datetime.time) -> str:
    """9 h 04, 13 h 30 (an aware datetime is shown in Paris time)."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(PARIS)
        moment = moment.time()
    return f"{moment.hour} h {moment.minute:02d}"


def format_month(day: datetime.date) -> str:
    """ "mars 2026"."""
    return babel_format_date(day, "MMMM y", locale=LOCALE)


def format_date(day: datetime.date, *, weekday: bool = True, year: bool = True) -> str:
    """ "mercredi 11 mars 2026", "1er mars 2026" (the French ordinal for the first of a month)."""
    if isinstance(day, datetime.datetime):
        day = day.astimezone(PARIS).date() if day.tzinfo is not None else day.date()
    pattern = ("EEEE " if weekday else "") + "d MMMM" + (" y" if year else "")
    text = babel_format_date(day, pattern, locale=LOCALE)
    if day.day == 1:
        text = text.replace(" 1 ", " 1er ", 1) if weekday else text.replace("1 ", "1er ", 1)
    return text


def format_moment(moment: datetime.datetime | None) -> str:
    """ "1er mars 2026 à 9 h 04" (Paris time): the one French form of a moment ("Soumis le …")."""
    if not moment:
        return ""
    return f"{format_date(moment, weekday=False)} à {format_time(moment)}"
