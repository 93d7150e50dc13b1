"""The crossing point between case studies and the simulator: golden cases and situations."""

import copy
import datetime
import functools
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
