"""Milestone forms, French numbers and the rubric file (no database)."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from casestudies.forms import FrenchDecimalField, IdentifierForm, OrganiserForm, RealiserForm
from casestudies.rubrics import RubricError, check_rubrics, load_rubrics


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12 475,50 €", Decimal("12475.50")), ("45\u202f000", Decimal(45000)),
     ("32,6 %", Decimal("32.6")), ("15.475,50", Decimal("15475.50")),
     ("15475.5", Decimal("15475.50")),
     ("", None), ("  ", None)],
)  # fmt: skip
def test_french_numbers_are_read_by_the_platform_parser(text, expected):
    assert FrenchDecimalField(required=False).clean(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [("douze", "Saisissez un nombre"), ("1,2,3", "Saisissez un nombre"),
     ("NaN", "n'est pas un nombre"), ("Infinity", "n'est pas un nombre"),
     ("15.475", "ambigu"), ("1e5", "sans exposant"), ("1" + "0" * 26, "trop grand"),
     ("100 000 001", "au plus 100\u202f000\u202f000"), ("12,345", "Au plus 2 chiffres")],
)  # fmt: skip
def test_other_text_is_refused_in_french(text, words):
    with pytest.raises(ValidationError) as error:
        FrenchDecimalField(required=False).clean(text)
    assert words in error.value.messages[0]


def test_one_field_is_validated_alone_with_french_messages():
    assert OrganiserForm.validate_one("works_cost_ht", "45 000") == []
    assert OrganiserForm.validate_one("works_cost_ht", "-3") == [
        "Saisissez un nombre positif ou nul."
    ]
    assert OrganiserForm.validate_one("reste_a_charge_pct", "120") == [
        "Saisissez un nombre d'au plus 100."
    ]
    assert IdentifierForm.validate_one("documents_to_gather", []) == [
        "Cochez au moins un document à réunir."
    ]
    assert IdentifierForm.validate_one("income_category", "riche")


def test_a_dpe_after_worse_than_before_is_refused():
    form = OrganiserForm.from_values({"dpe_before": "E", "dpe_after": "F"})
    assert not form.is_valid()
    assert "moins bonne" in form.errors["dpe_after"][0]


def test_a_reception_with_reserves_needs_them_described():
    values = {"followup_checklist": ["visites"], "reception": "avec_reserves",
              "handover_notes": "ok", "eco_gestures": "ok"}  # fmt: skip
    form = RealiserForm.from_values(values)
    assert not form.is_valid() and "reserves" in form.errors
    assert RealiserForm.from_values(dict(values, reserves="Joint à reprendre")).is_valid()


def test_the_rubric_file_has_three_to_five_criteria_per_milestone():
    rubrics = load_rubrics()
    assert set(rubrics) == {"identifier", "organiser", "realiser"}
    assert all(3 <= len(criteria) <= 5 for criteria in rubrics.values())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "dictionnaire"),
        ({"identifier": [{"key": "a", "label": "A", "points": 1}]}, "3 à 5 critères"),
        ({"identifier": [{"key": "a", "label": "A", "points": 1}] * 3}, "en double"),
        ({"identifier": [{"key": k, "label": "A", "points": 0} for k in "abc"]}, "positifs"),
        ({"identifier": [{"key": k, "label": "A"} for k in "abc"]}, "« points » manquante"),
    ],
)
def test_a_bad_rubric_file_is_refused_with_a_french_message(data, message):
    with pytest.raises(RubricError, match=message):
        check_rubrics(data)


def test_every_dossier_text_has_a_bound_said_in_french_without_cutting_the_input():
    assert IdentifierForm.validate_one("needs", "x" * 10_000) == []
    assert IdentifierForm.validate_one("needs", "x" * 10_001) == [
        "Assurez-vous que cette valeur comporte au plus 10000 caractères (actuellement 10001)."
    ]
    assert "maxlength" not in str(IdentifierForm()["needs"])  # a long paste is never cut


def test_rubric_points_are_read_by_the_platform_parser():
    from lms.formfields import FrenchIntegerField

    field = FrenchIntegerField(min_value=0, max_value=5, error_messages={"invalid": "Entier."})
    assert field.clean(" 2 ") == 2 and field.clean("2,0") == 2
    for text in ("٢", "1e5", "2,5", "deux"):
        with pytest.raises(ValidationError) as error:
            field.clean(text)
        assert error.value.messages == ["Entier."]
    with pytest.raises(ValidationError):
        field.clean("6")
