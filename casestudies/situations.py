"""The crossing point between case studies and the simulator: golden cases and situations."""

import copy
import datetime
import functools
import re
from pathlib import Path

import yaml

from .simulator import SituationError, parse_situation, simulate

GOLDEN_DIR = Path(__file__).resolve().parent / "simulator" / "golden"


def golden_case_exists(name: str) -> bool:
    return "/" not in name and "\\" not in name and (GOLDEN_DIR / f"{name}.yaml").is_file()


@functools.cache
def _read_golden_case(name: str) -> dict:
    if not golden_case_exists(name):
        raise FileNotFoundError(f"Cas de référence introuvable : {name}")
    with (GOLDEN_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_golden_case(name: str) -> dict:
    """The golden case `name` (title, description, situation, expected) as read from its file:
    read once per process, a fresh copy for each caller (nobody changes the shared one)."""
    return copy.deepcopy(_read_golden_case(name))


def situation_errors(situation: dict, *, filed_on: datetime.date | None) -> str:
    """A French message naming the JSON path of the first problem, or "" when valid."""
    try:
        parsed = parse_situation(situation, today=filed_on)
    except SituationError as error:
        where = f"champ {error.path} : " if error.path else ""
        return f"Situation invalide — {where}{error.message}"
    if filed_on and parsed.as_of != filed_on and "as_of" in situation:
        return (
            f"Situation invalide — champ as_of : la date ({parsed.as_of:%d/%m/%Y}) doit être la "
            f"date de dépôt du dossier ({filed_on:%d/%m/%Y})."
        )
    return ""


def simulate_case(situation: dict, *, filed_on: datetime.date):
    """The simulator's result for a case study, on its filing date."""
    parsed = parse_situation(situation, today=filed_on)
    return simulate(parsed, as_of=filed_on)


# --------------------------------------------------------------------------- every problem

_STEP = re.compile(r"^(?P<key>[a-z_]+)(?:\[(?P<index>\d+)\])?$")
# What stands in for a required value the simulator refused, so that the next check can run.
_PLACEHOLDERS = {
    "household.size": 1,
    "household.reference_tax_income": 0,
    "home.department": "01",
    "project.route": "ampleur",
    "project.works_cost_ht": 1,
}
_LISTS = ("project.gestures", "other_funding")
MAX_PROBLEMS = 60


def situation_problems(situation: dict, *, filed_on: datetime.date | None) -> list[SituationError]:
    """Every problem the simulator finds in `situation`, each with its JSON path (as given).

    The simulator's parser stops at the first problem; this asks it again after setting each
    refused value aside (an optional key is removed, a required one gets a valid stand-in, a
    list item with a problem is taken out of its list), so that a form can show every error
    next to its field at once. Paths of list items keep their index in `situation`.
    """
    data = copy.deepcopy(situation)
    if not isinstance(data, dict):
        return [SituationError("(racine)", "objet JSON attendu")]
    positions = {
        name: list(range(len(items))) if isinstance(items, list) else []
        for name in _LISTS
        for items in [_get(data, name)]
    }
    problems: list[SituationError] = []
    seen: set[str] = set()
    for _ in range(MAX_PROBLEMS):
        try:
            parse_situation(data, today=filed_on)
        except SituationError as error:
            path = _original_path(error.path, positions)
            if path in seen:
                break
            seen.add(path)
            problems.append(SituationError(path, error.message))
            if not _set_aside(data, error.path, positions):
                break
        else:
            break
    return problems


def _get(data: dict, dotted: str):
    node = data
    for key in dotted.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _original_path(path: str, positions: dict[str, list[int]]) -> str:
    for name, indexes in positions.items():
        match = re.match(rf"^{re.escape(name)}\[(\d+)\](.*)$", path)
        if match and int(match.group(1)) < len(indexes):
            return f"{name}[{indexes[int(match.group(1))]}]{match.group(2)}"
    return path


def _set_aside(data: dict, path: str, positions: dict[str, list[int]]) -> bool:
    """Remove or replace the value at `path` in `data`; False when nothing could be done."""
    for name, indexes in positions.items():
        match = re.match(rf"^{re.escape(name)}\[(\d+)\]", path)
        items = _get(data, name)
        if match and isinstance(items, list) and int(match.group(1)) < len(items):
            index = int(match.group(1))
            del items[index]
            del indexes[index]
            return True
    steps = path.split(".")
    node = data
    for step in steps[:-1]:
        match = _STEP.match(step)
        if not match or not isinstance(node, dict) or match.group("index"):
            return False
        node = node.get(match.group("key"))
    last = steps[-1]
    if not isinstance(node, dict):
        return False
    if path in _PLACEHOLDERS:
        if node.get(last) == _PLACEHOLDERS[path]:
            return False
        node[last] = _PLACEHOLDERS[path]
        return True
    if last not in node or path in ("household", "home", "project"):
        return False
    del node[last]
    return True
