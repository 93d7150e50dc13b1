"""Admin number inputs read numbers with the platform's one parser (issue 11, kind 1)."""

from decimal import Decimal

from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels import get_form_for_model

import pytest

from assessments.models import Question
from lms.formfields import FrenchDecimalNumberField, FrenchIntegerField
from modules.models import TrainingSession

# Built the way Wagtail's panels build every admin form (pages, snippets, settings, inlines).
SessionForm = get_form_for_model(
    TrainingSession, form_class=WagtailAdminModelForm, fields=["capacity"]
)
QuestionForm = get_form_for_model(
    Question, form_class=WagtailAdminModelForm, fields=["points", "answer_number", "tolerance"]
)


def test_wagtail_admin_forms_use_the_platform_parser_for_numbers():
    assert isinstance(SessionForm().fields["capacity"], FrenchIntegerField)
    assert isinstance(QuestionForm().fields["answer_number"], FrenchDecimalNumberField)


@pytest.mark.parametrize("typed", ["３", "٣", "1e1", "2,5"])
def test_an_admin_integer_in_another_script_or_with_an_exponent_is_refused(typed):
    field = SessionForm().fields["capacity"]
    with pytest.raises(Exception) as caught:
        field.clean(typed)
    assert caught.type.__name__ == "ValidationError"


def test_an_admin_integer_typed_the_french_way_is_read():
    field = SessionForm().fields["capacity"]
    assert field.clean(" 40 ") == 40
    assert field.clean("40,0") == 40


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")), ("1 250,75", Decimal("1250.75"))],
)
def test_an_admin_decimal_typed_the_french_way_is_read(typed, expected):
    assert QuestionForm().fields["answer_number"].clean(typed) == expected


@pytest.mark.parametrize("typed", ["15.475", "1e5", "１２"])
def test_an_admin_decimal_the_parser_refuses_gets_its_french_reason(typed):
    field = QuestionForm().fields["answer_number"]
    with pytest.raises(Exception) as caught:
        field.clean(typed)
    assert caught.type.__name__ == "ValidationError"
    assert any(ch in str(caught.value) for ch in "éèàûç") or "nombre" in str(caught.value)


def test_french_integer_field_bounds_still_apply():
    field = FrenchIntegerField(min_value=0, max_value=5)
    with pytest.raises(Exception):  # noqa: B017
        field.clean("6")
