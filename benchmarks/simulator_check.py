"""Byte-for-byte check of ``--batch`` against another checkout: ``python
benchmarks/simulator_check.py --baseline DIR [--count N]``.

A speed-up of the simulator's input and output must not change a single byte: the results, the
French error messages (with the path of the faulty field), the messages on standard error and
the exit code. This script builds two files and runs ``python -m casestudies.simulator --batch``
of this checkout and of ``DIR`` (e.g. ``git worktree add /tmp/sim-base main``) on each, then
compares standard output, standard error and the exit code byte for byte:

- the benchmark's N (default 20,000) valid situations (``benchmarks/simulator.py``);
- odd lines: every field of a few complete situations replaced by each value of a list of odd
  JSON values (wrong types, null, huge, tiny and long numbers, 1e999, NaN, Infinity, too many
  decimal places, unicode, lone surrogates, objects, lists), every key removed, an unknown key
  added to every object, a few hundred random mutations, and malformed JSON (truncated lines,
  BOM, trailing data, control characters, deep nesting).

Exit 0 when everything is identical, 1 otherwise (the first differing lines are printed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from simulator import generate  # noqa: E402

SENTINEL = "\u0000SENTINEL\u0000"
ODD_VALUES = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "-1",
    "1",
    "2",
    "6",
    "7",
    "29",
    "30",
    "31",
    "100",
    "1.5",
    "0.5",
    "-0.5",
    "1.0",
    "2.0",
    "0.055",
    "0.2",
    "0.2000001",
    "0.0000001",
    "0.1234567",
    "1e2",
    "1E+2",
    "1e-7",
    "1e999",
    "-1e999",
    "1e-999",
    "1e400",
    "NaN",
    "Infinity",
    "-Infinity",
    "100000000",
    "100000000.0",
    "100000000.000001",
    "100000001",
    "99999999.999999",
    "123456789012345678901234567890",
    "1" * 120,
    "9" * 5000,
    "0." + "1" * 60,
    "1234567890.123456789",
    "1.7976931348623157e308",
    "5e-324",
    "4.9e-325",
    '""',
    '"x"',
    '"A"',
    '"G"',
    '"D"',
    '"2A"',
    '"2B"',
    '"975"',
    '"974"',
    '"20"',
    '"00"',
    '"maison"',
    '"appartement"',
    '"ampleur"',
    '"par_geste"',
    '"subvention"',
    '"pret"',
    '"ccas"',
    '"autre"',
    '"2025-02-30"',
    '"2023-12-31"',
    '"2024-01-01"',
    '"2026-06-30"',
    '"2025-6-1"',
    '"é€😀 ünïcødé"',
    '"\\ud800"',
    '"\\u0000"',
    '"' + "x" * 300 + '"',
    "[]",
    "{}",
    "[1, 2]",
    '{"a": 1}',
    '[{"code": "vmc_double_flux"}]',
    '[{"funder": "ccas", "kind": "subvention", "amount": 1}]',
]
EXTRA_FIELDS = {
    "household": {
        "oldest_person_age": 72,
        "gir": 3,
        "disability_rate": 0.5,
        "pch": True,
        "energy_precarity": True,
    },
    "home": {
        "insalubrity_score": 0.4,
        "degradation_score": 0.2,
        "police_procedure": False,
        "habitat_indigne": True,
    },
    "project": {"adaptation_cost_ht": 12000},
}
BROKEN = [
    "",
    "{",
    "}",
    "[]",
    '"texte"',
    "42",
    "null",
    "true",
    "{}",
    '{"as_of": }',
    '{"as_of": 1,}',
    "{'as_of': 1}",
    '{"as_of" 1}',
    '{"as_of": "2025-01-01" "household": {}}',
    '{"as_of": "2025-01-01"} extra',
    '{"a": "\u0001"}',
    "\ufeff{}",
    '{"a": NaN}',
    '{"a": -Infinity}',
    "[" * 2000 + "]" * 2000,
    '{"a": ' * 3000 + "1" + "}" * 3000,
    '{"as_of": "2025-01-01", "as_of": "2026-01-01"}',
    '{"a": "unterminated}',
    '{"a": 1e}',
    '{"a": .5}',
    '{"a": 01}',
    '{"a": +1}',
    '{"a": 0x10}',
    '{"\\ud800": 1}',
]


def _paths(value, prefix=()):
    """Every path (tuple of keys and indexes) of a decoded JSON value, parents first."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _replaced(value, path, new):
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return copy


def _removed(value, path):
    copy = json.loads(json.dumps(value))
    target = copy
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return copy


def _dump(value, raw=None) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if raw is None else text.replace(json.dumps(SENTINEL), raw)


def odd_lines(seed: int = 13) -> list[str]:
    """Invalid and unusual lines, deterministic."""
    rng = random.Random(seed)
    bases = [json.loads(line) for line in generate(60, seed=seed)]
    ampleur = next(b for b in bases if b["project"]["route"] == "ampleur")
    par_geste = next(
        b for b in bases if b["project"]["route"] == "par_geste" and "other_funding" in b
    )
    full = json.loads(json.dumps(ampleur))
    for section, fields in EXTRA_FIELDS.items():
        full[section].update(fields)
    full["other_funding"] = [
        {"funder": "caisse_retraite", "kind": "subvention", "amount": 1500.5, "label": "Caisse"},
        {"funder": "sacicap", "kind": "pret", "amount": 3000},
    ]
    lines: list[str] = []
    for base in (full, par_geste):
        for path in list(_paths(base))[1:]:
            for raw in ODD_VALUES:
                lines.append(_dump(_replaced(base, path, SENTINEL), raw))
            lines.append(_dump(_removed(base, path)))
            parent = _replaced(base, (), base)
            target = parent
            for key in path[:-1]:
                target = target[key]
            if isinstance(target, dict):
                for key in ("inconnu", "clé_é€", "k" * 60, "\ud800"):
                    added = json.loads(json.dumps(parent))
                    node = added
                    for step in path[:-1]:
                        node = node[step]
                    node[key] = 1
                    lines.append(_dump(added))
        for key in ("inconnu", "as_of"):
            lines.append(_dump({**base, key: 1}))
    # random mutations: several odd values at once, keys removed, objects shuffled
    mutable = [full, par_geste, *bases[:20]]
    for _ in range(3000):
        base = rng.choice(mutable)
        paths = list(_paths(base))[1:]
        value, raw_values = base, []
        for _step in range(rng.randint(1, 3)):
            path = rng.choice(paths)
            roll = rng.random()
            try:
                if roll < 0.6:
                    marker = f"{SENTINEL}{len(raw_values)}"
                    value = _replaced(value, path, marker)
                    raw_values.append((marker, rng.choice(ODD_VALUES)))
                elif roll < 0.8:
                    value = _removed(value, path)
                else:
                    value = _replaced(value, path, None)
            except (KeyError, IndexError, TypeError):
                continue
        text = _dump(value)
        for marker, raw in raw_values:
            text = text.replace(json.dumps(marker, ensure_ascii=False), raw)
        if rng.random() < 0.2:  # key order shuffled
            try:
                decoded = json.loads(text)
            except ValueError:
                decoded = None
            if isinstance(decoded, dict):
                items = list(decoded.items())
                rng.shuffle(items)
                text = json.dumps(dict(items), ensure_ascii=rng.random() < 0.5)
        lines.append(text)
    for base in bases[:10]:  # formatting variants of valid lines
        lines.append(json.dumps(base, indent=None))
        lines.append(json.dumps(base, ensure_ascii=True, separators=(", ", " : ")))
        lines.append("  " + json.dumps(base) + "  \t")
    lines.extend(BROKEN)
    lines.extend(line[: len(line) // 2] for line in generate(20, seed=seed + 1))
    return [line.replace("\n", " ").replace("\r", " ") for line in lines]


def run(checkout: Path, source: Path) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(  # noqa: S603 - fixed command line, no shell
        [sys.executable, "-m", "casestudies.simulator", "--batch", str(source)],
        capture_output=True,
        cwd=checkout,
        env=env,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _first_difference(name: str, a: bytes, b: bytes) -> str:
    for number, (x, y) in enumerate(zip(a.split(b"\n"), b.split(b"\n"), strict=False), start=1):
        if x != y:
            return f"{name}, line {number}:\n  this:     {x[:400]!r}\n  baseline: {y[:400]!r}"
    return f"{name}: one is a prefix of the other ({len(a)} and {len(b)} bytes)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--count", type=int, default=20_000, help="valid situations")
    args = parser.parse_args()
    baseline = args.baseline.resolve()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "benchmark situations": generate(args.count),
            "odd lines": odd_lines(),
        }
        for name, lines in files.items():
            source = Path(tmp) / "input.jsonl"
            with source.open("w", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write("\n".join(lines) + "\n")
            mine, theirs = run(ROOT, source), run(baseline, source)
            same = mine == theirs
            failed |= not same
            print(
                f"{name}: {len(lines):,} lines, exit {mine[0]}, {len(mine[1]):,} bytes out, "
                f"{len(mine[2]):,} bytes err — {'identical' if same else 'DIFFERENT'}"
            )
            if not same:
                if mine[0] != theirs[0]:
                    print(f"  exit {mine[0]} here, {theirs[0]} in the baseline")
                for label, a, b in (("stdout", mine[1], theirs[1]), ("stderr", mine[2], theirs[2])):
                    if a != b:
                        print("  " + _first_difference(label, a, b))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
