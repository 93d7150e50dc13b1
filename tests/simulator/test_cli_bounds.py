"""The CLI keeps its contract for any input (issue 11, kind 2): a number beyond the schema's
range is refused at once with exit 2 and its JSON path, nothing hangs, nothing ends as an
"Erreur interne", and in --batch one bad line never costs the other lines their results."""

from __future__ import annotations

import copy
import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casestudies.simulator.__main__ import run_one
from casestudies.simulator.situation import SituationError
from tests.simulator.test_cli import EXAMPLE, run

NUMBER_PATHS = [
    ("household", "size"),
    ("household", "reference_tax_income"),
    ("household", "oldest_person_age"),
    ("home", "surface_m2"),
    ("home", "age_years"),
    ("project", "works_cost_ht"),
    ("project", "vat_rate"),
    ("project", "insulation_gestures"),
    ("project", "mar_cost_ttc"),
    ("project", "gestures", 0, "quantity"),
    ("other_funding", 0, "amount"),
]
HUGE_LITERALS = ["1" + "0" * 5000, "1e999999999", "-1e999999999", "9" * 30, "1" + "0" * 26]


def situation_with(path: tuple, literal: str) -> str:
    """The contract's example as JSON text with the raw number `literal` at `path`."""
    data = copy.deepcopy(EXAMPLE)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = "@@"
    return json.dumps(data).replace('"@@"', literal)


def json_path(path: tuple) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def timed_run_one(text: str):
    start = time.perf_counter()
    try:
        outcome = run_one(text)
    except SituationError as error:
        outcome = error
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s for {text[:80]!r}"
    return outcome


@pytest.mark.parametrize("path", NUMBER_PATHS, ids=json_path)
@pytest.mark.parametrize("literal", HUGE_LITERALS, ids=lambda t: t[:12])
def test_a_number_beyond_the_range_is_refused_at_once_with_its_path(path, literal):
    outcome = timed_run_one(situation_with(path, literal))
    assert isinstance(outcome, SituationError)
    assert outcome.path == json_path(path)
    assert len(outcome.message) < 200  # the number is not echoed digit by digit


@settings(max_examples=150, deadline=None)
@given(
    path=st.sampled_from(NUMBER_PATHS),
    mantissa=st.integers(min_value=-(10**40), max_value=10**40),
    exponent=st.integers(min_value=-(10**9), max_value=10**9),
)
def test_any_number_literal_gives_a_result_or_a_refusal_naming_its_path(path, mantissa, exponent):
    outcome = timed_run_one(situation_with(path, f"{mantissa}e{exponent}"))
    if isinstance(outcome, SituationError):
        assert outcome.path == json_path(path) and outcome.message
    else:
        assert outcome["income_category"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_result_or_a_clean_refusal_within_a_second(text):
    timed_run_one(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 200_000 + "]" * 200_000,
        '{"a":' * 100_000,
        '"' + "x" * 1_000_000 + '"',
        '{"\\ud800": 1}',
        json.dumps({**EXAMPLE, "x" * 100_000: 1}),
        json.dumps(
            {**EXAMPLE, "project": {**EXAMPLE["project"], "gestures": [{"code": "x"}] * 100_000}}
        ),
    ],
    ids=["deep-list", "deep-object", "long-string", "lone-surrogate", "long-key", "long-list"],
)
def test_pathological_inputs_are_refused_within_a_second(text):
    assert isinstance(timed_run_one(text), SituationError)


def test_cli_refuses_a_huge_exponent_instantly_with_exit_2_and_the_path():
    start = time.perf_counter()
    proc = run("-", stdin=situation_with(("household", "size"), "1e999999999"))
    assert time.perf_counter() - start < 10  # interpreter start-up included; it hung before
    assert proc.returncode == 2 and proc.stdout == ""
    assert "household.size" in proc.stderr and "Erreur interne" not in proc.stderr


def test_cli_refuses_a_5000_digit_integer_with_exit_2_and_the_path():
    proc = run("-", stdin=situation_with(("project", "works_cost_ht"), "1" + "0" * 5000))
    assert proc.returncode == 2 and "project.works_cost_ht" in proc.stderr
    assert "Erreur interne" not in proc.stderr


def test_batch_bad_lines_never_cost_the_good_lines_their_results(tmp_path):
    good = json.dumps(EXAMPLE)
    bad = [
        situation_with(("household", "size"), "1e999999999"),
        situation_with(("project", "works_cost_ht"), "1" + "0" * 5000),
        '{"\\ud800": 1}',
        "[" * 100_000,
    ]
    path = tmp_path / "situations.jsonl"
    path.write_text("\n".join([good, *bad, good]) + "\n", encoding="utf-8")
    proc = run("--batch", str(path))
    assert proc.returncode == 2, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 6
    assert lines[0]["total_subsidies"] == lines[5]["total_subsidies"] == 35000.0
    assert [line["line"] for line in lines[1:5]] == [2, 3, 4, 5]
    assert lines[1]["error"]["path"] == "household.size"
    assert lines[2]["error"]["path"] == "project.works_cost_ht"
    assert "Erreur interne" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_lone_surrogate_in_a_label_is_written_as_its_json_escape(tmp_path):
    """A label is written back in the result: a lone surrogate has no UTF-8 form, so it is
    written as its JSON escape (it stopped the whole batch with an internal error)."""
    data = copy.deepcopy(EXAMPLE)
    data["other_funding"] = [{"funder": "ccas", "kind": "subvention", "amount": 100}]
    data["other_funding"][0]["label"] = "@@"
    text = json.dumps(data).replace('"@@"', '"x\\ud800y"')
    path = tmp_path / "situations.jsonl"
    path.write_text("\n".join([text, json.dumps(EXAMPLE)]) + "\n", encoding="utf-8")
    batch = run("--batch", str(path))
    single = run("-", stdin=text)
    for proc in (batch, single):
        assert proc.returncode == 0, proc.stderr
        assert "x\\ud800y" in proc.stdout and "Erreur interne" not in proc.stderr
    first, second = (json.loads(line) for line in batch.stdout.splitlines())
    assert first["other_funding"][0]["label"] == "x\ud800y" and "line" not in second
