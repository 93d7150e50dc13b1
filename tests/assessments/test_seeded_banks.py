"""The seeded question banks measure: no fixed answering pattern passes, right answers are spread
(issue 9, item 1). Read from the YAML files as authored, in their written order (no shuffle)."""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assessments.grading import (
    CHOICE_KINDS,
    ChoiceSpec,
    Kind,
    QuestionSpec,
    ScoredAnswer,
    attempt_totals,
    grade_answer,
)

BANKS = Path(__file__).resolve().parents[2] / "fixtures" / "assessments"
GRADED = ["quiz-semaine-1", "quiz-semaine-2", "quiz-semaine-3", "evaluation-finale"]


def bank(name: str) -> tuple[dict, list[QuestionSpec]]:
    data = yaml.safe_load((BANKS / f"{name}.yaml").read_text(encoding="utf-8"))
    specs = []
    for key, item in enumerate(data["questions"]):
        specs.append(
            QuestionSpec(
                key=key,
                kind=Kind(item["kind"]),
                competency=item["competency"],
                points=Decimal(str(item["points"])),
                choices=tuple(
                    ChoiceSpec(key=index, correct=bool(choice.get("correct")), text=choice["text"])
                    for index, choice in enumerate(item.get("choices") or [])
                ),
                answer_bool=item.get("answer") if item["kind"] == "true_false" else None,
                accepted_answers=tuple(item.get("accepted_answers") or ()),
                rubric=((),) if item["kind"] == "long_text" else (),
            )
        )
    return data, specs


def pattern_answer(spec: QuestionSpec, position: int, true_false: bool):
    """A trainee who does not read: always the option at `position` (the last one when there are
    fewer), always "Vrai" or always "Faux", nothing typed."""
    if spec.kind in CHOICE_KINDS:
        key = spec.choices[min(position, len(spec.choices) - 1)].key
        return [key] if spec.kind == Kind.MULTIPLE_CHOICE else key
    if spec.kind == Kind.TRUE_FALSE:
        return true_false
    return None


@pytest.mark.parametrize("name", GRADED)
@pytest.mark.parametrize("position", range(6))
@pytest.mark.parametrize("true_false", [True, False])
def test_ticking_a_fixed_position_everywhere_fails(name, position, true_false):
    data, specs = bank(name)
    scored = []
    for spec in specs:
        grade = grade_answer(spec, pattern_answer(spec, position, true_false))
        scored.append(ScoredAnswer(spec.competency, spec.points, grade.points or Decimal(0)))
    totals = attempt_totals(scored, data["pass_mark_percent"])
    assert not totals.passed, f"{name}: {totals.percent} % en cochant la position {position + 1}"
    assert totals.percent < Decimal(40)


@pytest.mark.parametrize("name", GRADED)
def test_ticking_the_longest_option_everywhere_fails(name):
    """The right answer is often the most detailed one: distractors are written as long and as
    plausible, so that a test-wise trainee does not pass by length alone."""
    data, specs = bank(name)
    scored = []
    for spec in specs:
        value = True if spec.kind == Kind.TRUE_FALSE else None
        if spec.kind in CHOICE_KINDS:
            longest = max(spec.choices, key=lambda choice: len(choice.text)).key
            value = [longest] if spec.kind == Kind.MULTIPLE_CHOICE else longest
        grade = grade_answer(spec, value)
        scored.append(ScoredAnswer(spec.competency, spec.points, grade.points or Decimal(0)))
    totals = attempt_totals(scored, data["pass_mark_percent"])
    assert totals.percent < Decimal(40), f"{name}: {totals.percent} %"


@pytest.mark.parametrize("name", [*GRADED, "positionnement"])
def test_right_answers_are_spread_across_positions(name):
    _, specs = bank(name)
    single = [s for s in specs if s.kind == Kind.SINGLE_CHOICE]
    positions = Counter(next(i for i, c in enumerate(s.choices) if c.correct) for s in single)
    # Every position a right answer could take among the first three is used, none dominates.
    assert {0, 1, 2} <= set(positions), positions
    assert max(positions.values()) <= len(single) / 2, positions
    for spec in (s for s in specs if s.kind == Kind.MULTIPLE_CHOICE):
        flags = [c.correct for c in spec.choices]
        assert flags != sorted(flags, reverse=True), "right answers all listed first"
    true_false = Counter(s.answer_bool for s in specs if s.kind == Kind.TRUE_FALSE)
    assert set(true_false) == {True, False} or sum(true_false.values()) < 2, true_false
