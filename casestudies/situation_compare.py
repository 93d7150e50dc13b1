"""The household's situation in Wagtail's revision comparison ("Comparer").

The "Situation du ménage" tab is made of form fields that write one JSON model field,
`CaseStudyPage.situation` (casestudies/authoring.py); Wagtail compares a tab panel by panel
and skips form fields that are not model fields, so the tab showed no change at all.
`SituationTab` is that tab's `ObjectList` with one more comparison, `SituationComparison`
(wagtail.admin.compare's API): the situation read as the form shows it, one French line per
answer ("Nombre de personnes du ménage : 2 → 3"), rows of gestures and other funding included,
and any path the form does not know under its JSON path, so that no change goes unseen.
"""

import functools
import json

from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from wagtail.admin.compare import FieldComparison
from wagtail.admin.panels import ObjectList

from .authoring import (
    FIELDS,
    FUNDER_LABELS,
    GESTURE_LABELS,
    KIND_LABELS,
    path_label,
    rows_initial,
    to_initial,
)


@functools.cache
def _labels() -> dict[str, tuple[str, dict]]:
    """name → (label, {stored value: shown label}) of every stored field of the form."""
    labels = {}
    for field in FIELDS:
        if field.kind == "switch" or not field.path:
            continue
        form_field = field.build()
        choices = {str(value): str(label) for value, label in getattr(form_field, "choices", [])}
        labels[field.name] = (str(form_field.label), choices)
    return labels


def _leaves(value, prefix: str = ""):
    """(JSON path, value) of every leaf of `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def _known_paths() -> set[str]:
    return {field.path for field in FIELDS if field.path}


def situation_lines(situation) -> list[tuple[str, str, str]]:
    """The situation as the admin form reads it: (key, French label, shown value) per answer,
    in the form's order; the tables' rows one line each; unknown paths last."""
    situation = situation if isinstance(situation, dict) else {}
    initial = to_initial(situation)
    lines = []
    for name, (label, choices) in _labels().items():
        if name in initial:
            value = str(initial[name])
            lines.append((name, label, choices.get(value, value)))
    gestures, funding = rows_initial(situation)
    for number, row in enumerate(gestures, 1):
        parts = [GESTURE_LABELS.get(row.get("code", ""), row.get("code", "") or "—")]
        if row.get("quantity"):
            parts.append(f"quantité {row['quantity']}")
        if row.get("cost_ht"):
            parts.append(f"{row['cost_ht']} € HT")
        lines.append((f"gesture-{number}", f"Geste {number}", " · ".join(parts)))
    for number, row in enumerate(funding, 1):
        parts = [
            FUNDER_LABELS.get(row.get("funder", ""), row.get("funder", "") or "—"),
            KIND_LABELS.get(row.get("kind", ""), row.get("kind", "") or "—"),
        ]
        if row.get("amount"):
            parts.append(f"{row['amount']} €")
        if row.get("label"):
            parts.append(row["label"])
        lines.append((f"funding-{number}", f"Financement {number}", " · ".join(parts)))
    known = _known_paths()
    for path, value in _leaves(situation):
        if path == "as_of" or path in known:
            continue
        if path.startswith(("project.gestures[", "other_funding[")):
            continue
        shown = json.dumps(value, ensure_ascii=False)
        lines.append((f"path-{path}", path_label(path), shown))
    return lines


class SituationComparison(FieldComparison):
    """Wagtail comparison of `CaseStudyPage.situation`: the changed answers, old → new."""

    def field_label(self):
        return "Situation du ménage"

    @cached_property
    def _changes(self) -> list[tuple[str, str | None, str | None]]:
        before = {key: (label, value) for key, label, value in situation_lines(self.val_a)}
        after = {key: (label, value) for key, label, value in situation_lines(self.val_b)}
        order = list(after) + [key for key in before if key not in after]
        changes = []
        for key in order:
            label = (after.get(key) or before[key])[0]
            old = before[key][1] if key in before else None
            new = after[key][1] if key in after else None
            if old != new:
                changes.append((label, old, new))
        return changes

    def has_changed(self):
        return bool(self._changes)

    def htmldiff(self):
        if self._changes:
            rows = [
                (
                    label,
                    format_html(
                        '<span class="deletion">{}</span> → <span class="addition">{}</span>',
                        "(vide)" if old is None else old,
                        "(vide)" if new is None else new,
                    ),
                )
                for label, old, new in self._changes
            ]
        else:
            rows = [(label, value) for _key, label, value in situation_lines(self.val_b)]
        return format_html(
            '<dl class="situation-diff">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )


class SituationTab(ObjectList):
    """The "Situation du ménage" tab: its panels, plus the comparison of the situation they
    write (the form-only fields have none of their own)."""

    class BoundPanel(ObjectList.BoundPanel):
        def get_comparison(self):
            field = self.panel.model._meta.get_field("situation")
            return [*super().get_comparison(), functools.partial(SituationComparison, field)]
