"""One question of an attempt in progress as HTML, written in Python (issue 12, session 5).

The quiz page showed each question through `assessments/attempt/_question.html`, included once
per question: with fourteen questions and their choices, about a third of the page's CPU went
to template nodes. This writes the same markup (the template stays the reference: a test
renders both for every kind of question and state of answer and compares them, whitespace
aside). Every value is escaped as the template's autoescape does (`conditional_escape`; the
question's Markdown is already sanitised HTML).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

KIND_SINGLE = "single_choice"
KIND_MULTIPLE = "multiple_choice"
KIND_TRUE_FALSE = "true_false"
KIND_NUMERIC = "numeric"
KIND_SHORT = "short_text"


def _e(value) -> str:
    return conditional_escape(value)


def _choices(item: dict, question, input_type: str) -> str:
    name = f"q-{question.pk}"
    selected = item["selected"]
    rows = []
    for choice in question.choices:
        checked = " checked" if choice.pk in selected else ""
        rows.append(
            f'        <label class="choice"><input type="{input_type}" name="{_e(name)}" '
            f'value="{_e(choice.pk)}"{checked}> <span>{_e(choice.text)}</span></label>\n'
        )
    return "".join(rows)


def _answer_field(item: dict, question) -> str:
    pk = _e(question.pk)
    kind = question.kind
    if kind == KIND_SINGLE:
        return f'    <div class="choices">\n{_choices(item, question, "radio")}    </div>\n'
    if kind == KIND_MULTIPLE:
        return (
            '    <p class="help">Plusieurs réponses possibles. Une case cochée à tort retire '
            "des points.</p>\n"
            f'    <div class="choices">\n{_choices(item, question, "checkbox")}    </div>\n'
        )
    if kind == KIND_TRUE_FALSE:
        true = " checked" if item["value"] is True else ""
        false = " checked" if item["value"] is False else ""
        return (
            '    <div class="choices choices-inline">\n'
            f'      <label class="choice"><input type="radio" name="q-{pk}" value="true"{true}> '
            "<span>Vrai</span></label>\n"
            f'      <label class="choice"><input type="radio" name="q-{pk}" value="false"{false}> '
            "<span>Faux</span></label>\n"
            "    </div>\n"
        )
    text = _e(item["text"])
    if kind == KIND_NUMERIC:
        unit = _e(question.unit) if question.unit else ""
        in_unit = f" (en {unit})" if unit else ""
        shown_unit = f' <span aria-hidden="true">{unit}</span>' if unit else ""
        return (
            '    <div class="field numeric-field">\n'
            f'      <label for="answer-{pk}">Votre réponse{in_unit}</label>\n'
            f'      <p class="help" id="answer-{pk}-aide">Un nombre, par exemple 15 475,50.</p>\n'
            f'      <input type="text" inputmode="decimal" autocomplete="off" id="answer-{pk}" '
            f'name="q-{pk}" value="{text}" aria-describedby="answer-{pk}-aide">{shown_unit}\n'
            "    </div>\n"
        )
    if kind == KIND_SHORT:
        return (
            '    <div class="field">\n'
            f'      <label for="answer-{pk}">Votre réponse</label>\n'
            f'      <input type="text" autocomplete="off" id="answer-{pk}" name="q-{pk}" '
            f'value="{text}" maxlength="500">\n'
            "    </div>\n"
        )
    return (
        '    <div class="field">\n'
        f'      <label for="answer-{pk}">Votre réponse rédigée</label>\n'
        f'      <textarea id="answer-{pk}" name="q-{pk}" rows="12">{text}</textarea>\n'
        "    </div>\n"
    )


def question_fieldset(item: dict, *, attempt_pk: int, count: int, autosave: bool) -> SafeString:
    """The `<fieldset>` of one question of the attempt (`item`: a row of the view's `_items`),
    as `assessments/attempt/_question.html` renders it."""
    question = item["question"]
    number = _e(item["number"])
    pk = _e(question.pk)
    data = ""
    if autosave:
        url = reverse("assessments:attempt_autosave", args=[attempt_pk, question.pk])
        data = f'data-autosave-url="{_e(url)}" data-field="q-{pk}"'
    of_count = f" sur {_e(count)}" if count else ""
    status = ""
    if autosave:
        answer = item.get("answer")
        saved = (
            '<span class="save-ok">Enregistré</span>' if getattr(answer, "saved_at", None) else ""
        )
        status = f'  <p class="save-status" aria-live="polite">{saved}</p>\n'
    return mark_safe(  # noqa: S308 — every value above is escaped
        f'\n<fieldset class="question card" id="question-{number}"\n  {data}>\n'
        f'  <legend><span class="question-number">Question {number}{of_count}</span> '
        f'<span class="muted">· {_e(question.points_label)}</span></legend>\n'
        f'  <div class="prose question-text">{_e(question.text_html)}</div>\n'
        f"{_answer_field(item, question)}"
        f"{status}"
        "</fieldset>\n"
    )
