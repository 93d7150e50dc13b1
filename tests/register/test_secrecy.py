"""Small counts are kept secret, and no hidden count can be worked out from the total."""

from hypothesis import given
from hypothesis import strategies as st

from assessments.register.rules import SECRECY_THRESHOLD, secrecy, secret_cells


def test_small_counts_are_hidden_with_a_second_cell_when_alone():
    counts = {"a": 2, "b": 40, "c": 7, "d": 0}
    hidden = secret_cells(counts)
    assert hidden == {"a", "c"}  # "a" is small; "c", the next smallest, hides it from the total


def test_nothing_is_hidden_when_every_count_is_large_or_zero():
    assert secret_cells({"a": 0, "b": 5, "c": 12}) == set()


def test_two_small_cells_adding_up_below_the_threshold_take_a_third():
    assert secret_cells({"a": 1, "b": 1, "c": 9, "d": 30}) == {"a", "b", "c"}


counts_strategy = st.dictionaries(
    st.tuples(st.sampled_from(["aude", "kreiz", "laval", "metz"]), st.integers(2024, 2030)),
    st.integers(0, 30),
    max_size=12,
)


@given(counts_strategy)
def test_no_hidden_count_can_be_deduced_from_the_total(counts):
    hidden = secret_cells(counts)
    nonzero = {key for key, count in counts.items() if count}
    # Every small count is hidden, zeros never are.
    assert {key for key in nonzero if counts[key] < SECRECY_THRESHOLD} <= hidden
    assert hidden <= nonzero
    # Total minus the visible cells gives the hidden sum: never one cell alone, never a sum so
    # small that it pins the cells — unless everything non-zero is hidden already.
    if hidden and hidden != nonzero:
        assert len(hidden) >= 2
        assert sum(counts[key] for key in hidden) >= SECRECY_THRESHOLD


@given(counts_strategy)
def test_the_secret_cells_do_not_depend_on_the_order_of_the_table(counts):
    reversed_counts = dict(reversed(list(counts.items())))
    assert secret_cells(counts) == secret_cells(reversed_counts)


def by_year(counts):
    years = {year for _territory, year in counts}
    return {year: [key for key in counts if key[1] == year] for year in years}


def test_a_small_count_cannot_be_worked_out_from_its_year():
    # The certified per year are published: hiding (aude, 2025) beside (aude, 2026) would let
    # 2026's total minus kreiz's 10 give aude's 3.
    counts = {("aude", 2025): 10, ("aude", 2026): 3, ("kreiz", 2025): 12, ("kreiz", 2026): 10}
    hidden = secrecy(counts, by_year(counts))
    assert ("aude", 2026) in hidden.cells and ("kreiz", 2026) in hidden.cells
    assert not hidden.margins


def test_a_year_with_one_territory_hides_its_total_and_another_year_s():
    """2026 has certified people in Aude only (3): the year's figure would be Aude's count.
    It is hidden, and so is a second year's (the national total minus the visible years would
    give 2026 back), with a cell of that year (else its visible cells would add up to it)."""
    counts = {("aude", 2025): 10, ("kreiz", 2025): 12, ("aude", 2026): 3}
    hidden = secrecy(counts, by_year(counts))
    assert hidden.margins == {2025, 2026}
    assert ("aude", 2026) in hidden.cells
    assert ("aude", 2025) in hidden.cells  # the smallest of 2025: 10 + 3 >= 5, two cells
    assert ("kreiz", 2025) not in hidden.cells


def published_equations(counts, margins, hidden):
    """What an attacker can write down: for each published sum, the hidden cells it covers and
    their total (the published figure minus the visible cells)."""
    equations = []
    visible_margin_cells = set()
    for name, cells in margins.items():
        if name not in hidden.margins:
            visible_margin_cells |= set(cells)
            equations.append({key for key in cells if key in hidden.cells})
    pool = {key for key in counts if key not in visible_margin_cells and key in hidden.cells}
    equations.append(pool)
    # Linear combinations of disjoint sums give nothing finer than the sums themselves.
    return equations


@given(counts_strategy)
def test_no_hidden_count_can_be_deduced_from_the_published_sums(counts):
    margins = by_year(counts)
    hidden = secrecy(counts, margins)
    nonzero = {key for key, count in counts.items() if count}
    assert {key for key in nonzero if counts[key] < SECRECY_THRESHOLD} <= hidden.cells
    assert hidden.cells <= nonzero
    for inside in published_equations(counts, margins, hidden):
        if inside and hidden.cells != nonzero:
            assert len(inside) >= 2, (inside, hidden)
            assert sum(counts[key] for key in inside) >= SECRECY_THRESHOLD
        elif inside and len(inside) == 1:
            # Everything is hidden and one cell is alone: only when it is the whole country.
            assert inside == nonzero


@given(counts_strategy)
def test_margins_are_hidden_only_when_their_cells_cannot_hide_each_other(counts):
    margins = by_year(counts)
    hidden = secrecy(counts, margins)
    for year in hidden.margins:
        assert any(counts[key] for key in margins[year])
