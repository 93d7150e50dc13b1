"""Questions as an attempt froze them, ready for templates (the live `Question` is never read
once an attempt has started; see `Answer.snapshot`)."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from lms.markdown import render_markdown

from .grading import QuestionSpec, points_label, spec_from_snapshot


@dataclass(frozen=True)
class FrozenChoice:
    key: int
    text: str
    correct: bool

    @property
    def pk(self) -> int:
        return self.key


@dataclass(frozen=True)
class FrozenCriterion:
    criterion: str
    points: Decimal

    @property
    def points_label(self) -> str:
        return points_label(self.points)


class FrozenQuestion:
    """The template-facing view of a snapshot: the same attribute names as `Question`."""

    def __init__(self, spec: QuestionSpec, *, deleted: bool = False):
        self.spec = spec
        self.deleted = deleted

    @classmethod
    def from_snapshot(cls, data: dict | None) -> "FrozenQuestion | None":
        if not data:
            return None
        return cls(spec_from_snapshot(data), deleted=bool(data.get("deleted")))

    pk = property(lambda self: self.spec.key)
    kind = property(lambda self: self.spec.kind.value)
    points = property(lambda self: self.spec.points)
    text = property(lambda self: self.spec.text)
    explanation = property(lambda self: self.spec.explanation)
    unit = property(lambda self: self.spec.unit)
    answer_bool = property(lambda self: self.spec.answer_bool)
    answer_number = property(lambda self: self.spec.answer_number)
    tolerance = property(lambda self: self.spec.tolerance)
    accepted_answer_list = property(lambda self: list(self.spec.accepted_answers))

    @cached_property
    def choices(self) -> list[FrozenChoice]:
        return [FrozenChoice(c.key, c.text, c.correct) for c in self.spec.choices]

    @cached_property
    def rubric_criteria(self) -> list[FrozenCriterion]:
        return [FrozenCriterion(c.criterion, c.points) for c in self.spec.rubric]

    @property
    def points_label(self) -> str:
        return points_label(self.spec.points)

    @cached_property
    def text_html(self):
        return render_markdown(self.spec.text)

    @cached_property
    def explanation_html(self):
        return render_markdown(self.spec.explanation)
