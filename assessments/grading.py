"""Grading rules as pure functions on plain values: no ORM, no Django.

A question is described by a frozen `QuestionSpec`; an answer value is plain JSON:

- single_choice: the key (int) of the chosen choice;
- multiple_choice: a list of choice keys;
- true_false: a bool;
- numeric: the text typed by the trainee ("15 475,50 €", "15475.5");
- short_text / long_text: the text typed.

`None` (or an empty list / blank text) means "not answered" and scores 0.

Multiple choice scoring rule (decided in docs/decisions.md, issue 6): proportional credit with a
penalty. Each correct choice ticked earns points / (number of correct choices), each wrong choice
ticked takes the same amount away, and the result never goes below 0. The answer "is correct"
only when exactly the correct choices are ticked.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from lms.numbers import Problem, parse_number

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


class Kind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


KIND_LABELS = {
    Kind.SINGLE_CHOICE: "Choix unique",
    Kind.MULTIPLE_CHOICE: "Choix multiple",
    Kind.TRUE_FALSE: "Vrai ou faux",
    Kind.NUMERIC: "Nombre (avec tolérance)",
    Kind.SHORT_TEXT: "Réponse courte",
    Kind.LONG_TEXT: "Réponse rédigée (grille de correction)",
}

CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE})


def quantize(value: Decimal) -> Decimal:
    """Points and percents are kept to the cent, rounded half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ChoiceSpec:
    key: int
    correct: bool
    text: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    criterion: str
    points: Decimal


@dataclass(frozen=True)
class QuestionSpec:
    key: int
    kind: Kind
    competency: str
    points: Decimal
    choices: tuple[ChoiceSpec, ...] = ()
    answer_bool: bool | None = None
    answer_number: Decimal | None = None
    tolerance: Decimal = ZERO
    accepted_answers: tuple[str, ...] = ()
    rubric: tuple[CriterionSpec, ...] = ()
    text: str = ""
    explanation: str = ""
    unit: str = ""

    @property
    def is_open(self) -> bool:
        """Graded by a person: long texts, and short texts with no accepted answer listed."""
        return self.kind == Kind.LONG_TEXT or (
            self.kind == Kind.SHORT_TEXT and not self.accepted_answers
        )


SNAPSHOT_VERSION = 1


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def spec_to_snapshot(spec: QuestionSpec) -> dict:
    """The JSON kept on an answer at the start of an attempt: everything needed to show and grade
    the question as it was asked (choices in the attempt's order). Decimals are kept as strings.
    """
    return {
        "v": SNAPSHOT_VERSION,
        "key": spec.key,
        "kind": spec.kind.value,
        "competency": spec.competency,
        "points": str(spec.points),
        "text": spec.text,
        "explanation": spec.explanation,
        "unit": spec.unit,
        "choices": [
            {"key": choice.key, "text": choice.text, "correct": choice.correct}
            for choice in spec.choices
        ],
        "answer_bool": spec.answer_bool,
        "answer_number": None if spec.answer_number is None else str(spec.answer_number),
        "tolerance": str(spec.tolerance or ZERO),
        "accepted_answers": list(spec.accepted_answers),
        "rubric": [{"criterion": c.criterion, "points": str(c.points)} for c in spec.rubric],
    }


def spec_from_snapshot(data: dict) -> QuestionSpec:
    """The inverse of `spec_to_snapshot`. Raises KeyError/ValueError on a malformed snapshot."""
    return QuestionSpec(
        key=int(data["key"]),
        kind=Kind(data["kind"]),
        competency=data["competency"],
        points=Decimal(str(data["points"])),
        choices=tuple(
            ChoiceSpec(key=int(item["key"]), correct=bool(item["correct"]), text=item["text"])
            for item in data.get("choices") or ()
        ),
        answer_bool=data.get("answer_bool"),
        answer_number=_decimal_or_none(data.get("answer_number")),
        tolerance=_decimal_or_none(data.get("tolerance")) or ZERO,
        accepted_answers=tuple(data.get("accepted_answers") or ()),
        rubric=tuple(
            CriterionSpec(criterion=item["criterion"], points=Decimal(str(item["points"])))
            for item in data.get("rubric") or ()
        ),
        text=data.get("text", ""),
        explanation=data.get("explanation", ""),
        unit=data.get("unit", ""),
    )


class Grade(NamedTuple):
    points: Decimal | None
    is_correct: bool | None
    needs_manual: bool


# ---------------------------------------------------------------------------- parsing


def parse_decimal_fr(text: Any) -> Decimal | None:
    """The number in a text typed the French or the English way, or None (blank, ambiguous or not
    a number). One parser for the whole platform: `lms.numbers.parse_number`, which also says
    why in French ("15.475" is ambiguous, "1e5" has an exponent, …)."""
    return parse_number(text).value


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def normalise_text(text: Any) -> str:
    """Case-, accent- and punctuation-insensitive form of a short answer."""
    if text is None:
        return ""
    folded = str(text).casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", folded)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[\W_]+", " ", without_accents)
    return " ".join(words.split())


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    return False


# ---------------------------------------------------------------------------- grading


def _choice_keys(value: Any) -> set[int]:
    items = value if isinstance(value, list | tuple) else [value]
    keys = set()
    for item in items:
        try:
            keys.add(int(item))
        except (TypeError, ValueError):
            continue
    return keys


def grade_answer(spec: QuestionSpec, value: Any) -> Grade:
    """Points, correctness and whether a person must grade it. Never above the question's points,
    never below zero."""
    if spec.is_open:
        if is_blank(value):
            # Nothing written: nothing to grade.
            return Grade(ZERO, False, False)
        return Grade(None, None, True)
    if is_blank(value):
        return Grade(ZERO, False, False)

    if spec.kind == Kind.SINGLE_CHOICE:
        correct = {choice.key for choice in spec.choices if choice.correct}
        chosen = _choice_keys(value)
        ok = len(chosen) == 1 and chosen <= correct
        return Grade(spec.points if ok else ZERO, ok, False)

    if spec.kind == Kind.MULTIPLE_CHOICE:
        correct = {choice.key for choice in spec.choices if choice.correct}
        known = {choice.key for choice in spec.choices}
        chosen = _choice_keys(value) & known
        if not correct:
            return Grade(ZERO, not chosen, False)
        hits = len(chosen & correct)
        misses = len(chosen - correct)
        share = Decimal(max(hits - misses, 0)) / Decimal(len(correct))
        points = quantize(min(spec.points, spec.points * share))
        return Grade(points, chosen == correct, False)

    if spec.kind == Kind.TRUE_FALSE:
        given = value if isinstance(value, bool) else str(value).strip().lower() in {"true", "vrai"}
        ok = given == spec.answer_bool
        return Grade(spec.points if ok else ZERO, ok, False)

    if spec.kind == Kind.NUMERIC:
        number = parse_decimal_fr(value)
        if number is None or spec.answer_number is None:
            return Grade(ZERO, False, False)
        ok = abs(number - spec.answer_number) <= abs(spec.tolerance or ZERO)
        return Grade(spec.points if ok else ZERO, ok, False)

    if spec.kind == Kind.SHORT_TEXT:
        given = normalise_text(value)
        ok = any(given == normalise_text(accepted) for accepted in spec.accepted_answers)
        return Grade(spec.points if ok else ZERO, ok, False)

    raise ValueError(f"Unknown question kind: {spec.kind}")


# ---------------------------------------------------------------------------- rubric


class RubricError(ValueError):
    """French messages per criterion index (and "__all__")."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(str(message) for message in errors.values()))
        self.errors = errors


def rubric_total(rubric: tuple[CriterionSpec, ...], scores: list[Any]) -> list[Decimal]:
    """Validate the points given per criterion; returns them as Decimals."""
    errors: dict = {}
    if len(scores) != len(rubric):
        raise RubricError({"__all__": "Notez chaque critère de la grille."})
    parsed = []
    for index, (criterion, raw) in enumerate(zip(rubric, scores, strict=True)):
        if is_blank(raw):
            errors[index] = "Indiquez les points pour ce critère."
            parsed.append(ZERO)
            continue
        number = parse_number(raw)
        value = number.value
        if value is None:
            # The parser's reason (ambiguous, exponent, other digits…); plain text: an example.
            invalid = number.problem in (None, Problem.INVALID)
            errors[index] = "Indiquez un nombre, par exemple 1 ou 1,5." if invalid else number.error
        elif value < 0:
            errors[index] = "Les points ne peuvent pas être négatifs."
        elif value > criterion.points:
            errors[index] = f"Au plus {format_points(criterion.points)} point(s) pour ce critère."
        parsed.append(value if value is not None else ZERO)
    if errors:
        raise RubricError(errors)
    return [quantize(value) for value in parsed]


def format_points(value: Decimal | None) -> str:
    """1 → "1", 1.50 → "1,5": points as a French reader writes them."""
    if value is None:
        return "—"
    text = f"{quantize(value):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") or "0"


def points_label(value: Decimal) -> str:
    """1 → "1 point", 2.5 → "2,5 points"."""
    text = format_points(value)
    return f"{text} point" if value <= 1 else f"{text} points"


# ---------------------------------------------------------------------------- totals


@dataclass(frozen=True)
class ScoredAnswer:
    competency: str
    max_points: Decimal
    points: Decimal | None
    needs_manual: bool = False


@dataclass(frozen=True)
class Totals:
    auto_score: Decimal
    manual_score: Decimal
    score: Decimal
    max_score: Decimal
    percent: Decimal
    passed: bool | None
    pending: int
    by_competency: dict = field(default_factory=dict)


def competency_breakdown(answers: Iterable[ScoredAnswer]) -> dict[str, tuple[Decimal, Decimal]]:
    """(points obtained, points possible) per competency code, in code order."""
    result: dict[str, list[Decimal]] = {}
    for answer in answers:
        obtained, possible = result.setdefault(answer.competency, [ZERO, ZERO])
        result[answer.competency] = [
            obtained + (answer.points or ZERO),
            possible + answer.max_points,
        ]
    return {code: (quantize(pair[0]), quantize(pair[1])) for code, pair in sorted(result.items())}


def percent_of(obtained: Decimal, possible: Decimal) -> Decimal:
    if not possible:
        return ZERO
    return quantize(obtained * HUNDRED / possible)


def attempt_totals(answers: Iterable[ScoredAnswer], pass_mark_percent: int) -> Totals:
    """Scores of an attempt. `passed` stays None while answers await a grader."""
    answers = list(answers)
    auto = sum(
        (a.points or ZERO for a in answers if not a.needs_manual and a.points is not None), ZERO
    )
    manual = sum((a.points or ZERO for a in answers if a.needs_manual), ZERO)
    pending = sum(1 for a in answers if a.needs_manual and a.points is None)
    max_score = sum((a.max_points for a in answers), ZERO)
    score = auto + manual
    percent = percent_of(score, max_score)
    passed = None if pending else percent >= Decimal(pass_mark_percent)
    return Totals(
        auto_score=quantize(auto),
        manual_score=quantize(manual),
        score=quantize(score),
        max_score=quantize(max_score),
        percent=percent,
        passed=passed,
        pending=pending,
        by_competency=competency_breakdown(answers),
    )


# ---------------------------------------------------------------------------- authoring checks


@dataclass(frozen=True)
class QuestionDraft:
    """What an author typed for a question, before it is saved (admin form or seed file)."""

    kind: str
    points: Any
    competency: str | None = "C1"
    text: str = "x"
    choices: tuple[tuple[str, bool], ...] = ()
    answer_bool: bool | None = None
    answer_number: Any = None
    tolerance: Any = None
    accepted_answers: tuple[str, ...] = ()
    rubric: tuple[tuple[str, Any], ...] = ()


def validate_question(draft: QuestionDraft) -> dict[str, str]:
    """French messages per field for a question an author wrote; {} when it is valid."""
    errors: dict[str, str] = {}
    try:
        kind = Kind(draft.kind)
    except ValueError:
        return {"kind": "Choisissez un type de question."}
    if not draft.competency:
        errors["competency"] = "Rattachez la question à une compétence (C1 à C5)."
    if not str(draft.text or "").strip():
        errors["text"] = "Écrivez l'énoncé de la question."
    points = parse_decimal_fr(draft.points)
    if points is None or points <= 0:
        errors["points"] = "Les points doivent être un nombre positif."

    choices = [(str(text).strip(), bool(correct)) for text, correct in draft.choices]
    correct_count = sum(1 for _, correct in choices if correct)
    if kind in CHOICE_KINDS:
        if any(not text for text, _ in choices):
            errors["choices"] = "Chaque proposition doit avoir un texte."
        elif len(choices) < 2:
            errors["choices"] = "Proposez au moins deux réponses."
        elif kind == Kind.SINGLE_CHOICE and correct_count != 1:
            errors["choices"] = (
                "Une question à choix unique doit avoir exactement une bonne réponse "
                f"(il y en a {correct_count})."
            )
        elif kind == Kind.MULTIPLE_CHOICE and correct_count < 1:
            errors["choices"] = "Cochez au moins une bonne réponse."
    elif choices:
        errors["choices"] = "Seules les questions à choix ont des propositions de réponse."

    if kind == Kind.TRUE_FALSE and draft.answer_bool is None:
        errors["answer_bool"] = "Indiquez si l'affirmation est vraie ou fausse."
    if kind == Kind.NUMERIC:
        if parse_decimal_fr(draft.answer_number) is None:
            errors["answer_number"] = "Indiquez la valeur attendue (un nombre)."
        if draft.tolerance not in (None, ""):
            tolerance = parse_decimal_fr(draft.tolerance)
            if tolerance is None or tolerance < 0:
                errors["tolerance"] = "La tolérance doit être un nombre positif ou nul."
    if kind == Kind.SHORT_TEXT and not any(str(a).strip() for a in draft.accepted_answers):
        errors["accepted_answers"] = "Donnez au moins une réponse acceptée."

    if kind == Kind.LONG_TEXT:
        if not draft.rubric:
            errors["rubric"] = (
                "Une réponse rédigée se corrige avec une grille : ajoutez ses critères."
            )
        else:
            rubric_points = [parse_decimal_fr(p) for _, p in draft.rubric]
            if any(not str(text).strip() for text, _ in draft.rubric):
                errors["rubric"] = "Chaque critère de la grille doit avoir un intitulé."
            elif any(p is None or p <= 0 for p in rubric_points):
                errors["rubric"] = "Chaque critère doit valoir un nombre positif de points."
            elif points is not None and sum(rubric_points, ZERO) != points:
                errors["rubric"] = (
                    f"Les points de la grille ({format_points(sum(rubric_points, ZERO))}) doivent "
                    f"faire le total de la question ({format_points(points)})."
                )
    elif draft.rubric:
        errors["rubric"] = "Seules les réponses rédigées ont une grille de correction."
    return errors
