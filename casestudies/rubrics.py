"""The trainer rubric of each milestone, read from fixtures/casestudies/rubrics.yaml."""

import copy
import functools
from pathlib import Path

from django.conf import settings

import yaml

from .milestones import Milestone

RUBRICS_FILE = Path(settings.BASE_DIR) / "fixtures" / "casestudies" / "rubrics.yaml"


class RubricError(ValueError):
    pass


def check_rubrics(data, *, source: str = "rubrics.yaml") -> dict[str, list[dict]]:
    """Validate the rubric data: 3 to 5 criteria per milestone, each with key, label, points."""
    if not isinstance(data, dict):
        raise RubricError(f"{source} : un dictionnaire par jalon est attendu.")
    rubrics: dict[str, list[dict]] = {}
    for milestone in Milestone:
        criteria = data.get(milestone.value)
        if not isinstance(criteria, list) or not 3 <= len(criteria) <= 5:
            raise RubricError(f"{source}, jalon {milestone.value} : 3 à 5 critères attendus.")
        keys = set()
        for index, criterion in enumerate(criteria, start=1):
            where = f"{source}, jalon {milestone.value}, critère {index}"
            if not isinstance(criterion, dict):
                raise RubricError(f"{where} : un dictionnaire est attendu.")
            for key in ("key", "label", "points"):
                if key not in criterion:
                    raise RubricError(f"{where} : clé « {key} » manquante.")
            points = criterion["points"]
            if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
                raise RubricError(f"{where} : points entiers positifs attendus.")
            if criterion["key"] in keys:
                raise RubricError(f"{where} : clé « {criterion['key']} » en double.")
            keys.add(criterion["key"])
        rubrics[milestone.value] = criteria
    unknown = set(data) - {m.value for m in Milestone}
    if unknown:
        raise RubricError(f"{source} : jalon inconnu {sorted(unknown)}.")
    return rubrics


@functools.cache
def _read_rubrics() -> dict[str, list[dict]]:
    with RUBRICS_FILE.open(encoding="utf-8") as handle:
        return check_rubrics(yaml.safe_load(handle), source=RUBRICS_FILE.name)


def load_rubrics() -> dict[str, list[dict]]:
    """The rubrics, read once per process; each caller gets its own copy, so that a request
    (another thread) changing what it got never changes what the others read."""
    return copy.deepcopy(_read_rubrics())


def rubric_for(milestone: str) -> list[dict]:
    return copy.deepcopy(_read_rubrics()[str(Milestone(milestone).value)])
