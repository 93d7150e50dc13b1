"""Small counts are kept secret, and no hidden count can be worked out from the total."""

from hypothesis import given
from hypothesis import strategies as st

from assessments.register.rules import SECRECY_THRESHOLD, secret_cells


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


def test_a_small_count_cannot_be_worked_out_from_its_year():
    # The certified per year are published: hiding (aude, 2025) beside (aude, 2026) would let
    # 2026's total minus kreiz's 10 give aude's 3.
    counts = {("aude", 2025): 10, ("aude", 2026): 3, ("kreiz", 2025): 12, ("kreiz", 2026): 10}
    years = [[key for key in counts if key[1] == year] for year in (2025, 2026)]
    hidden = secret_cells(counts, margins=years)
    assert ("aude", 2026) in hidden and ("kreiz", 2026) in hidden


@given(counts_strategy)
def test_no_hidden_count_can_be_deduced_from_a_year_total(counts):
    years = {year for _territory, year in counts}
    margins = [[key for key in counts if key[1] == year] for year in years]
    hidden = secret_cells(counts, margins=margins)
    for group in [list(counts), *margins]:
        inside = hidden.intersection(group)
        visible = {key for key in group if counts[key] and key not in hidden}
        if inside and visible:
            assert len(inside) >= 2
            assert sum(counts[key] for key in inside) >= SECRECY_THRESHOLD
