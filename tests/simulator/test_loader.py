"""The strict barème loader: the real files load, and each failure shape names file, line, key."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from casestudies.simulator.loader import BAREMES_DIR, BaremeError, load_all, load_text
from casestudies.simulator.period import Baremes

FIXTURES = Path(__file__).parent / "fixtures" / "bad_baremes"

# (fixture, file it impersonates, line, key, start of the French message)
FAILURES = [
    ("bad_date", "tva.yaml", 17, "taux_par_defaut.2024-13-01", "date invalide"),
    ("duplicate_key", "tva.yaml", 19, "taux_par_defaut.2024-01-01.value", "clé en double"),
    ("empty", "tva.yaml", 1, "", "fichier vide"),
    (
        "missing_map_key",
        "tva.yaml",
        12,
        "taux.2024-01-01.value.normal",
        "clé obligatoire manquante",
    ),
    ("missing_parameter", "tva.yaml", 1, "taux_par_defaut", "paramètre obligatoire absent"),
    ("missing_references", "tva.yaml", 1, "references", "clé obligatoire manquante"),
    ("missing_unit", "tva.yaml", 15, "taux_par_defaut.unit", "clé obligatoire manquante"),
    (
        "missing_value",
        "tva.yaml",
        18,
        "taux_par_defaut.2024-01-01.value",
        "clé obligatoire manquante",
    ),
    (
        "negative_amount",
        "mar.yaml",
        46,
        "prix_reference_ttc.2024-01-01.value",
        "montant en euros au moins 0 attendu",
    ),
    ("no_dated_value", "tva.yaml", 15, "taux_par_defaut", "aucune valeur datée"),
    (
        "null_without_note",
        "tva.yaml",
        18,
        "taux_par_defaut.2024-01-01.value",
        "une valeur nulle (mesure supprimée) doit être expliquée",
    ),
    (
        "rate_out_of_range",
        "tva.yaml",
        18,
        "taux_par_defaut.2024-01-01.value",
        "taux entre 0 et 1 attendu",
    ),
    ("reference_bad_url", "tva.yaml", 5, "references.tva.url", "adresse web attendue"),
    ("root_not_mapping", "tva.yaml", 1, "", "un dictionnaire (clé: valeur) est attendu"),
    (
        "starts_after_coverage",
        "tva.yaml",
        18,
        "taux_par_defaut.2024-06-01",
        "la première valeur doit prendre effet au plus tard le 2024-01-01",
    ),
    (
        "uncertain_not_bool",
        "tva.yaml",
        19,
        "taux_par_defaut.2024-01-01.uncertain",
        "booléen attendu",
    ),
    ("unknown_entry_key", "tva.yaml", 19, "taux_par_defaut.2024-01-01.valeur", "clé inconnue"),
    ("unknown_map_key", "tva.yaml", 12, "taux.2024-01-01.value.super_reduit", "clé inconnue"),
    ("unknown_parameter", "tva.yaml", 22, "taux_super_reduit", "paramètre inconnu du simulateur"),
    (
        "unknown_reference",
        "tva.yaml",
        19,
        "taux_par_defaut.2024-01-01.reference",
        "référence « legifrance » absente",
    ),
    ("unknown_unit", "tva.yaml", 15, "taux_par_defaut.unit", "unité inconnue « pourcent »"),
    ("wrong_type", "tva.yaml", 18, "taux_par_defaut.2024-01-01.value", "taux attendu"),
    ("yaml_syntax", "tva.yaml", 12, "", "YAML invalide"),
]


def test_every_fixture_has_a_test_and_every_test_a_fixture():
    assert {p.stem for p in FIXTURES.glob("*.yaml")} == {f[0] for f in FAILURES}


@pytest.mark.parametrize(
    ("fixture", "as_file", "line", "key", "message"), FAILURES, ids=[f[0] for f in FAILURES]
)
def test_bad_bareme_is_rejected_with_file_line_and_key(fixture, as_file, line, key, message):
    text = (FIXTURES / f"{fixture}.yaml").read_text(encoding="utf-8")
    with pytest.raises(BaremeError) as info:
        load_text(text, as_file)
    error = info.value
    assert (error.file, error.line, error.key) == (as_file, line, key)
    assert error.message.startswith(message)
    assert str(error).startswith(f"{as_file}, ligne {line}")
    if key:
        assert f"clé {key} :" in str(error)


def test_real_baremes_load():
    files = load_all()
    assert "revenus.yaml" in files
    plafonds = files["revenus.yaml"].parameters["plafonds"]
    assert [e.date.isoformat() for e in plafonds.entries] == [
        "2024-01-01",
        "2025-01-01",
        "2026-01-01",
    ]
    assert plafonds.at(dt.date(2026, 1, 1)).value["hors_idf"]["tres_modeste"]["2"] == 25393


def test_unknown_file_in_directory_is_rejected(tmp_path):
    for path in BAREMES_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "extra.yaml").write_text("description: x\nreferences: {}\n")
    with pytest.raises(BaremeError, match="extra.yaml, ligne 1 : fichier de barème inconnu"):
        load_all(tmp_path)


def test_missing_file_is_rejected(tmp_path):
    for path in BAREMES_DIR.glob("*.yaml"):
        if path.name != "cee.yaml":
            shutil.copy(path, tmp_path / path.name)
    with pytest.raises(BaremeError, match="cee.yaml, ligne 1 : fichier de barème manquant"):
        load_all(tmp_path)


def test_as_of_picks_the_latest_value_not_after_the_date():
    baremes = Baremes()
    before = baremes.period(dt.date(2025, 9, 29))["mpr_accompagnee.dpe_avant_eligibles"]
    on = baremes.period(dt.date(2025, 9, 30))["mpr_accompagnee.dpe_avant_eligibles"]
    assert before.value == ("A", "B", "C", "D", "E", "F", "G")
    assert on.value == ("E", "F", "G")
    assert on.since == dt.date(2025, 9, 30)


def test_periods_are_compiled_once():
    baremes = Baremes()
    assert baremes.period(dt.date(2025, 2, 1)) is baremes.period(dt.date(2025, 5, 1))
    assert baremes.period(dt.date(2025, 2, 1)) is not baremes.period(dt.date(2025, 10, 1))


def test_removed_measure_is_null_with_a_note():
    p = Baremes().period(dt.date(2026, 3, 1))["par_geste.gestes.isolation_murs_exterieur"]
    assert p.value is None
    assert "1er janvier 2026" in p.note


def test_every_value_has_a_source_with_a_url():
    for bareme in load_all().values():
        for parameter in bareme.parameters.values():
            for entry in parameter.entries:
                assert entry.reference.url.startswith(("http://", "https://"))
                assert entry.reference.title


def _copy_baremes(target: Path) -> None:
    for path in BAREMES_DIR.glob("*.yaml"):
        shutil.copy(path, target / path.name)


def test_checked_baremes_are_cached_and_a_changed_file_is_loaded_strictly_again(tmp_path):
    _copy_baremes(tmp_path)
    first = load_all(tmp_path)
    caches = list((tmp_path / "__pycache__").glob("baremes-*.pickle"))
    assert len(caches) == 1
    assert load_all(tmp_path) == first
    tva = tmp_path / "tva.yaml"
    text = tva.read_text(encoding="utf-8")
    tva.write_text(text.replace("value: 0.055\n", "value: 0.0555\n"), "utf-8")
    changed = load_all(tmp_path)
    assert changed != first
    broken = tva.read_text(encoding="utf-8").replace("value: 0.0555\n", "value: beaucoup\n")
    tva.write_text(broken, "utf-8")
    with pytest.raises(BaremeError, match="tva.yaml"):
        load_all(tmp_path)


def test_a_corrupt_cache_is_ignored(tmp_path):
    _copy_baremes(tmp_path)
    expected = load_all(tmp_path, use_cache=False)
    load_all(tmp_path)
    (cache,) = (tmp_path / "__pycache__").glob("baremes-*.pickle")
    cache.write_bytes(b"not a pickle")
    assert load_all(tmp_path) == expected
