"""Milestone scores (pure): agreement with the simulator, trainer rubric, and their combination.

- automatic score = share of compared fields that agree with the simulator, in percent;
- rubric score = points given / points available, in percent;
- milestone score = 40 % automatic + 60 % rubric when the milestone has compared fields
  (Identifier, Organiser et financer); the rubric alone otherwise (Réaliser et suivre);
- the automatic part is the agreement of the FIRST submission of the milestone (scored_agreement):
  after a send-back the trainee sees the expected values, so a resubmission improves the rubric
  part only (issue 9 item 2, docs/decisions.md).
All values are Decimal percentages rounded half-up to the hundredth.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

AUTOMATIC_WEIGHT = Decimal("0.4")
RUBRIC_WEIGHT = Decimal("0.6")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def automatic_score(results: list[bool]) -> Decimal | None:
    """Percentage of True in `results`; None when nothing was compared."""
    if not results:
        return None
    return percent(Decimal(sum(1 for ok in results if ok)) * HUNDRED / Decimal(len(results)))


def scored_agreement(agreements: Iterable[Decimal | None]) -> Decimal | None:
    """The agreement that counts in a milestone's score, from its submissions' agreements.

    `agreements`: each submission's automatic score (percent, or None when nothing was
    compared), oldest first. Returns the first one that is not None: that submission was made
    before any expected value was shown to the trainee (the verdict of a submission without a
    comparison shows none). None when no submission was compared (the rubric alone counts).
    Rule: docs/decisions.md, "Issue 9 item 2", "Agreement frozen at the first submission".
    """
    return next((agreement for agreement in agreements if agreement is not None), None)


def rubric_score(points: dict[str, int], criteria: list[dict]) -> Decimal:
    available = sum(int(c["points"]) for c in criteria)
    if available <= 0:
        raise ValueError("La grille n'a aucun point.")
    given = sum(max(0, min(int(points.get(c["key"], 0)), int(c["points"]))) for c in criteria)
    return percent(Decimal(given) * HUNDRED / Decimal(available))


def milestone_score(automatic: Decimal | None, rubric: Decimal) -> Decimal:
    if automatic is None:
        return percent(rubric)
    return percent(AUTOMATIC_WEIGHT * automatic + RUBRIC_WEIGHT * rubric)
