"""Money helpers: every amount is a Decimal rounded to the cent, half up, in one place."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def money(value: Decimal) -> Decimal:
    """Round an amount to the cent (ROUND_HALF_UP)."""
    return value.quantize(CENT, ROUND_HALF_UP)


_EUR_CACHE: dict[str, str] = {}
_NNBSP = "\u202f"  # the French thousands separator (narrow no-break space)


def _group(digits: str) -> str:
    """``1234567`` → ``1 234 567`` (narrow no-break spaces), as ``f"{n:,}"`` then a replace."""
    n = len(digits)
    if n <= 3:
        return digits
    if n <= 6:
        return digits[:-3] + _NNBSP + digits[-3:]
    head = n % 3 or 3
    return digits[:head] + "".join([_NNBSP + digits[i : i + 3] for i in range(head, n, 3)])


def fmt_eur(value: Decimal) -> str:
    """French display of an amount: ``40 000 €`` or ``1 234,50 €`` (memoised by the amount's
    exact text: amounts repeat, and hashing a Decimal costs more than ``str``). A plain
    decimal text (digits, at most two decimals: every amount of the engine) is formatted
    from its own digits; any other value through Decimal's formatting."""
    key = str(value)
    text = _EUR_CACHE.get(key)
    if text is None:
        if key.isdecimal():  # whole euros (str of a Decimal has ASCII digits only)
            n = len(key)
            if n <= 3:
                text = key + " €"
            elif n <= 6:
                text = f"{key[:-3]}\u202f{key[-3:]} €"
            else:
                text = _group(key) + " €"
        else:
            units, dot, cents = key.partition(".")
            if units.isdecimal() and dot and len(cents) <= 2 and cents.isdecimal():
                if cents.strip("0"):
                    text = _group(units) + "," + cents.ljust(2, "0") + " €"
                else:
                    text = _group(units) + " €"
            elif value == value.to_integral_value():
                text = f"{int(value):,} €".replace(",", _NNBSP)
            else:
                text = f"{value:,.2f}".replace(",", _NNBSP).replace(".", ",") + " €"
        if len(_EUR_CACHE) > 4096:  # small: a big table is slower than formatting
            _EUR_CACHE.clear()
        _EUR_CACHE[key] = text
    return text


_RATE_CACHE: dict[str, str] = {}


def fmt_rate(value: Decimal) -> str:
    """French display of a rate: ``80 %``, ``5,5 %`` (memoised: a handful of barème rates)."""
    key = str(value)
    text = _RATE_CACHE.get(key)
    if text is None:
        pct = (value * HUNDRED).normalize()
        text = f"{pct:f}".replace(".", ",") + " %"
        if len(_RATE_CACHE) > 10_000:
            _RATE_CACHE.clear()
        _RATE_CACHE[key] = text
    return text
