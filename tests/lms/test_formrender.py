"""The widgets written in Python (lms.formrender) give Django's HTML, byte for byte."""

import logging

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import mark_safe

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestudies.forms import MILESTONE_FORMS, MilestoneForm
from lms import formrender

DJANGO = DjangoTemplates()


def _both(form_class, **kwargs):
    fast = form_class(renderer=formrender.WidgetRenderer(), **kwargs)
    django = form_class(renderer=DJANGO, **kwargs)
    return fast, django


def _assert_same(fast, django):
    assert fast.renderer.sources_match()
    for name in fast.fields:
        assert str(fast[name]) == str(django[name]), name


def test_the_milestone_forms_use_the_python_widgets():
    assert MilestoneForm.default_renderer is formrender.renderer
    for form_class in MILESTONE_FORMS.values():
        assert form_class().renderer is formrender.renderer


def test_the_templates_are_the_ones_written_out():
    assert formrender.WidgetRenderer().sources_match()


@pytest.mark.parametrize("form_class", list(MILESTONE_FORMS.values()))
@pytest.mark.parametrize("state", ["empty", "initial", "bound", "disabled", "autosave"])
def test_every_milestone_form_renders_as_django_does(form_class, state):
    values = {}
    for name, field in form_class.base_fields.items():
        choices = [value for value, _label in getattr(field, "choices", []) if value]
        if isinstance(field, forms.MultipleChoiceField):
            values[name] = choices[:2]
        elif choices:
            values[name] = choices[-1]
        elif isinstance(field, forms.BooleanField):
            values[name] = "on"
        else:
            values[name] = 'L\'« ensemblier » <b>&</b> 12 475,50 €\n"deux" lignes'
    kwargs = {}
    if state in ("initial", "disabled", "autosave"):
        kwargs["initial"] = values
    elif state == "bound":
        data = MultiValueDict()
        for name, value in values.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        data.setlist("works_cost_ht", ["douze"])  # an error on a number field
        kwargs["data"] = data
    fast, django = _both(form_class, **kwargs)
    for form in (fast, django):
        for name, field in form.fields.items():  # each form has its own copy of the widgets
            if state == "disabled":
                field.widget.attrs["disabled"] = True
            if state == "autosave":
                field.widget.attrs.update(
                    {
                        "data-hx-post": "/dossiers/1/enregistrer/",
                        "data-hx-vals": f'{{"_milestone": "m", "_field": "{name}"}}',
                        "aria-describedby": f"id_{name}_helptext etat-{name}",
                        "data-false": False,
                        "data-none": None,
                    }
                )
    if state == "bound":
        assert fast.is_valid() == django.is_valid()
    _assert_same(fast, django)


class Everything(forms.Form):
    text = forms.CharField(required=False, max_length=30)
    number = forms.IntegerField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    email = forms.EmailField(required=False)
    area = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    check = forms.BooleanField(required=False)
    pick = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("Groupe <1>", [("a", "A & a"), ("b", "B")]), (3, 3), ("c", "C")],
    )
    radio = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect(attrs={"class": "choix"}),
        choices=[("Groupe", [("a", "A"), ("b", "B")]), ("c", mark_safe("<em>C</em>"))],
    )
    many = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("x", "X"), ("y", 'Y "quoted"'), (1000, 1000)],
    )
    multiple_select = forms.MultipleChoiceField(required=False, choices=[("x", "X"), ("y", "Y")])


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    text=TEXT,
    number=TEXT,
    area=TEXT,
    pick=st.sampled_from(["", "a", "b", "3", "c", "zz"]),
    radio=st.sampled_from(["", "a", "c", "<x>"]),
    many=st.lists(st.sampled_from(["x", "y", "1000", "&"]), max_size=3),
    check=st.sampled_from(["", "on", "false"]),
    bound=st.booleans(),
)
def test_any_value_renders_as_django_does(text, number, area, pick, radio, many, check, bound):
    values = {
        "text": text, "number": number, "hidden": text, "email": text, "area": area,
        "check": check, "pick": pick, "radio": radio,
    }  # fmt: skip
    if bound:
        data = MultiValueDict({name: [value] for name, value in values.items()})
        data.setlist("many", many)
        data.setlist("multiple_select", many)
        fast, django = _both(Everything, data=data)
        fast.is_valid(), django.is_valid()
    else:
        fast, django = _both(Everything, initial={**values, "many": many})
    _assert_same(fast, django)


def test_a_safe_value_stays_unescaped_as_in_django():
    initial = {"text": mark_safe("<b>x</b>"), "area": mark_safe("<i>y</i>")}
    _assert_same(*_both(Everything, initial=initial))


def test_other_templates_go_to_django():
    form = Everything(renderer=formrender.WidgetRenderer(), data={"number": "x"})
    django = Everything(renderer=DJANGO, data={"number": "x"})
    assert form.is_valid() is False and django.is_valid() is False
    assert str(form) == str(django)  # the form's layout and its error lists
    assert str(form["number"].errors) == str(django["number"].errors)


def test_a_custom_option_template_is_left_to_django():
    class Custom(forms.RadioSelect):
        option_template_name = "django/forms/widgets/checkbox_option.html"

    class Other(forms.RadioSelect):
        option_template_name = "django/forms/widgets/attrs.html"

    class Form(forms.Form):
        one = forms.ChoiceField(choices=[("a", "A")], widget=Custom)
        two = forms.ChoiceField(choices=[("a", "A")], widget=Other)

    _assert_same(*_both(Form, initial={"one": "a", "two": "a"}))


def test_other_template_sources_make_django_render_everything(monkeypatch, caplog):
    renderer = formrender.WidgetRenderer()
    monkeypatch.setitem(formrender.EXPECTED_SOURCES, "input.html", "<input>")
    calls = []
    monkeypatch.setattr(formrender, "_input", lambda widget: calls.append(widget) or "")
    with caplog.at_level(logging.WARNING, logger="lms.formrender"):
        html = str(Everything(renderer=renderer, initial={"text": "a"})["text"])
    assert renderer.sources_match() is False
    assert "input.html" in caplog.text
    assert calls == []
    assert html == str(Everything(renderer=DJANGO, initial={"text": "a"})["text"])


@override_settings(LANGUAGE_CODE="fr-fr", USE_THOUSAND_SEPARATOR=True)
def test_numbers_are_formatted_as_the_templates_do():
    initial = {"number": 1234567, "many": [1000], "pick": 3}
    _assert_same(*_both(Everything, initial=initial))
