"""The simulator core imports no framework and nothing of the project outside itself."""

from __future__ import annotations

import ast
from pathlib import Path

SIMULATOR = Path(__file__).resolve().parents[2] / "casestudies" / "simulator"
ALLOWED_THIRD_PARTY = {"yaml", "msgspec"}
PROJECT_PACKAGES = {"lms", "modules", "casestudies", "assessments", "tests", "benchmarks"}
STDLIB = {
    "__future__",
    "argparse",
    "ast",
    "bisect",
    "collections",
    "contextlib",
    "dataclasses",
    "datetime",
    "abc",
    "itertools",
    "multiprocessing",
    "os",
    "decimal",
    "functools",
    "hashlib",
    "importlib",
    "pickle",
    "pkgutil",
    "json",
    "math",
    "mmap",
    "pathlib",
    "re",
    "sys",
    "tempfile",
    "threading",
    "types",
    "typing",
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level


def test_simulator_imports_no_django_wagtail_or_project_module():
    files = sorted(SIMULATOR.rglob("*.py"))
    assert len(files) > 10
    problems = []
    for path in files:
        for module, level in _imports(path):
            top = module.split(".")[0]
            if level > 0:
                continue  # relative import: inside the simulator package
            if (
                top in ("django", "wagtail")
                or top in PROJECT_PACKAGES
                and not module.startswith("casestudies.simulator")
            ):
                problems.append(f"{path.name}: {module}")
            elif top not in STDLIB | ALLOWED_THIRD_PARTY | PROJECT_PACKAGES:
                problems.append(f"{path.name}: unexpected dependency {module}")
    assert not problems, problems
