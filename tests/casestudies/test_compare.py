"""Comparison of a trainee's answers with the simulator (pure, no database)."""

import datetime
from decimal import Decimal

import pytest

from casestudies.compare import compare_milestone
from casestudies.situations import load_golden_case, simulate_case
from lms.formats import format_euros

from .conftest import IDENTIFIER_OK, ORGANISER_OK


def golden(name):
    situation = load_golden_case(name)["situation"]
    filed_on = datetime.date.fromisoformat(situation["as_of"])
    return simulate_case(situation, filed_on=filed_on), situation


def by_field(comparisons):
    return {c.field: c for c in comparisons}


def test_right_answers_agree_on_every_compared_field():
    result, situation = golden("cas-a-2026-tmo-f-c")
    for milestone, answers in (("identifier", IDENTIFIER_OK), ("organiser", ORGANISER_OK)):
        comparisons = compare_milestone(milestone, answers, result, situation)
        assert comparisons and all(c.ok for c in comparisons), [c for c in comparisons if not c.ok]


def test_amounts_agree_within_one_euro_and_percentages_within_half_a_point():
    result, situation = golden("cas-a-2026-tmo-f-c")
    near = dict(ORGANISER_OK, reste_a_charge="15 476", reste_a_charge_pct="33,1")
    fields = by_field(compare_milestone("organiser", near, result, situation))
    assert fields["reste_a_charge"].ok and fields["reste_a_charge_pct"].ok
    far = dict(ORGANISER_OK, reste_a_charge="15 476,01", reste_a_charge_pct="33,11")
    fields = by_field(compare_milestone("organiser", far, result, situation))
    assert not fields["reste_a_charge"].ok and not fields["reste_a_charge_pct"].ok


def test_a_wrong_aid_shows_the_simulators_trace_with_its_source():
    result, situation = golden("cas-a-2026-tmo-f-c")
    answers = dict(ORGANISER_OK, aid_mpr_accompagnee="40 000")
    mpr = by_field(compare_milestone("organiser", answers, result, situation))[
        "aid_mpr_accompagnee"
    ]
    assert not mpr.ok
    assert mpr.expected == format_euros(Decimal(32000))
    assert any("Taux" in line.rule and line.source for line in mpr.trace)


def test_an_aid_the_household_cannot_get_is_compared_only_when_proposed():
    result, situation = golden("cas-a-2026-tmo-f-c")
    fields = by_field(compare_milestone("organiser", ORGANISER_OK, result, situation))
    assert "aid_mpa" not in fields
    proposed = dict(ORGANISER_OK, aid_mpa="3 000")
    mpa = by_field(compare_milestone("organiser", proposed, result, situation))["aid_mpa"]
    assert not mpa.ok and mpa.expected == format_euros(Decimal(0))


def test_an_aid_left_blank_is_reported_as_missing():
    result, situation = golden("logement-decent-2024")
    fields = by_field(compare_milestone("organiser", {}, result, situation))
    assert fields["aid_mpld"].given == "non renseigné"
    assert not fields["aid_mpld"].ok
    assert fields["aid_mpld"].trace


def test_an_unreadable_amount_is_named_and_wrong():
    result, situation = golden("cas-a-2026-tmo-f-c")
    fields = by_field(
        compare_milestone("organiser", {"reste_a_charge": "beaucoup"}, result, situation)
    )
    assert "illisible" in fields["reste_a_charge"].given
    assert not fields["reste_a_charge"].ok


def test_the_income_category_difference_carries_the_ceiling_trace():
    result, situation = golden("plafond-exact-2026-hors-idf")
    answers = dict(IDENTIFIER_OK, income_category="modeste")
    category = by_field(compare_milestone("identifier", answers, result, situation))[
        "income_category"
    ]
    assert not category.ok
    assert category.expected == "Très modeste" and category.given == "Modeste"
    assert any("25" in line.value and "393" in line.value for line in category.trace)


def test_the_same_answers_differ_before_and_after_the_rules_change():
    answers = dict(ORGANISER_OK, dpe_before="G", dpe_after="D", works_cost_ht="60 000",
                   aid_mpr_accompagnee="49 500", reste_a_charge="13 800",
                   reste_a_charge_pct="21,8")  # fmt: skip
    before = by_field(compare_milestone("organiser", answers, *golden(
        "bonus-passoire-2025-avant-30-septembre")))  # fmt: skip
    after = by_field(compare_milestone("organiser", answers, *golden(
        "bonus-passoire-supprime-2025-apres-30-septembre")))  # fmt: skip
    assert before["aid_mpr_accompagnee"].ok
    assert not after["aid_mpr_accompagnee"].ok


def test_realiser_is_not_checked_by_the_simulator():
    result, situation = golden("cas-a-2026-tmo-f-c")
    assert compare_milestone("realiser", {}, result, situation) == []


@pytest.mark.parametrize(
    "name", ["maprimeadapt-2025", "par-geste-2025-murs", "logement-decent-2024"]
)
def test_every_aid_the_simulator_grants_is_compared(name):
    result, situation = golden(name)
    fields = by_field(compare_milestone("organiser", {}, result, situation))
    granted = {a.code for a in result.aids if a.amount}
    expected_fields = {
        "mpa": "aid_mpa", "mpld": "aid_mpld", "mar": "aid_mar",
        "mpr_accompagnee": "aid_mpr_accompagnee", "mpr_par_geste": "aid_mpr_par_geste",
    }  # fmt: skip
    for code in granted:
        field = "aid_cee" if code.startswith("cee_") else expected_fields[code]
        assert field in fields, code


def test_comparison_reads_the_parsed_situation_and_aids_by_code():
    from casestudies.simulator import parse_situation

    result, situation = golden("cas-a-2026-tmo-f-c")
    parsed = parse_situation(situation)
    from_dict = compare_milestone("organiser", ORGANISER_OK, result, situation)
    from_parsed = compare_milestone("organiser", ORGANISER_OK, result, parsed)
    assert [c.to_dict() for c in from_dict] == [c.to_dict() for c in from_parsed]
    assert result.aid_amount("mpr_accompagnee") == result.mpr_accompagnee.amount
    assert result.aid_amount("no_such_aid") == 0


def test_a_plugged_aid_is_compared_with_its_own_field_without_any_edit_here(tmp_path):
    """The comparison lists the aids of the registry: a new aid (one module, one barème file,
    tests/simulator/test_registry.py) is compared with its financing-plan field, and its
    refusal reasons are the trace when it is not granted."""
    from casestudies.compare import aid_fields, check_feedback, rereads
    from casestudies.simulator import parse_situation, simulate
    from casestudies.simulator.period import Baremes
    from casestudies.simulator.registry import plugged
    from tests.simulator.test_registry import SITUATION, plugin

    module, directory = plugin(tmp_path)
    with plugged(module):
        baremes = Baremes(directory)
        situation = parse_situation(SITUATION)
        result = simulate(situation, baremes=baremes)
        answers = dict(ORGANISER_OK, aid_prime_locale="6 000")
        fields = by_field(compare_milestone("organiser", answers, result, situation))
        assert fields["aid_prime_locale"].ok
        assert fields["aid_prime_locale"].label == "Prime locale à la rénovation (test)"
        assert "aid_prime_locale" in aid_fields()
        assert rereads()["aid_prime_locale"][1] == ("prime_locale_test.prime",)
        wrong = dict(answers, aid_prime_locale="5 000")
        feedback = check_feedback(
            compare_milestone("organiser", wrong, result, situation),
            wrong,
            {"aid_prime_locale": "Prime locale"},
            {"prime_locale_test.prime": ("Taux et plafond", "Délibération")},
        )
        assert [(f.field, f.status, [r.rule for r in f.rereads]) for f in feedback] == [
            ("aid_prime_locale", "ecart", ["Taux et plafond"])
        ]

        refused = parse_situation(
            dict(SITUATION, household=dict(SITUATION["household"], local_scheme=False))
        )
        no = simulate(refused, baremes=baremes)
        fields = by_field(compare_milestone("organiser", dict(answers), no, refused))
        assert not fields["aid_prime_locale"].ok
        assert [t.value for t in fields["aid_prime_locale"].trace] == [
            "Dossier du dispositif local non déclaré."
        ]
    assert "aid_prime_locale" not in aid_fields()
