"""What each attempt asks, drawn once at its start: pure functions, no ORM, no Django.

- Choices are shuffled per attempt unless the author fixed their order (a question whose last
  choice is "toutes les réponses ci-dessus" must keep it last).
- Question pools: when an assessment draws N questions per competency, each attempt gets N
  questions picked at random among the questions of each competency (all of them when the
  competency has N or fewer). Drawn questions keep the author's order, so an assessment still
  reads from C1 to C5 and from easy to hard.

The randomness comes from the `rng` argument (`random.Random` or `random.SystemRandom`), so the
functions are deterministic in tests. Rule source: issue 9, item 1; decisions in
docs/decisions.md ("cert-assess").
"""

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from .grading import CHOICE_KINDS, QuestionSpec


def shuffle_choices(spec: QuestionSpec, rng: random.Random, *, fixed: bool = False) -> QuestionSpec:
    """The same question with its choices in a random order (unchanged when `fixed`, or when it
    has no choices). Keys and correctness travel with each choice: grading is unaffected."""
    if fixed or spec.kind not in CHOICE_KINDS or len(spec.choices) < 2:
        return spec
    choices = list(spec.choices)
    rng.shuffle(choices)
    return replace(spec, choices=tuple(choices))


def draw_questions(
    specs: Iterable[QuestionSpec], per_competency: int | None, rng: random.Random
) -> list[QuestionSpec]:
    """The questions of one attempt: all of `specs` when `per_competency` is None, else at most
    `per_competency` of each competency, picked uniformly at random, in the original order."""
    specs = list(specs)
    if not per_competency:
        return specs
    by_competency: dict[str, list[int]] = defaultdict(list)
    for index, spec in enumerate(specs):
        by_competency[spec.competency].append(index)
    kept: set[int] = set()
    for indexes in by_competency.values():
        kept.update(rng.sample(indexes, min(per_competency, len(indexes))))
    return [spec for index, spec in enumerate(specs) if index in kept]


def drawn_count(competencies: Iterable[str] | Mapping[str, int], per_competency: int | None) -> int:
    """How many questions an attempt gets: `competencies` is one code per question of the bank
    (or a {code: count} mapping)."""
    counts = Counter(competencies) if not isinstance(competencies, Mapping) else competencies
    if not per_competency:
        return sum(counts.values())
    return sum(min(per_competency, count) for count in counts.values())
