"""Pure grading rules: no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.grading import (
    ChoiceSpec,
    CriterionSpec,
    Kind,
    QuestionDraft,
    QuestionSpec,
    RubricError,
    ScoredAnswer,
    attempt_totals,
    competency_breakdown,
    format_points,
    grade_answer,
    normalise_text,
    parse_decimal_fr,
    rubric_total,
    validate_question,
)

D = Decimal
SINGLE = QuestionSpec(
    key=1, kind=Kind.SINGLE_CHOICE, competency="C1", points=D("1"),
    choices=(ChoiceSpec(10, True), ChoiceSpec(11, False), ChoiceSpec(12, False)),
)  # fmt: skip
MULTIPLE = QuestionSpec(
    key=2, kind=Kind.MULTIPLE_CHOICE, competency="C2", points=D("2"),
    choices=(
        ChoiceSpec(20, True), ChoiceSpec(21, True), ChoiceSpec(22, False), ChoiceSpec(23, False),
    ),
)  # fmt: skip
TRUE_FALSE = QuestionSpec(
    key=3, kind=Kind.TRUE_FALSE, competency="C3", points=D("1"), answer_bool=False
)
NUMERIC = QuestionSpec(
    key=4, kind=Kind.NUMERIC, competency="C3", points=D("2"),
    answer_number=D("15475.50"), tolerance=D("1"),
)  # fmt: skip
SHORT = QuestionSpec(
    key=5, kind=Kind.SHORT_TEXT, competency="C4", points=D("1"),
    accepted_answers=("revenu fiscal de référence", "RFR"),
)  # fmt: skip
LONG = QuestionSpec(
    key=6, kind=Kind.LONG_TEXT, competency="C5", points=D("3"),
    rubric=(CriterionSpec("Éligibilité", D("2")), CriterionSpec("Calcul", D("1"))),
)  # fmt: skip
ALL_SPECS = [SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC, SHORT, LONG]


# ---------------------------------------------------------------- numbers typed the French way


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 475,50 €", D("15475.50")),
        ("15475.5", D("15475.5")),
        ("15\u202f475,50", D("15475.50")),
        ("15\u00a0475", D("15475")),
        ("15.475,50", D("15475.50")),
        ("15,475.50", D("15475.50")),
        ("1,5", D("1.5")),
        ("  42  ", D("42")),
        ("-3,25", D("-3.25")),
        ("11 475 euros", D("11475")),
        ("1.234.567", D("1234567")),
        (",5", D("0.5")),
    ],
)
def test_french_and_english_numbers_are_read(text, expected):
    assert parse_decimal_fr(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "douze", "12 abc", "1,2,3", None, "€", "1..2", "15.475", "1e5", "NaN"]
)
def test_what_is_not_a_number_reads_as_none(text):
    assert parse_decimal_fr(text) is None


# ---------------------------------------------------------------- each kind


def test_single_choice_right_and_wrong():
    assert grade_answer(SINGLE, 10) == (D("1"), True, False)
    assert grade_answer(SINGLE, 11) == (D("0"), False, False)
    assert grade_answer(SINGLE, [10, 11]) == (D("0"), False, False)


def test_unanswered_question_scores_zero_and_needs_nobody():
    for spec in ALL_SPECS:
        assert grade_answer(spec, None) == (D("0"), False, False)
    assert grade_answer(LONG, "   ") == (D("0"), False, False)


def test_multiple_choice_exact_set_earns_all_points():
    assert grade_answer(MULTIPLE, [20, 21]) == (D("2"), True, False)


def test_multiple_choice_gives_proportional_credit():
    assert grade_answer(MULTIPLE, [20]) == (D("1.00"), False, False)


def test_multiple_choice_wrong_tick_cancels_a_right_one():
    assert grade_answer(MULTIPLE, [20, 21, 22]).points == D("1.00")
    assert grade_answer(MULTIPLE, [20, 22]).points == D("0.00")


def test_multiple_choice_never_goes_negative():
    assert grade_answer(MULTIPLE, [22, 23]).points == D("0")


def test_multiple_choice_ignores_unknown_choices():
    assert grade_answer(MULTIPLE, [20, 21, 999]) == (D("2"), True, False)


def test_true_false():
    assert grade_answer(TRUE_FALSE, False) == (D("1"), True, False)
    assert grade_answer(TRUE_FALSE, True) == (D("0"), False, False)


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("15 475,50 €", True),
        ("15475.5", True),
        ("15 474,50", True),  # exactly at -tolerance
        ("15 476,50", True),  # exactly at +tolerance
        ("15 474,49", False),
        ("15 476,51", False),
        ("quinze mille", False),
        ("15.475,50", True),
        ("1.5475e4", False),  # exponents are refused, not guessed
    ],
)
def test_numeric_answer_within_tolerance(typed, correct):
    points, is_correct, needs_manual = grade_answer(NUMERIC, typed)
    assert is_correct is correct
    assert points == (D("2") if correct else D("0"))
    assert not needs_manual


def test_numeric_with_zero_tolerance_needs_the_exact_value():
    spec = QuestionSpec(
        key=9, kind=Kind.NUMERIC, competency="C1", points=D("1"), answer_number=D("51137")
    )
    assert grade_answer(spec, "51 137 €").is_correct
    assert not grade_answer(spec, "51 138").is_correct


def test_an_ambiguous_numeric_answer_is_never_guessed():
    # "15.475" may mean 15 475 or 15,475: the autosave warned the trainee; grading guesses nothing.
    spec = QuestionSpec(
        key=9, kind=Kind.NUMERIC, competency="C1", points=D("1"), answer_number=D("15475")
    )
    assert grade_answer(spec, "15.475") == (D("0"), False, False)
    assert grade_answer(spec, "15 475").is_correct


@pytest.mark.parametrize(
    "typed",
    ["Revenu fiscal de référence", "REVENU FISCAL DE REFERENCE", "  revenu   fiscal de référence. ",
     "rfr", "RFR !"],
)  # fmt: skip
def test_short_text_ignores_case_accents_spaces_and_punctuation(typed):
    assert grade_answer(SHORT, typed) == (D("1"), True, False)


def test_short_text_wrong_answer():
    assert grade_answer(SHORT, "revenu imposable") == (D("0"), False, False)


def test_normalise_text_handles_apostrophes_and_ligatures():
    assert normalise_text("Rapport d’accompagnement") == normalise_text("rapport d'accompagnement")
    assert normalise_text("Œuvre") == "oeuvre"


def test_long_text_goes_to_a_grader():
    assert grade_answer(LONG, "Ma réponse") == (None, None, True)


# ---------------------------------------------------------------- rubric


def test_rubric_total_accepts_french_decimals():
    assert rubric_total(LONG.rubric, ["1,5", "1"]) == [D("1.50"), D("1.00")]


def test_rubric_points_refused_say_why_like_everywhere_else():
    # One parser, one message: "1.500" is ambiguous, "1e0" has an exponent (issue 11, kind 1).
    with pytest.raises(RubricError) as error:
        rubric_total(LONG.rubric, ["1.500", "1e0"])
    assert "ambigu" in error.value.errors[0]
    assert "exposant" in error.value.errors[1]


def test_rubric_total_says_what_is_wrong_per_criterion_in_french():
    with pytest.raises(RubricError) as error:
        rubric_total(LONG.rubric, ["3", "-1"])
    assert error.value.errors == {
        0: "Au plus 2 point(s) pour ce critère.",
        1: "Les points ne peuvent pas être négatifs.",
    }
    with pytest.raises(RubricError) as error:
        rubric_total(LONG.rubric, ["", "beaucoup"])
    assert error.value.errors[0] == "Indiquez les points pour ce critère."
    assert error.value.errors[1] == "Indiquez un nombre, par exemple 1 ou 1,5."


def test_rubric_needs_one_score_per_criterion():
    with pytest.raises(RubricError):
        rubric_total(LONG.rubric, ["1"])


# ---------------------------------------------------------------- totals


def test_attempt_totals_percent_and_pass():
    answers = [
        ScoredAnswer("C1", D("1"), D("1")),
        ScoredAnswer("C2", D("2"), D("1")),
        ScoredAnswer("C5", D("3"), D("2"), needs_manual=True),
    ]
    totals = attempt_totals(answers, pass_mark_percent=60)
    assert totals.auto_score == D("2.00")
    assert totals.manual_score == D("2.00")
    assert totals.score == D("4.00")
    assert totals.max_score == D("6.00")
    assert totals.percent == D("66.67")
    assert totals.passed is True
    assert totals.pending == 0


def test_pass_is_unknown_while_an_answer_awaits_a_grader():
    answers = [ScoredAnswer("C1", D("1"), D("1")), ScoredAnswer("C5", D("3"), None, True)]
    totals = attempt_totals(answers, pass_mark_percent=20)
    assert totals.passed is None
    assert totals.pending == 1


def test_pass_mark_is_inclusive():
    answers = [ScoredAnswer("C1", D("10"), D("6"))]
    assert attempt_totals(answers, 60).passed is True
    assert attempt_totals(answers, 61).passed is False


def test_competency_breakdown_sums_points_per_code():
    answers = [
        ScoredAnswer("C3", D("1"), D("1")),
        ScoredAnswer("C1", D("2"), D("0")),
        ScoredAnswer("C3", D("2"), None, True),
    ]
    assert competency_breakdown(answers) == {
        "C1": (D("0.00"), D("2.00")),
        "C3": (D("1.00"), D("3.00")),
    }


def test_format_points_reads_the_french_way():
    assert format_points(D("1.50")) == "1,5"
    assert format_points(D("2.00")) == "2"
    assert format_points(D("0")) == "0"


# ---------------------------------------------------------------- properties

choice_keys = st.lists(st.integers(min_value=18, max_value=25), max_size=6)


@given(choice_keys)
def test_multiple_choice_score_stays_between_zero_and_the_points(keys):
    points = grade_answer(MULTIPLE, keys).points
    assert D("0") <= points <= MULTIPLE.points


@given(
    st.sampled_from(ALL_SPECS[:-1]),
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.text(max_size=30),
        st.lists(st.integers(min_value=0, max_value=30), max_size=5),
    ),
)  # fmt: skip
def test_no_answer_scores_above_the_points_or_below_zero(spec, value):
    points, _, needs_manual = grade_answer(spec, value)
    assert not needs_manual
    assert D("0") <= points <= spec.points


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["C1", "C2", "C3", "C4", "C5"]),
            st.decimals(min_value=1, max_value=10, places=2),
            st.decimals(min_value=0, max_value=1, places=2),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_totals_never_exceed_the_maximum(rows):
    answers = [ScoredAnswer(code, possible, possible * share) for code, possible, share in rows]
    totals = attempt_totals(answers, 50)
    assert D("0") <= totals.score <= totals.max_score
    assert D("0") <= totals.percent <= D("100")
    for obtained, possible in totals.by_competency.values():
        assert D("0") <= obtained <= possible


# ---------------------------------------------------------------- authoring checks


def test_single_choice_needs_exactly_one_correct_answer():
    draft = QuestionDraft(kind="single_choice", points=1, choices=(("A", True), ("B", True)))
    assert validate_question(draft) == {
        "choices": "Une question à choix unique doit avoir exactement une bonne réponse "
        "(il y en a 2)."
    }


def test_multiple_choice_needs_a_correct_answer_and_two_choices():
    assert "choices" in validate_question(
        QuestionDraft(kind="multiple_choice", points=1, choices=(("A", False), ("B", False)))
    )
    assert validate_question(
        QuestionDraft(kind="multiple_choice", points=1, choices=(("A", True),))
    ) == {"choices": "Proposez au moins deux réponses."}


def test_rubric_points_must_add_up_to_the_question_points():
    draft = QuestionDraft(kind="long_text", points=8, rubric=(("A", 2), ("B", 2)))
    assert validate_question(draft) == {
        "rubric": "Les points de la grille (4) doivent faire le total de la question (8)."
    }


def test_each_kind_needs_its_answer():
    assert validate_question(QuestionDraft(kind="numeric", points=1)) == {
        "answer_number": "Indiquez la valeur attendue (un nombre)."
    }
    assert validate_question(QuestionDraft(kind="true_false", points=1)) == {
        "answer_bool": "Indiquez si l'affirmation est vraie ou fausse."
    }
    assert validate_question(QuestionDraft(kind="short_text", points=1)) == {
        "accepted_answers": "Donnez au moins une réponse acceptée."
    }
    assert "rubric" in validate_question(QuestionDraft(kind="long_text", points=1))


def test_points_must_be_positive_and_choices_only_on_choice_questions():
    errors = validate_question(
        QuestionDraft(kind="true_false", points=0, answer_bool=True, choices=(("A", True),))
    )
    assert errors == {
        "points": "Les points doivent être un nombre positif.",
        "choices": "Seules les questions à choix ont des propositions de réponse.",
    }


def test_a_valid_question_has_no_error():
    draft = QuestionDraft(
        kind="numeric", points="2", answer_number="15 475,50", tolerance="1", competency="C3"
    )
    assert validate_question(draft) == {}
