"""The certification rules (pure): access to the final evaluation and eligibility, with the
failed rule and the shortfall."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessments.certification.rules import (
    RULE_ATTENDANCE,
    RULE_ATTENDANCE_TO_DATE,
    RULE_COMPETENCIES,
    RULE_FINAL_PASSED,
    RULE_NO_PENDING_CORRECTION,
    RULE_POSITIONING,
    attendance_percent,
    certification_eligibility,
    final_evaluation_access,
)

CODES = ["C1", "C2", "C3", "C4", "C5"]
hours = st.decimals(min_value=0, max_value=105, places=1, allow_nan=False)
thresholds = st.integers(min_value=0, max_value=100)


def eligibility(**overrides):
    """Eligibility of a trainee meeting every rule, but for `overrides`."""
    values = {
        "validated_codes": CODES,
        "required_codes": CODES,
        "attended_hours": 105,
        "programme_hours": 105,
        "attendance_threshold": 80,
        "final_passed": True,
    }
    return certification_eligibility(**{**values, **overrides})


def test_final_access_under_the_threshold_says_by_how_much():
    access = final_evaluation_access(
        attended_hours=Decimal("35"),
        held_hours=Decimal("105"),
        attendance_threshold=80,
        positioning_required=True,
        positioning_done=True,
    )
    assert not access.allowed
    assert [check.rule for check in access.failed] == [RULE_ATTENDANCE_TO_DATE]
    assert access.failed[0].shortfall == Decimal("46.7")
    assert access.reasons == (
        "Assiduité à ce jour de 33,3 %, sous le seuil de 80 % du programme "
        "(il manque 46,7 points).",
    )


def test_final_access_needs_the_positioning_test_when_there_is_one():
    access = final_evaluation_access(
        attended_hours=Decimal("98"),
        held_hours=Decimal("98"),
        attendance_threshold=80,
        positioning_required=True,
        positioning_done=False,
    )
    assert [check.rule for check in access.failed] == [RULE_POSITIONING]
    assert "positionnement" in access.reasons[0]


def test_final_access_before_any_half_day_is_refused():
    access = final_evaluation_access(
        attended_hours=0,
        held_hours=0,
        attendance_threshold=80,
        positioning_required=False,
        positioning_done=False,
    )
    assert not access.allowed


@given(hours, hours, thresholds, st.booleans(), st.booleans())
def test_final_access_is_exactly_threshold_and_positioning(
    attended, held, threshold, required, done
):
    attended = min(attended, held)
    access = final_evaluation_access(
        attended_hours=attended,
        held_hours=held,
        attendance_threshold=threshold,
        positioning_required=required,
        positioning_done=done,
    )
    percent = attendance_percent(attended, held)
    assert access.allowed == (percent >= threshold and (done or not required))
    for check in access.failed:
        assert check.message
        if check.rule == RULE_ATTENDANCE_TO_DATE:
            assert check.shortfall == (Decimal(threshold) - percent)
            assert check.shortfall > 0


@given(hours, thresholds, thresholds)
def test_a_lower_threshold_never_closes_the_final(attended, low, high):
    low, high = sorted((low, high))

    def allowed(threshold):
        return final_evaluation_access(
            attended_hours=attended,
            held_hours=Decimal("105"),
            attendance_threshold=threshold,
            positioning_required=False,
            positioning_done=False,
        ).allowed

    assert not allowed(high) or allowed(low)


def test_a_failed_final_is_never_eligible_whatever_else():
    result = eligibility(final_passed=False)
    assert not result.eligible
    assert result.check(RULE_FINAL_PASSED).message == "L'évaluation finale n'est pas réussie."


def test_a_final_not_yet_graded_is_not_eligible():
    result = eligibility(final_passed=None)
    assert result.reasons == ("L'évaluation finale n'est pas encore réussie.",)


def test_pending_corrections_are_counted():
    result = eligibility(pending_corrections=2)
    check = result.check(RULE_NO_PENDING_CORRECTION)
    assert not check.met and check.shortfall == 2
    assert result.reasons == ("2 évaluations en attente de correction.",)


@given(
    st.sets(st.sampled_from(CODES)),
    hours,
    thresholds,
    st.sampled_from([True, False, None]),
    st.integers(min_value=0, max_value=5),
)
def test_eligible_exactly_when_the_four_rules_hold(validated, attended, threshold, final, pending):
    result = eligibility(
        validated_codes=validated,
        attended_hours=attended,
        attendance_threshold=threshold,
        final_passed=final,
        pending_corrections=pending,
    )
    expected = {
        RULE_FINAL_PASSED: final is True,
        RULE_COMPETENCIES: len(validated) == 5,
        RULE_ATTENDANCE: attendance_percent(attended, 105) >= threshold,
        RULE_NO_PENDING_CORRECTION: pending == 0,
    }
    assert {check.rule: check.met for check in result.checks} == expected
    assert result.eligible == all(expected.values())
    assert len(result.reasons) == list(expected.values()).count(False)
    if not expected[RULE_COMPETENCIES]:
        assert result.check(RULE_COMPETENCIES).shortfall == 5 - len(validated)
