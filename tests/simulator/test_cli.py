"""The command line, through a subprocess, exactly as the contract describes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = {
    "as_of": "2026-03-01",
    "household": {
        "size": 2,
        "reference_tax_income": 24000,
        "owner_occupant": True,
        "main_residence": True,
    },
    "home": {
        "department": "01",
        "type": "maison",
        "surface_m2": 90,
        "age_years": 60,
        "dpe_before": "F",
        "dpe_after": "C",
    },
    "project": {
        "route": "ampleur",
        "works_cost_ht": 45000,
        "vat_rate": 0.055,
        "insulation_gestures": 2,
        "keeps_fossil_heating": False,
        "mar_cost_ttc": 2000,
        "gestures": [{"code": "pac_air_eau", "quantity": 1}],
    },
    "other_funding": [
        {"funder": "caisse_retraite", "kind": "subvention", "amount": 3000},
        {"funder": "sacicap", "kind": "pret", "amount": 5000},
    ],
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}  # no Django settings at all
    return subprocess.run(  # noqa: S603 - fixed command line, no shell
        [sys.executable, "-m", "casestudies.simulator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def test_contract_example_from_a_file(tmp_path):
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    proc = run(str(path))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["income_scale"] == "hors_idf"
    assert out["income_category"] == "tres_modeste"
    assert out["works_cost_ttc"] == 47475.0
    mpr = out["mpr_accompagnee"]
    assert (mpr["eligible"], mpr["class_gain"], mpr["rate"], mpr["ceiling_ht"]) == (
        True,
        3,
        0.8,
        40000,
    )
    assert (mpr["amount_before_ecretement"], mpr["amount"], mpr["advance"]) == (
        32000.0,
        32000.0,
        9600.0,
    )
    assert out["mar_prise_en_charge"] == 2000.0
    assert out["par_geste"][0]["code"] == "pac_air_eau" and out["par_geste"][0]["eligible"] is False
    assert out["aids"][0]["code"] == "mpr_accompagnee"
    assert set(out["aids"][0]["trace"][0]) == {"rule", "value", "source"}
    assert out["ecretement"] == {
        **out["ecretement"],
        "rate": 1.0,
        "ceiling": 47475.0,
        "applied": False,
    }
    assert out["total_subsidies"] == 35000.0
    assert [(x["code"], x["max_amount"]) for x in out["loans"]] == [
        ("eco_ptz", 50000.0),
        ("par_plus", 50000.0),
    ]
    assert out["loans"][1]["eligible"] is True
    assert out["reste_a_charge"] == 12475.0
    assert out["reste_a_charge_pct"] == 26.28
    assert out["missing"] == []
    assert out["defaults_used"] == []
    contract_keys = {
        "as_of",
        "income_scale",
        "income_category",
        "works_cost_ttc",
        "mpr_accompagnee",
        "mar_prise_en_charge",
        "par_geste",
        "aids",
        "ecretement",
        "total_subsidies",
        "loans",
        "reste_a_charge",
        "reste_a_charge_pct",
        "warnings",
        "missing",
        "defaults_used",
    }
    assert contract_keys <= set(out)


def test_standard_input_with_dash():
    proc = run("-", stdin=json.dumps(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total_subsidies"] == 35000.0


def test_default_vat_rate_is_reported():
    data = json.loads(json.dumps(EXAMPLE))
    del data["project"]["vat_rate"]
    proc = run("-", stdin=json.dumps(data))
    assert proc.returncode == 0
    assert "project.vat_rate" in json.loads(proc.stdout)["defaults_used"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "JSON invalide (ligne 1, colonne 2)"),
        (
            '{"as_of": "2026-03-01", '
            '"household": {"size": 2, "reference_tax_income": 1, "pets": 1}}',
            "household.pets : clé inconnue",
        ),
        (
            json.dumps({**EXAMPLE, "household": {**EXAMPLE["household"], "size": "deux"}}),
            "household.size : nombre entier attendu",
        ),
        (
            json.dumps({**EXAMPLE, "home": {**EXAMPLE["home"], "dpe_after": "G"}}),
            "home.dpe_after : classe au moins aussi bonne que dpe_before",
        ),
        (
            json.dumps({**EXAMPLE, "project": {**EXAMPLE["project"], "works_cost_ht": -5}}),
            "project.works_cost_ht : nombre supérieur à 0",
        ),
        (json.dumps({**EXAMPLE, "as_of": "2023-12-31"}), "as_of : date à partir du 2024-01-01"),
        (
            json.dumps({**EXAMPLE, "home": {**EXAMPLE["home"], "department": "100"}}),
            "home.department : numéro de département attendu",
        ),
        ("[1, 2]", "objet JSON attendu"),
        ('{"household": {"size": 2, "reference_tax_income": NaN}}', "constante NaN"),
    ],
)
def test_bad_input_exits_2_with_a_french_message_naming_the_field(text, fragment):
    proc = run("-", stdin=text)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_exits_2_without_traceback():
    proc = run("/nonexistent/situation.json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Lecture impossible" in proc.stderr and "Traceback" not in proc.stderr


def test_usage_error_exits_2():
    proc = run()
    assert proc.returncode == 2 and "usage" in proc.stderr


def test_batch_goes_on_after_a_bad_line_and_exits_2(tmp_path):
    good = json.dumps(EXAMPLE)
    path = tmp_path / "situations.jsonl"
    path.write_text(
        "\n".join([good, '{"as_of": "2026-03-01", "oops": 1}', good]) + "\n", encoding="utf-8"
    )
    proc = run("--batch", str(path))
    assert proc.returncode == 2
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["total_subsidies"] == 35000.0 and lines[2]["total_subsidies"] == 35000.0
    assert lines[1] == {
        "line": 2,
        "error": {"path": "oops", "message": lines[1]["error"]["message"]},
    }
    assert "clé inconnue" in lines[1]["error"]["message"]
    assert "Ligne 2" in proc.stderr and "Traceback" not in proc.stderr


def test_batch_all_good_exits_0(tmp_path):
    path = tmp_path / "situations.jsonl"
    path.write_text(json.dumps(EXAMPLE) + "\n\n" + json.dumps(EXAMPLE) + "\n", encoding="utf-8")
    proc = run("--batch", str(path))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 2
