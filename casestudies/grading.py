"""Milestone scores (pure): agreement with the simulator, trainer rubric, and their combination.

- automatic score = share of compared fields that agree with the simulator, in percent;
- rubric score = points given / points available, in percent;
- milestone score = 40 % automatic + 60 % rubric when the milestone has compared fields
  (Identifier, Organiser et financer); the rubric alone otherwise (Réaliser et suivre).
All values are Decimal percentages rounded half-up to the hundredth.
"""

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
