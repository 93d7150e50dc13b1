"""The three milestones of a household file (Renée) and the competencies each one evidences."""

from django.db import models


class Milestone(models.TextChoices):
    IDENTIFIER = "identifier", "Identifier"
    ORGANISER = "organiser", "Organiser et financer"
    REALISER = "realiser", "Réaliser et suivre"


MILESTONE_ORDER = [Milestone.IDENTIFIER, Milestone.ORGANISER, Milestone.REALISER]

# Which competencies a validated milestone is evidence for (training.md §1: the five objectives
# follow the life of a household's file).
MILESTONE_COMPETENCIES = {
    Milestone.IDENTIFIER: ("C1",),
    Milestone.ORGANISER: ("C2", "C3"),
    Milestone.REALISER: ("C4", "C5"),
}


def milestone_label(value: str) -> str:
    try:
        return Milestone(value).label
    except ValueError:
        return value
