"""``--batch`` gives, line for line and in input order, what ``simulate`` gives for each
situation on its own; the fast JSON number text is ``repr(float(...))``."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from casestudies.simulator import SituationError, parse_situation, result_to_json, simulate
from casestudies.simulator.__main__ import CHUNK, decode
from casestudies.simulator.result import number_text

ROOT = Path(__file__).resolve().parents[2]


def _generate(count: int, seed: int) -> list[str]:
    """The benchmark's deterministic situations (both routes, user funding, 2024 to 2026)."""
    spec = importlib.util.spec_from_file_location(
        "bench_simulator", ROOT / "benchmarks/simulator.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(count, seed=seed)


def _expected(line: str, number: int) -> str:
    try:
        return result_to_json(simulate(parse_situation(decode(line))))
    except SituationError as error:
        return json.dumps({"line": number, "error": error.to_dict()}, ensure_ascii=False)


def test_batch_output_equals_simulate_per_situation_in_order(tmp_path):
    lines = _generate(2 * CHUNK + 150, seed=13)  # three chunks: spread over the workers
    lines[CHUNK + 7] = lines[CHUNK + 7].replace('"household"', '"menage"')  # a bad line
    lines[40] = lines[40].replace('"as_of":"20', '"as_of":"19')  # before the barèmes
    source = tmp_path / "situations.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run(  # noqa: S603 - fixed command line, no shell
        [sys.executable, "-m", "casestudies.simulator", "--batch", str(source)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 2  # the two bad lines
    produced = proc.stdout.splitlines()
    assert len(produced) == len(lines)
    for number, (line, output) in enumerate(zip(lines, produced, strict=True), start=1):
        assert output == _expected(line, number), f"line {number}"
    assert proc.stderr.count("Ligne ") == 2 and "2 ligne(s) invalide(s)." in proc.stderr


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    )
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.integers(-(10**20), 10**20)
)
def test_number_text_is_the_float_repr(value: Decimal | int) -> None:
    assert number_text(value) == repr(float(value))


def test_a_lost_result_block_is_computed_again(monkeypatch):
    """A forked copy that dies leaves its chunks' files missing: the parent computes them."""
    from casestudies.simulator import __main__ as cli

    lines = _generate(11, seed=3) + ['{"oops": 1}']
    chunks = [[(2 * i + 1, lines[2 * i]), (2 * i + 2, lines[2 * i + 1])] for i in range(6)]
    monkeypatch.setattr(cli.os, "replace", lambda _source, _target: None)  # every file lost
    assert list(cli._forked(chunks, 2)) == [cli._process_chunk(c) for c in chunks]


def test_forked_copies_results_come_back_in_order_by_file(tmp_path):
    """Results written by a forked copy are handed over by path and copied in order (by the
    kernel when the output is a file)."""
    from casestudies.simulator import __main__ as cli

    lines = _generate(40, seed=5)
    lines[7] = '{"oops": 1}'
    chunks = [[(4 * i + j + 1, lines[4 * i + j]) for j in range(4)] for i in range(10)]
    expected = [cli._process_chunk(c) for c in chunks]
    target = tmp_path / "out.jsonl"
    with target.open("wb") as sink:
        for (payload, errors), (_block, messages) in zip(
            cli._forked(chunks, 2), expected, strict=True
        ):
            assert errors == messages
            if isinstance(payload, str):
                cli._copy(payload, sink)
            else:
                sink.write(payload)
    assert target.read_bytes() == b"".join(block for block, _ in expected)
