"""Django's form widget templates, written out in Python (issue 12; docs/decisions.md, "Issue 12 —
session 5").

A form field's widget is rendered by Django through a small template (`input.html`,
`multiple_input.html` and the `attrs.html` it includes once per option…): on the dossier page,
seven fields and about twenty options took a quarter of the page's CPU time in the template
engine (context pushes, variable lookups, `{% include %}` per option and per attribute list).
`WidgetRenderer` writes the same text from the same context with string operations: Django still
builds the widget's context (`Widget.get_context`: values, `checked`, ids, `aria-describedby`),
only the template step is replaced.

The output is Django's, byte for byte: every value goes through the template engine's own
escaping (`render_value_in_context`, and `stringformat:'s'` as the templates write it), and
`tests/lms/test_formrender.py` compares both renderings on every milestone form and on generated
values. Should Django (or an installed app) ship other text for one of these templates, the
renderer notices at first use (it compares the templates' sources with the ones written out
here) and lets Django render every widget: never a different page, at worst the old speed.
Any other template (a form's layout, an error list, a custom widget) goes to Django as before.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

logger = logging.getLogger(__name__)

_PREFIX = "django/forms/widgets/"
_INPUT_INCLUDE = '{% include "django/forms/widgets/input.html" %}\n'
_OPTION_INCLUDE = '{% include "django/forms/widgets/input_option.html" %}\n'
_MULTIPLE_INCLUDE = '{% include "django/forms/widgets/multiple_input.html" %}\n'

# The templates as Django 5.2 ships them: the Python below writes exactly these.
EXPECTED_SOURCES = {
    "attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    ),
    "input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    "textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    "input_option.html": (
        "{% if widget.wrap_label %}<label{% if widget.attrs.id %}"
        ' for="{{ widget.attrs.id }}"{% endif %}>{% endif %}'
        '{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
    ),
    "multiple_input.html": (
        '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
        '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
        "{% for group, options, index in widget.optgroups %}{% if group %}\n"
        "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
        "    {% include option.template_name with widget=option %}</div>{% endfor %}"
        "{% if group %}\n  </div>{% endif %}{% endfor %}\n</div>{% endwith %}\n"
    ),
    "select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n"
        "  {% include option.template_name with widget=option %}{% endfor %}"
        "{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n"
    ),
    "select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
    "radio_option.html": _OPTION_INCLUDE,
    "checkbox_option.html": _OPTION_INCLUDE,
    "radio.html": _MULTIPLE_INCLUDE,
    "checkbox_select.html": _MULTIPLE_INCLUDE,
}
# The <input> widgets: each template is only `input.html` and a newline.
INPUT_TEMPLATES = (
    "text.html",
    "number.html",
    "email.html",
    "url.html",
    "password.html",
    "hidden.html",
    "checkbox.html",
    "date.html",
    "time.html",
    "datetime.html",
    "search.html",
    "tel.html",
)
EXPECTED_SOURCES.update(dict.fromkeys(INPUT_TEMPLATES, _INPUT_INCLUDE))

# As a form renderer renders its templates: autoescape on, the active language's formats.
_CONTEXT = Context()


def _out(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter keeps a safe value safe)."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 (the filter's own `%` formatting)
    except (ValueError, TypeError):
        text = ""
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308 (the value was already safe: the filter keeps it so)
    return _out(text)


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(" " + _out(name))
            if value is not True:
                parts.append('="' + _string(value) + '"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget.get("value")
    text = '<input type="' + _out(widget.get("type", "")) + '" name="' + _out(widget["name"]) + '"'
    if value != None:  # noqa: E711 (the template's `!= None`)
        text += ' value="' + _string(value) + '"'
    return text + _attrs(widget.get("attrs", {})) + ">\n"


def _input_widget(widget: dict) -> str:
    return _input(widget) + "\n"


def _textarea(widget: dict) -> str:
    value = widget.get("value")
    return (
        '<textarea name="'
        + _out(widget["name"])
        + '"'
        + _attrs(widget.get("attrs", {}))
        + ">\n"
        + (_out(value) if value else "")
        + "</textarea>\n"
    )


def _input_option(option: dict) -> str:
    attrs = option.get("attrs", {})
    wrap = option.get("wrap_label")
    text = ""
    if wrap:
        text += "<label" + (' for="' + _out(attrs["id"]) + '"' if attrs.get("id") else "") + ">"
    text += _input(option)
    if wrap:
        text += " " + _out(option.get("label", "")) + "</label>"
    return text + "\n\n"  # input_option.html's newline, then radio_option.html's


def _select_option(option: dict) -> str:
    return (
        '<option value="'
        + _string(option.get("value"))
        + '"'
        + _attrs(option.get("attrs", {}))
        + ">"
        + _out(option.get("label", ""))
        + "</option>\n"
    )


_OPTIONS: dict[str, Callable[[dict], str]] = {
    _PREFIX + "radio_option.html": _input_option,
    _PREFIX + "checkbox_option.html": _input_option,
    _PREFIX + "select_option.html": _select_option,
}


class _Unsupported(Exception):
    """An option with a template written out nowhere here: Django renders the widget."""


def _option(option: dict) -> str:
    write = _OPTIONS.get(option.get("template_name"))
    if write is None:
        raise _Unsupported(option.get("template_name"))
    return write(option)


def _multiple_input(widget: dict) -> str:
    attrs = widget.get("attrs", {})
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(' id="' + _out(attrs["id"]) + '"')
    if attrs.get("class"):
        parts.append(' class="' + _out(attrs["class"]) + '"')
    parts.append(">")
    for group, options, _index in widget.get("optgroups", ()):
        if group:
            parts.append("\n  <div><label>" + _out(group) + "</label>")
        for option in options:
            parts.append("<div>\n    " + _option(option) + "</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n\n")
    return "".join(parts)


def _select(widget: dict) -> str:
    parts = ['<select name="', _out(widget["name"]), '"', _attrs(widget.get("attrs", {})), ">"]
    for group_name, group_choices, _index in widget.get("optgroups", ()):
        if group_name:
            parts.append('\n  <optgroup label="' + _out(group_name) + '">')
        for option in group_choices:
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


WRITERS: dict[str, Callable[[dict], str]] = {
    _PREFIX + "textarea.html": _textarea,
    _PREFIX + "radio.html": _multiple_input,
    _PREFIX + "checkbox_select.html": _multiple_input,
    _PREFIX + "select.html": _select,
    **{_PREFIX + name: _input_widget for name in INPUT_TEMPLATES},
}


class WidgetRenderer(DjangoTemplates):
    """Django's form renderer, with the common widgets written in Python (module doc)."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is not None and self.sources_match():
            widget = context.get("widget")
            if isinstance(widget, dict):
                try:
                    return write(widget).strip()
                except _Unsupported:
                    pass
        return super().render(template_name, context, request=request)

    @functools.cached_property
    def _sources_match(self) -> bool:
        mismatched = [
            name
            for name, expected in EXPECTED_SOURCES.items()
            if _source(self, _PREFIX + name) != expected
        ]
        if mismatched:
            logger.warning(
                "Gabarits de champs différents de ceux écrits en Python (%s) : rendu par Django.",
                ", ".join(sorted(mismatched)),
            )
        return not mismatched

    def sources_match(self) -> bool:
        """The templates Django would use are the ones written out here."""
        return self._sources_match


def _source(renderer: DjangoTemplates, template_name: str) -> str | None:
    try:
        return renderer.get_template(template_name).template.source
    except Exception:  # not found, or a backend without sources: Django renders
        return None


# One per process, like Django's default renderer (its engine caches the compiled templates).
renderer = WidgetRenderer()
