"""Scores (pure): automatic, rubric, and their combination."""

from decimal import Decimal

import pytest

from casestudies.grading import automatic_score, milestone_score, rubric_score, scored_agreement

CRITERIA = [{"key": "a", "points": 4}, {"key": "b", "points": 3}, {"key": "c", "points": 3}]


def test_automatic_score_is_the_share_of_fields_right():
    assert automatic_score([True, True, False]) == Decimal("66.67")
    assert automatic_score([True]) == Decimal("100.00")
    assert automatic_score([]) is None


def test_rubric_score_is_points_over_available_and_clamps_out_of_range_points():
    assert rubric_score({"a": 4, "b": 3, "c": 3}, CRITERIA) == Decimal("100.00")
    assert rubric_score({"a": 2}, CRITERIA) == Decimal("20.00")
    assert rubric_score({"a": 99, "b": -5, "c": 0}, CRITERIA) == Decimal("40.00")


def test_rubric_without_points_is_an_error():
    with pytest.raises(ValueError):
        rubric_score({}, [{"key": "a", "points": 0}])


def test_milestone_score_weighs_40_percent_simulator_and_60_percent_rubric():
    assert milestone_score(Decimal(50), Decimal(100)) == Decimal("80.00")
    assert milestone_score(None, Decimal("72.5")) == Decimal("72.50")


def test_the_scored_agreement_is_the_first_submission_that_was_compared():
    assert scored_agreement([Decimal(0), Decimal(100)]) == Decimal(0)
    assert scored_agreement([None, Decimal(40), Decimal(100)]) == Decimal(40)
    assert scored_agreement([None, None]) is None
    assert scored_agreement([]) is None
