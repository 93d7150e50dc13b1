"""Pure rules of what an attempt asks: shuffled choices, question pools, snapshots."""

import random
from collections import Counter
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessments.draw import draw_questions, drawn_count, shuffle_choices
from assessments.grading import (
    ChoiceSpec,
    CriterionSpec,
    Kind,
    QuestionSpec,
    grade_answer,
    spec_from_snapshot,
    spec_to_snapshot,
)

codes = st.sampled_from(["C1", "C2", "C3", "C4", "C5"])


@st.composite
def choice_question(draw, key=1):
    size = draw(st.integers(min_value=2, max_value=8))
    correct = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    kind = Kind.MULTIPLE_CHOICE if draw(st.booleans()) else Kind.SINGLE_CHOICE
    if kind == Kind.SINGLE_CHOICE:
        correct = [index == draw(st.integers(0, size - 1)) for index in range(size)]
    return QuestionSpec(
        key=key,
        kind=kind,
        competency=draw(codes),
        points=Decimal(draw(st.integers(1, 5))),
        choices=tuple(
            ChoiceSpec(key=100 + i, correct=c, text=f"choix {i}") for i, c in enumerate(correct)
        ),
    )


@given(choice_question(), st.integers(), st.data())
def test_shuffling_permutes_the_choices_and_never_changes_a_grade(spec, seed, data):
    shuffled = shuffle_choices(spec, random.Random(seed))
    assert sorted(shuffled.choices, key=lambda c: c.key) == list(spec.choices)
    ticked = data.draw(st.lists(st.sampled_from([c.key for c in spec.choices]), unique=True))
    value = ticked if spec.kind == Kind.MULTIPLE_CHOICE else (ticked[:1] or [None])[0]
    assert grade_answer(shuffled, value) == grade_answer(spec, value)


@given(choice_question(), st.integers())
def test_a_fixed_order_is_kept(spec, seed):
    assert shuffle_choices(spec, random.Random(seed), fixed=True) == spec


def test_shuffling_reaches_every_position():
    spec = QuestionSpec(
        key=1, kind=Kind.SINGLE_CHOICE, competency="C1", points=Decimal(1),
        choices=tuple(ChoiceSpec(key=i, correct=i == 0) for i in range(4)),
    )  # fmt: skip
    rng = random.Random(7)
    positions = Counter(
        [c.key for c in shuffle_choices(spec, rng).choices].index(0) for _ in range(400)
    )
    assert set(positions) == {0, 1, 2, 3} and min(positions.values()) > 60


@given(
    st.lists(codes, min_size=1, max_size=30),
    st.one_of(st.none(), st.integers(1, 6)),
    st.integers(),
)
def test_a_draw_keeps_n_per_competency_in_the_authors_order(bank_codes, per, seed):
    bank = [
        QuestionSpec(key=i, kind=Kind.TRUE_FALSE, competency=c, points=Decimal(1))
        for i, c in enumerate(bank_codes)
    ]
    drawn = draw_questions(bank, per, random.Random(seed))
    keys = [spec.key for spec in drawn]
    assert keys == sorted(set(keys))  # no duplicate, author's order
    available = Counter(bank_codes)
    got = Counter(spec.competency for spec in drawn)
    for code, count in available.items():
        assert got[code] == (count if per is None else min(per, count))
    assert len(drawn) == drawn_count(bank_codes, per) == drawn_count(available, per)


@given(choice_question(key=42), st.text(), st.text(max_size=3))
def test_a_snapshot_gives_back_the_same_question(spec, text, unit):
    from dataclasses import replace

    full = replace(
        spec,
        text=text,
        unit=unit,
        explanation="Parce que.",
        answer_number=Decimal("15475.50"),
        tolerance=Decimal("1"),
        accepted_answers=("rapport",),
        rubric=(CriterionSpec("Critère", Decimal("1.5")),),
    )
    assert spec_from_snapshot(spec_to_snapshot(full)) == full
