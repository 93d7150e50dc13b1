"""The closed set of operations."""

from __future__ import annotations

from decimal import Decimal as D

from casestudies.simulator.money import fmt_eur, fmt_rate, money
from casestudies.simulator.ops import (
    Cond,
    all_of,
    any_of,
    bracket,
    ceiling,
    ecretement,
    floor,
    rate,
)


def test_money_rounds_half_up_to_the_cent():
    assert money(D("0.005")) == D("0.01")
    assert money(D("2.675")) == D("2.68")
    assert money(D("-0.005")) == D("-0.01")


def test_french_formatting():
    assert fmt_eur(D("40000")) == "40\u202f000 €"
    assert fmt_eur(D("1234.5")) == "1\u202f234,50 €"
    assert fmt_rate(D("0.055")) == "5,5 %"
    assert fmt_rate(D("0.8")) == "80 %"


def test_bracket_upper_bounds_are_inclusive():
    labels = ("gain_2", "gain_3", "gain_4_plus")
    assert bracket(2, (2, 3), labels) == "gain_2"
    assert bracket(3, (2, 3), labels) == "gain_3"
    assert bracket(6, (2, 3), labels) == "gain_4_plus"


def test_rate_and_ceiling_explain_themselves():
    amount, step = rate(D("40000"), D("0.8"), "Taux", "source")
    assert amount == D("32000.00")
    assert step.value == "80 % × 40\u202f000 € = 32\u202f000 €"
    capped, step = ceiling(D("45000"), D("40000"), "Plafond", "source")
    assert capped == D("40000") and "plafonné" in step.value
    kept, step = ceiling(D("30000"), D("40000"), "Plafond", "source")
    assert kept == D("30000") and "non atteint" in step.value


def test_floor():
    assert floor(D("-3")) == 0
    assert floor(D("3")) == D("3")


def test_ecretement_reduces_the_first_amount_first():
    reduced, cut = ecretement([D(35000), D(10000)], D(42200))
    assert reduced == [D(32200), D(10000)] and cut == D(2800)
    reduced, cut = ecretement([D(1000), D(10000)], D(5000))
    assert reduced == [D(0), D(5000)] and cut == D(6000)
    reduced, cut = ecretement([D(1000)], D(5000))
    assert reduced == [D(1000)] and cut == 0


def test_all_of_is_three_valued():
    assert all_of([Cond(True, "a"), Cond(True, "b")]).ok is True
    verdict = all_of([Cond(False, "raison a"), Cond(None, "b", "home.x"), Cond(False, "raison c")])
    assert verdict.ok is False and verdict.reasons == ("raison a", "raison c")
    verdict = all_of([Cond(True, "a"), Cond(None, "b", "home.x")])
    assert verdict.ok is None and verdict.missing == ("home.x",)


def test_any_of_is_three_valued():
    assert any_of([Cond(False, ""), Cond(True, "")], "r").ok is True
    assert any_of([Cond(False, ""), Cond(None, "", "household.gir")], "r") == Cond(
        None, "r", "household.gir"
    )
    assert any_of([Cond(False, ""), Cond(False, "")], "r") == Cond(False, "r")
