"""Golden household cases: each YAML file in casestudies/simulator/golden is one scenario with
its expected outputs (a subset of the result). Strings starting with "~" match as substrings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from casestudies.simulator import parse_situation, result_to_dict, simulate

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "casestudies" / "simulator" / "golden"
CASES = sorted(GOLDEN_DIR.glob("*.yaml"))


def _match(expected: Any, actual: Any, path: str, errors: list[str]) -> None:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            errors.append(f"{path}: objet attendu, reçu {actual!r}")
            return
        for key, value in expected.items():
            if key not in actual:
                errors.append(f"{path}.{key}: clé absente du résultat")
            else:
                _match(value, actual[key], f"{path}.{key}", errors)
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            errors.append(f"{path}: liste attendue, reçu {actual!r}")
            return
        substrings = all(isinstance(e, str) and e.startswith("~") for e in expected) and expected
        if substrings:
            for e in expected:
                if not any(e[1:] in str(a) for a in actual):
                    errors.append(f"{path}: aucun élément ne contient {e[1:]!r} dans {actual!r}")
            return
        if len(expected) != len(actual):
            errors.append(f"{path}: {len(expected)} éléments attendus, {len(actual)} reçus")
            return
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _match(e, a, f"{path}[{i}]", errors)
    elif isinstance(expected, str) and expected.startswith("~"):
        if expected[1:] not in str(actual):
            errors.append(f"{path}: {actual!r} ne contient pas {expected[1:]!r}")
    elif isinstance(expected, bool) or expected is None or isinstance(expected, str):
        if expected != actual:
            errors.append(f"{path}: attendu {expected!r}, reçu {actual!r}")
    elif isinstance(expected, int | float):
        if (
            isinstance(actual, bool)
            or not isinstance(actual, int | float)
            or abs(expected - actual) > 0.001
        ):
            errors.append(f"{path}: attendu {expected!r}, reçu {actual!r}")
    else:  # pragma: no cover
        errors.append(f"{path}: type attendu non géré {expected!r}")


def test_there_are_at_least_thirty_golden_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(case) == {"title", "description", "situation", "expected"}
    assert case["title"].strip() and case["description"].strip()
    situation = parse_situation(case["situation"])
    result = result_to_dict(simulate(situation, as_of=situation.as_of))
    errors: list[str] = []
    _match(case["expected"], result, "result", errors)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fast_json_writer_matches_to_dict(path: Path) -> None:
    import json

    from casestudies.simulator.result import result_to_json

    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    situation = parse_situation(case["situation"])
    result = simulate(situation, as_of=situation.as_of)
    assert json.loads(result_to_json(result)) == json.loads(json.dumps(result_to_dict(result)))
