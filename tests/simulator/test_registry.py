"""The aid registry is the one list of aids: adding an aid is one module and one barème file.

``plugin(tmp_path)`` writes a new aid's module and its barème file outside the package (nothing
else is edited); once plugged, the input parser, the barème loader and its schemas, the engine's
combination steps and the serialiser all take it, and it is gone again after the block.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import textwrap
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from casestudies.simulator import SituationError, parse_situation, result_to_dict, simulate
from casestudies.simulator.loader import BAREMES_DIR, BaremeError
from casestudies.simulator.period import Baremes
from casestudies.simulator.registry import plugged, registry
from casestudies.simulator.result import result_to_json

PACKAGE = Path(__file__).resolve().parents[2] / "casestudies" / "simulator"
CODE = "prime_locale_test"

MODULE = '''
"""A local renovation bonus (test aid): a rate of the works, capped, for households that
declare the local scheme's file number."""

from casestudies.simulator.money import ZERO
from casestudies.simulator.ops import ceiling, rate
from casestudies.simulator.registry import TAIL, AidSpec, Answer, Outcome, Section, line
from casestudies.simulator.schemas import MONEY, RATE, Map
from casestudies.simulator.situation import Field, boolean

CODE = "prime_locale_test"
LABEL = "Prime locale à la rénovation (test)"


def evaluate(ctx, done):
    if not ctx.s.get("household.local_scheme"):
        return Outcome(CODE, False, ZERO, (), ("Dossier du dispositif local non déclaré.",))
    p = ctx.p("prime_locale_test.prime")
    base, s1 = ceiling(ctx.base_ht, p.value["plafond_ht"], "Travaux HT retenus", p.source)
    amount, s2 = rate(base, p.value["taux"], "Prime locale", p.source)
    return Outcome(CODE, True, amount, (s1, s2))


def report(ctx, spec, outcome, amount, extra):
    return line(spec, outcome, amount, extra), {"prime_locale": {"amount": amount}}


SPEC = AidSpec(
    code=CODE,
    label=LABEL,
    evaluate=evaluate,
    report=report,
    rank=70,
    order=80,
    cap_rank=7,
    inputs=(Field("household.local_scheme", boolean()),),
    bareme={
        "prime_locale_test.yaml": {"prime": Map({"taux": RATE, "plafond_ht": MONEY})},
    },
    sections=(Section("prime_locale", TAIL),),
    answer=Answer(
        "aid_prime_locale", LABEL, "Le règlement du dispositif local.", ("prime_locale_test.prime",)
    ),
)
'''

BAREME = """
description: Prime locale à la rénovation (aide de test)
references:
  deliberation:
    title: Délibération du conseil départemental (exemple)
    url: https://example.org/deliberation
prime:
  description: Taux et plafond de la prime locale
  unit: taux
  2024-01-01:
    reference: deliberation
    value: {taux: 0.10, plafond_ht: 50000}
  2026-01-01:
    reference: deliberation
    uncertain: true
    note: Montant 2026 non voté.
    value: {taux: 0.20, plafond_ht: 50000}
"""

SITUATION = {
    "as_of": "2026-03-01",
    "household": {"size": 2, "reference_tax_income": 24000, "local_scheme": True},
    "home": {
        "department": "01",
        "type": "maison",
        "surface_m2": 90,
        "age_years": 60,
        "dpe_before": "F",
        "dpe_after": "D",
    },
    "project": {
        "route": "ampleur",
        "works_cost_ht": 30000,
        "vat_rate": 0.055,
        "insulation_gestures": 2,
        "keeps_fossil_heating": False,
    },
}


def plugin(tmp_path: Path) -> tuple[ModuleType, Path]:
    """The new aid: one module and one barème file (next to copies of the real ones)."""
    baremes = tmp_path / "baremes"
    baremes.mkdir()
    for path in BAREMES_DIR.glob("*.yaml"):
        shutil.copy(path, baremes / path.name)
    (baremes / "prime_locale_test.yaml").write_text(BAREME, encoding="utf-8")
    source = tmp_path / "prime_locale_test.py"
    source.write_text(textwrap.dedent(MODULE), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("prime_locale_test", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, baremes


def test_a_new_aid_is_one_module_and_one_bareme_file(tmp_path):
    module, directory = plugin(tmp_path)
    with pytest.raises(BaremeError, match="fichier de barème inconnu"):
        Baremes(directory)  # not registered: its file is unknown
    with pytest.raises(SituationError, match="clé inconnue"):
        parse_situation(SITUATION)  # nor is its input

    with plugged(module) as reg:
        assert CODE in reg and reg.works[-1] == CODE
        baremes = Baremes(directory)
        situation = parse_situation(SITUATION)
        assert situation.get("household.local_scheme") is True
        result = simulate(situation, baremes=baremes)

        line = next(a for a in result.aids if a.code == CODE)
        assert line.amount == Decimal("6000.00")  # 20 % of 30,000 (2026 value)
        assert result.aid_amount("mpr_accompagnee") == Decimal("24000.00")
        assert result.total_subsidies == Decimal("30000.00")
        assert result.reste_a_charge == result.works_cost_ttc - Decimal("30000.00")
        assert result.prime_locale == {"amount": Decimal("6000.00")}
        assert any("Montant 2026 non voté" in w for w in result.warnings)

        data = result_to_dict(result)
        assert json.loads(result_to_json(result)) == data
        assert data["prime_locale"] == {"amount": 6000.0}
        assert {"code": CODE, "amount": 6000.0}.items() <= next(
            a for a in data["aids"] if a["code"] == CODE
        ).items()

        # The combination steps see it by code: under the global cap it is cut first.
        capped = dict(SITUATION, other_funding=[])
        capped["project"] = dict(SITUATION["project"], works_cost_ht=1000)
        small = simulate(parse_situation(capped), baremes=baremes)
        assert small.total_subsidies <= small.works_cost_ttc

        earlier = simulate(parse_situation(dict(SITUATION, as_of="2025-03-01")), baremes=baremes)
        assert earlier.aid_amount(CODE) == Decimal("3000.00")  # its 2024 value: 10 %

        refused = dict(SITUATION, household=dict(SITUATION["household"], local_scheme=False))
        no = simulate(parse_situation(refused), baremes=baremes)
        assert no.aid_amount(CODE) == 0
        assert no.reasons[CODE] == ("Dossier du dispositif local non déclaré.",)

    assert CODE not in registry()
    with pytest.raises(SituationError):
        parse_situation(SITUATION)


def test_the_real_aids_are_all_in_the_registry():
    reg = registry()
    assert set(reg.codes()) == {
        "mpr_accompagnee",
        "mpr_par_geste",
        "cee_coup_de_pouce_chauffage",
        "cee_coup_de_pouce_ampleur",
        "mar",
        "mpa",
        "mpld",
        "eco_ptz",
        "par_plus",
    }
    files = set(reg.bareme_schemas())
    assert {p.name for p in BAREMES_DIR.glob("*.yaml")} - files == {
        "revenus.yaml",
        "dpe.yaml",
        "tva.yaml",
    }


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_the_registry_is_the_only_list_of_aids():
    """No aid code is written anywhere but in the module that declares it: the engine, the
    serialiser, the parser, the schemas and the comparison name no aid."""
    reg = registry()
    owner = {spec.code: Path(spec.evaluate.__code__.co_filename) for spec in reg}
    files = sorted(PACKAGE.rglob("*.py")) + [PACKAGE.parent / "compare.py"]
    misplaced = []
    for path in files:
        for code in _string_constants(path) & set(owner):
            if path != owner[code]:
                misplaced.append(f"{path.relative_to(PACKAGE.parent)}: {code!r}")
    assert not misplaced, misplaced
    for name in ("engine.py", "result.py", "situation.py", "schemas.py", "loader.py"):
        text = (PACKAGE / name).read_text(encoding="utf-8")
        assert "from .aids" not in text.replace("from .aids.par_geste import GESTURE_CODES", "")


def test_an_aid_declared_twice_is_refused():
    from casestudies.simulator.registry import Registry

    spec = registry()["mpa"]
    with pytest.raises(ValueError, match="declared twice"):
        Registry([spec, spec])
