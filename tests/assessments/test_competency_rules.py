"""The competency level and eligibility rules (pure, no database)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessments.certification.rules import (
    IN_PROGRESS,
    NOT_ASSESSED,
    REACHED,
    attendance_percent,
    certification_eligibility,
    competency_level,
    format_percent,
)

CODES = ["C1", "C2", "C3", "C4", "C5"]
percents = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)
percent_lists = st.lists(percents, max_size=6)


def test_both_sources_count_half_each():
    result = competency_level([Decimal(80), Decimal(60)], [Decimal(90)], 70)
    assert result.assessment_level == Decimal("70.0")
    assert result.dossier_level == Decimal("90.0")
    assert result.level == Decimal("80.0")
    assert result.proposal == REACHED
    assert (result.assessment_count, result.dossier_count) == (2, 1)


def test_missing_source_lets_the_other_count_fully():
    assert competency_level([Decimal(65)], [], 70).level == Decimal("65.0")
    assert competency_level([], [Decimal("72.5")], 70).level == Decimal("72.5")


def test_no_evidence_is_not_assessed():
    result = competency_level([], [], 70)
    assert result.level is None
    assert result.proposal == NOT_ASSESSED
    assert result.proposal_label == "Non évaluée"


def test_level_equal_to_threshold_is_reached_and_below_is_in_progress():
    assert competency_level([Decimal(70)], [], 70).proposal == REACHED
    assert competency_level([Decimal("69.9")], [], 70).proposal == IN_PROGRESS


def test_level_is_rounded_half_up_to_one_decimal():
    assert competency_level([Decimal("70.04"), Decimal("70.11")], [], 70).level == Decimal("70.1")


def test_out_of_range_scores_are_clamped():
    assert competency_level([Decimal(130)], [Decimal(-10)], 70).level == Decimal("50.0")


@given(percent_lists, percent_lists, st.integers(min_value=0, max_value=100))
def test_level_stays_between_0_and_100(assessments, dossiers, threshold):
    level = competency_level(assessments, dossiers, threshold).level
    if assessments or dossiers:
        assert Decimal(0) <= level <= Decimal(100)
    else:
        assert level is None


@given(
    st.lists(percents, min_size=1, max_size=6),
    percent_lists,
    st.data(),
)
def test_a_higher_assessment_score_never_lowers_the_level(assessments, dossiers, data):
    index = data.draw(st.integers(min_value=0, max_value=len(assessments) - 1))
    raised = list(assessments)
    raised[index] = data.draw(st.decimals(min_value=assessments[index], max_value=100, places=1))
    before = competency_level(assessments, dossiers, 70).level
    after = competency_level(raised, dossiers, 70).level
    assert after >= before


@given(percent_lists, st.lists(percents, min_size=1, max_size=6), st.data())
def test_a_higher_dossier_score_never_lowers_the_level(assessments, dossiers, data):
    index = data.draw(st.integers(min_value=0, max_value=len(dossiers) - 1))
    raised = list(dossiers)
    raised[index] = data.draw(st.decimals(min_value=dossiers[index], max_value=100, places=1))
    assert (
        competency_level(assessments, raised, 70).level
        >= competency_level(assessments, dossiers, 70).level
    )


@given(percent_lists, percent_lists, st.integers(0, 100), st.integers(0, 100))
def test_a_lower_threshold_never_turns_reached_into_in_progress(a, d, low, high):
    low, high = sorted((low, high))
    if competency_level(a, d, high).proposal == REACHED:
        assert competency_level(a, d, low).proposal == REACHED


def test_attendance_percent_is_hours_over_programme_hours():
    assert attendance_percent(Decimal("84"), Decimal("105")) == Decimal("80.0")
    assert attendance_percent(Decimal("105"), Decimal("105")) == Decimal("100.0")
    assert attendance_percent(Decimal("10"), Decimal("0")) == Decimal("0")


def test_eligible_with_five_validated_competencies_and_enough_attendance():
    result = certification_eligibility(
        validated_codes=CODES,
        required_codes=CODES,
        attended_hours=Decimal("84"),
        programme_hours=Decimal("105"),
        attendance_threshold=80,
        final_passed=True,
    )
    assert result.eligible
    assert result.reasons == ()


def test_not_eligible_names_the_missing_competency_and_low_attendance():
    result = certification_eligibility(
        validated_codes=["C1", "C2", "C3", "C5"],
        required_codes=CODES,
        attended_hours=Decimal("80.5"),
        programme_hours=Decimal("105"),
        attendance_threshold=80,
        final_passed=True,
    )
    assert not result.eligible
    assert result.missing_competencies == ("C4",)
    assert "C4" in result.reasons[0]
    assert "76,7 %" in result.reasons[1]
    assert "il manque 3,3 points" in result.reasons[1]


def test_no_required_competency_is_never_eligible():
    result = certification_eligibility(
        validated_codes=[],
        required_codes=[],
        attended_hours=105,
        programme_hours=105,
        attendance_threshold=80,
        final_passed=True,
    )
    assert not result.eligible


@given(st.sets(st.sampled_from(CODES)), st.decimals(min_value=0, max_value=105, places=1))
def test_eligibility_needs_all_five_and_threshold(validated, hours):
    result = certification_eligibility(
        validated_codes=validated,
        required_codes=CODES,
        attended_hours=hours,
        programme_hours=105,
        attendance_threshold=80,
        final_passed=True,
    )
    assert result.eligible == (len(validated) == 5 and hours / 105 * 100 >= Decimal("79.95"))


def test_format_percent_uses_a_french_decimal_comma():
    assert format_percent(Decimal("82.5")) == "82,5"
    assert format_percent(Decimal("80.0")) == "80"
