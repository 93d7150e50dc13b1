"""Dossier simulator core: French renovation aids for owner-occupants, as pure Python.

Public API::

    from casestudies.simulator import parse_situation, simulate, result_to_dict
    situation = parse_situation(json.loads(text))      # SituationError on bad input
    result = simulate(situation, as_of=situation.as_of)
    data = result_to_dict(result)                      # the contract's JSON

No framework import here or below (a test enforces it).
"""

from .engine import simulate
from .loader import BaremeError
from .result import Result, result_to_dict
from .situation import Situation, SituationError, parse_situation

__all__ = [
    "BaremeError",
    "Result",
    "Situation",
    "SituationError",
    "parse_situation",
    "result_to_dict",
    "simulate",
]
