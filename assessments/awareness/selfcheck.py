"""A lesson's self-check questions graded by the assessment engine (`assessments.grading`):
each question becomes a `QuestionSpec` (single or multiple choice), each answer is graded by
`grade_answer`. No time limit, unlimited tries, nothing stored but the completion."""

from dataclasses import dataclass
from decimal import Decimal

from ..grading import ChoiceSpec, Kind, QuestionSpec, grade_answer

MAX_CHOICES = 20


@dataclass(frozen=True)
class Feedback:
    index: int
    question: str
    choices: tuple[tuple[int, str, bool, bool], ...]  # (key, text, correct, chosen)
    answered: bool
    correct: bool
    explanation: str


def _spec(index: int, value) -> QuestionSpec:
    return QuestionSpec(
        key=index,
        kind=Kind.MULTIPLE_CHOICE if value["multiple"] else Kind.SINGLE_CHOICE,
        competency="",
        points=Decimal(1),
        choices=tuple(
            ChoiceSpec(key=key, correct=bool(choice["correct"]), text=choice["text"])
            for key, choice in enumerate(value["choices"])
        ),
        text=value["question"],
        explanation=value["explanation"],
    )


def self_check_answers(page, data) -> dict[int, list[int]]:
    """The chosen choice keys per question, read from posted data (`q<index>`); anything that
    is not a known key is ignored."""
    answers = {}
    for index, block in enumerate(page.self_checks):
        known = range(min(len(block.value["choices"]), MAX_CHOICES))
        chosen = []
        for raw in data.getlist(f"q{index}")[:MAX_CHOICES]:
            if raw.isdigit() and len(raw) < 3 and int(raw) in known:
                chosen.append(int(raw))
        answers[index] = sorted(set(chosen))
    return answers


def grade_self_checks(page, answers: dict[int, list[int]]) -> list[Feedback]:
    feedback = []
    for index, block in enumerate(page.self_checks):
        spec = _spec(index, block.value)
        chosen = answers.get(index, [])
        value = chosen if spec.kind == Kind.MULTIPLE_CHOICE else (chosen[0] if chosen else None)
        grade = grade_answer(spec, value)
        feedback.append(
            Feedback(
                index=index,
                question=spec.text,
                choices=tuple((c.key, c.text, c.correct, c.key in chosen) for c in spec.choices),
                answered=bool(chosen),
                correct=bool(grade.is_correct),
                explanation=spec.explanation,
            )
        )
    return feedback
