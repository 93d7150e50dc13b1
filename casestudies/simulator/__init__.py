"""Dossier simulator core: French renovation aids for owner-occupants, as pure Python.

Public API::

    from casestudies.simulator import parse_situation, simulate, result_to_dict
    situation = parse_situation(json.loads(text))      # SituationError on bad input
    result = simulate(situation, as_of=situation.as_of)
    data = result_to_dict(result)                      # the contract's JSON, as a dict
    text = result_to_json(result)                      # the same, as one line of JSON text
    registry()                                         # the aids, by code (registry.py)

No framework import here or below (a test enforces it).
"""

from .engine import simulate
from .loader import BaremeError
from .registry import registry
from .result import Result, result_to_dict, result_to_json
from .situation import Situation, SituationError, parse_situation

__all__ = [
    "BaremeError",
    "Result",
    "Situation",
    "SituationError",
    "parse_situation",
    "registry",
    "result_to_dict",
    "result_to_json",
    "simulate",
]
