"""Compare a trainee's answers with the simulator's result, field by field (pure, no ORM).

`compare_milestone(milestone, answers, result, situation)` → list of FieldComparison. Amounts
agree within 1 €, percentages within half a point, labels exactly. An aid is compared when the
simulator grants it or the trainee proposes it, so leaving an aid the household cannot get blank
is not held against the trainee, and proposing one it cannot get is.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from lms.formats import format_euros, format_percent
from lms.numbers import parse_number

from .forms import DPE_CLASSES, INCOME_CATEGORIES, INCOME_SCALES
from .simulator import Situation, parse_situation
from .simulator.registry import registry

AMOUNT_TOLERANCE = Decimal(1)
PERCENT_TOLERANCE = Decimal("0.5")

CATEGORY_LABELS = dict(INCOME_CATEGORIES)
SCALE_LABELS = dict(INCOME_SCALES)
DPE_LABELS = dict(DPE_CLASSES)


@dataclass(frozen=True)
class TraceLine:
    rule: str
    value: str
    source: str = ""


@dataclass(frozen=True)
class FieldComparison:
    field: str
    label: str
    expected: str
    given: str
    ok: bool
    tolerance: str = ""
    trace: tuple[TraceLine, ...] = field(default_factory=tuple)
    gap: str = ""  # given − expected for amounts ("+ 3 475 €"), "" otherwise

    def to_dict(self) -> dict:
        return {
            "field": self.field,
            "label": self.label,
            "expected": self.expected,
            "given": self.given,
            "ok": self.ok,
            "tolerance": self.tolerance,
            "gap": self.gap,
            "trace": [{"rule": t.rule, "value": t.value, "source": t.source} for t in self.trace],
        }


_CATEGORY_CODE = re.compile(r"\b(" + "|".join(CATEGORY_LABELS) + r")\b")


def readable(text: str) -> str:
    """The simulator writes income categories as codes ("Forfait … (tres_modeste)"): what the
    trainee reads names them as the form does ("très modeste"). Other codes: underscores become
    spaces ("chaudiere_bois_automatique" → "chaudiere bois automatique")."""
    text = _CATEGORY_CODE.sub(lambda match: CATEGORY_LABELS[match.group(1)].lower(), text or "")
    return re.sub(r"\b([a-z]+(?:_[a-z0-9]+)+)\b", lambda m: m.group(1).replace("_", " "), text)


def _trace(steps) -> tuple[TraceLine, ...]:
    return tuple(
        TraceLine(readable(step.rule), readable(step.value), step.source) for step in steps
    )


def _number(raw) -> Decimal | None:
    return parse_number(raw, places=2).value


def _choice(name, label, expected, raw, labels, trace) -> FieldComparison:
    given = raw if isinstance(raw, str) else ""
    return FieldComparison(
        field=name,
        label=label,
        expected=labels.get(expected, expected),
        given=labels.get(given, given) if given else "non renseigné",
        ok=given == expected,
        trace=trace,
    )


def _amount(name, label, expected: Decimal, raw, trace, *, percent=False) -> FieldComparison:
    tolerance = PERCENT_TOLERANCE if percent else AMOUNT_TOLERANCE
    formatter = format_percent if percent else format_euros
    given = _number(raw)
    ok = given is not None and abs(given - expected) <= tolerance
    gap = ""
    if given is None:
        given_text = "non renseigné" if not str(raw or "").strip() else f"« {raw} » (illisible)"
    else:
        given_text = formatter(given)
        if not ok:
            sign = "+" if given > expected else "−"
            gap = f"{sign} {formatter(abs(given - expected))}"
    return FieldComparison(
        field=name,
        label=label,
        expected=formatter(expected),
        given=given_text,
        ok=ok,
        tolerance=f"± {formatter(tolerance)}",
        trace=trace,
        gap=gap,
    )


def _aid_trace(result, *codes: str) -> tuple[TraceLine, ...]:
    return _trace(result.aid_trace(*codes))


def _reasons(rule: str, reasons) -> tuple[TraceLine, ...]:
    return tuple(TraceLine(rule, reason) for reason in reasons)


def compare_identifier(answers: dict, result, situation: Situation) -> list[FieldComparison]:
    household, home = situation.household, situation.home
    facts = (
        TraceLine(
            "Situation du ménage",
            f"{household.size} personne(s), revenu fiscal de référence "
            f"{format_euros(Decimal(household.reference_tax_income))}, "
            f"département {home.department}",
        ),
    )
    return [
        _choice(
            "income_category",
            "Catégorie de revenus Anah",
            result.income_category,
            answers.get("income_category"),
            CATEGORY_LABELS,
            facts + _trace(result.category_trace),
        ),
        _choice(
            "income_scale",
            "Barème de revenus applicable",
            result.income_scale,
            answers.get("income_scale"),
            SCALE_LABELS,
            facts,
        ),
    ]


def _aid_expectations(result) -> list[tuple[str, str, Decimal, tuple[TraceLine, ...]]]:
    """(field, label, expected amount, trace) for each aid field of the financing plan: the
    aids the registry compares with that field, read by code (several aids may share a field,
    like the two CEE Coups de pouce). Without a granted amount, the trace says why."""
    expectations = []
    for answer, codes in registry().answers():
        trace = _aid_trace(result, *codes) or tuple(
            TraceLine(f"{answer.label} : conditions non remplies", readable(reason))
            for code in codes
            for reason in result.reasons.get(code, ())
        )
        expectations.append((answer.field, answer.label, result.aid_amount(*codes), trace))
    return expectations


def compare_organiser(answers: dict, result, situation: Situation) -> list[FieldComparison]:
    home, project = situation.home, situation.project
    comparisons: list[FieldComparison] = []
    for name, label, value in (
        ("dpe_before", "Étiquette DPE avant travaux", home.dpe_before),
        ("dpe_after", "Étiquette DPE visée après travaux", home.dpe_after),
    ):
        if value:
            comparisons.append(
                _choice(
                    name,
                    label,
                    value,
                    answers.get(name),
                    DPE_LABELS,
                    (TraceLine("Audit énergétique du logement", f"{label} : {value}"),),
                )
            )
    cost = project.works_cost_ht
    comparisons.append(
        _amount(
            "works_cost_ht",
            "Coût des travaux (€ HT)",
            cost,
            answers.get("works_cost_ht"),
            (TraceLine("Devis retenus", f"Total HT : {format_euros(cost)}"),),
        )
    )
    for name, label, expected, trace in _aid_expectations(result):
        given = _number(answers.get(name))
        proposed = given is not None and given != 0
        if expected == 0 and not proposed:
            continue
        comparisons.append(_amount(name, label, expected, answers.get(name), trace))
    rac_trace = (
        TraceLine("Coût TTC des travaux", format_euros(result.works_cost_ttc)),
        TraceLine("Total des subventions sur les travaux", format_euros(result.total_subsidies)),
        TraceLine(
            "Reste à charge = coût TTC − subventions",
            f"{format_euros(result.reste_a_charge)} soit "
            f"{format_percent(result.reste_a_charge_pct)} du coût TTC",
        ),
    ) + tuple(TraceLine("Écrêtement", w) for w in result.warnings if "crêtement" in w)
    comparisons.append(
        _amount(
            "reste_a_charge",
            "Reste à charge du ménage",
            result.reste_a_charge,
            answers.get("reste_a_charge"),
            rac_trace,
        )
    )
    comparisons.append(
        _amount(
            "reste_a_charge_pct",
            "Reste à charge (% du coût TTC)",
            result.reste_a_charge_pct,
            answers.get("reste_a_charge_pct"),
            rac_trace,
            percent=True,
        )
    )
    return comparisons


COMPARATORS = {"identifier": compare_identifier, "organiser": compare_organiser}


def compare_milestone(milestone: str, answers: dict, result, situation: dict | Situation):
    """Field-by-field comparison for a milestone; [] for a milestone the simulator cannot check.

    ``situation`` is the case's situation (the JSON dict it was simulated from, or already
    parsed); it is read through the simulator's parsed ``Situation``, and the result by aid
    code. Raises SituationError if the dict is not a valid situation."""
    comparator = COMPARATORS.get(str(milestone))
    if comparator is None:
        return []
    if not isinstance(situation, Situation):
        situation = parse_situation(situation, today=result.as_of)
    return comparator(answers, result, situation)


# --------------------------------------------------------------------------- the trainee's check
#
# Before a milestone is reviewed, the trainee's "Vérifier avec le simulateur" must teach without
# giving the answers (issue 9, item 2): per field only whether the value agrees, and for a
# disagreement which rule and which barème source to re-read. Nothing derived from the
# simulator's result (expected values, the trace, which aids are granted) may appear, so:
# - the rule to re-read is chosen per FIELD, never from the result's trace (trace rule names
#   carry the answer, e.g. "Catégorie de revenus …, 2 personne(s) : très modeste");
# - every aid field is listed, granted or not: an empty aid field is "à compléter" whether the
#   household gets the aid or not (the list of compared aids would otherwise reveal which ones).

AGREES, DIFFERS, TO_COMPLETE, UNREADABLE = "ok", "ecart", "a_completer", "illisible"
FEEDBACK_LABELS = {
    AGREES: "Concorde",
    DIFFERS: "À revoir",
    TO_COMPLETE: "À compléter",
    UNREADABLE: "Illisible",
}
OTHER_AMOUNT_FIELDS = frozenset({"works_cost_ht", "reste_a_charge", "reste_a_charge_pct"})


def aid_fields() -> tuple[str, ...]:
    """The financing-plan fields of the aids (from the aid registry)."""
    return tuple(answer.field for answer, _codes in registry().answers())


# field -> (what to re-read, in plain French; barème parameters "<file>.<path>" whose
# description and source are shown). No number in these texts: they must not hint a value.
# Each aid field's entry is its aid's (``AidSpec.answer``): see ``rereads``.
REREAD: dict[str, tuple[str, tuple[str, ...]]] = {
    "income_category": (
        "Les plafonds de ressources : revenu fiscal de référence et nombre de personnes du "
        "ménage, sur l'avis d'imposition.",
        ("revenus.plafonds",),
    ),
    "income_scale": (
        "Le barème dépend du département du logement.",
        ("revenus.departements_idf",),
    ),
    "dpe_before": ("L'audit énergétique dans les documents du ménage.", ()),
    "dpe_after": ("L'audit énergétique dans les documents du ménage.", ()),
    "works_cost_ht": ("Les devis retenus, hors taxes.", ()),
    "reste_a_charge": (
        "Reste à charge = coût TTC − subventions : le taux de TVA des travaux et l'écrêtement "
        "des aides publiques.",
        ("tva.taux", "mpr_accompagnee.ecretement_ttc"),
    ),
    "reste_a_charge_pct": (
        "Le reste à charge rapporté au coût TTC des travaux (pas au coût HT).",
        ("tva.taux", "mpr_accompagnee.ecretement_ttc"),
    ),
}


def rereads() -> dict[str, tuple[str, tuple[str, ...]]]:
    """``REREAD`` with each aid field's entry from its aid."""
    return {
        **{answer.field: (answer.hint, answer.keys) for answer, _codes in registry().answers()},
        **REREAD,
    }


@dataclass(frozen=True)
class Reread:
    rule: str
    source: str


@dataclass(frozen=True)
class FieldFeedback:
    """What the trainee may see of one field before review: never an expected value."""

    field: str
    label: str
    status: str  # AGREES | DIFFERS | TO_COMPLETE | UNREADABLE
    hint: str = ""
    rereads: tuple[Reread, ...] = ()

    @property
    def status_label(self) -> str:
        return FEEDBACK_LABELS[self.status]


def _blank(raw) -> bool:
    if isinstance(raw, list):
        return not raw
    return not str(raw or "").strip()


def check_feedback(
    comparisons: list[FieldComparison], answers: dict, labels: dict[str, str], rules: dict
) -> list[FieldFeedback]:
    """The trainee's view of `comparisons` (from `compare_milestone`), field by field.

    `answers` are the raw values compared; `labels` maps every field of the milestone form to
    its label, in form order; `rules` maps barème keys "<file>.<path>" to (description, source)
    in force on the filing date (`barème_rules`). Aid fields the simulator did not compare
    (not granted, left empty or 0) are listed too: empty → à compléter, 0 → concorde.
    Returns one FieldFeedback per checked field, in form order, without any expected value.
    """
    by_field = {c.field: c for c in comparisons}
    if not by_field:
        return []
    aids = aid_fields()
    amounts = OTHER_AMOUNT_FIELDS.union(aids)
    reread = rereads()
    checked = set(by_field) | (set(aids) & set(labels))
    feedback = []
    for name, label in labels.items():
        if name not in checked:
            continue
        raw = answers.get(name)
        comparison = by_field.get(name)
        if _blank(raw):
            status = TO_COMPLETE
        elif name in amounts and _number(raw) is None:
            status = UNREADABLE
        elif comparison is None or comparison.ok:
            status = AGREES  # an aid not granted, proposed at 0
        else:
            status = DIFFERS
        hint, keys = reread.get(name, ("", ()))
        if status == UNREADABLE:
            hint = "Saisissez un nombre, par exemple 12 475,50."
            feedback.append(FieldFeedback(name, label, status, hint=hint))
        elif status == DIFFERS:
            shown = tuple(Reread(*rules[key]) for key in keys if key in rules)
            feedback.append(FieldFeedback(name, label, status, hint=hint, rereads=shown))
        else:
            feedback.append(FieldFeedback(name, label, status))
    return feedback


def bareme_rules(as_of) -> dict[str, tuple[str, str]]:
    """{"<file>.<path>": (description, source)} of the barème parameters in force on `as_of`,
    for the parameters `rereads()` names."""
    from .simulator.period import default_baremes

    period = default_baremes().period(as_of)
    keys = {key for _hint, keys in rereads().values() for key in keys}
    return {
        key: (period[key].description, period[key].source) for key in keys if key in period.params
    }
