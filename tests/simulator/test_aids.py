"""Each aid module, through ``simulate`` on small focused situations."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal as D

import pytest

from casestudies.simulator import SituationError, parse_situation, simulate

BASE = {
    "as_of": "2026-03-01",
    "household": {"size": 2, "reference_tax_income": 24000},
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
        "insulation_gestures": 2,
        "keeps_fossil_heating": False,
    },
}


def sim(**changes):
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        section, _, key = dotted.partition("__")
        if key:
            data[section][key] = value
        else:
            data[section] = value
    situation = parse_situation(data)
    return simulate(situation, as_of=situation.as_of)


# --- situation parsing -------------------------------------------------------------------


def test_defaults_are_reported():
    r = sim()
    assert set(r.defaults_used) >= {
        "household.owner_occupant",
        "household.main_residence",
        "project.vat_rate",
        "project.mar_cost_ttc",
    }
    assert r.works_cost_ttc == D("47475.00")


def test_missing_as_of_defaults_to_today():
    data = copy.deepcopy(BASE)
    del data["as_of"]
    situation = parse_situation(data, today=dt.date(2025, 3, 1))
    assert situation.as_of == dt.date(2025, 3, 1) and "as_of" in situation.defaults_used


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"household__size": 0}, "household.size"),
        ({"household__reference_tax_income": True}, "household.reference_tax_income"),
        ({"home__type": "chateau"}, "home.type"),
        ({"project__route": "autre"}, "project.route"),
        ({"project__vat_rate": 0.3}, "project.vat_rate"),
        ({"project__gestures": [{"code": "piscine"}]}, "project.gestures[0].code"),
        (
            {"project__gestures": [{"code": "fenetres"}, {"code": "fenetres"}]},
            "project.gestures[1].code",
        ),
        ({"project__adaptation_cost_ht": 50000}, "project.adaptation_cost_ht"),
        (
            {"other_funding": [{"funder": "banque", "kind": "pret", "amount": 1}]},
            "other_funding[0].funder",
        ),
        ({"household__gir": 7}, "household.gir"),
    ],
)
def test_bad_fields_name_their_json_path(changes, path):
    with pytest.raises(SituationError) as info:
        sim(**changes)
    assert info.value.path == path


# --- MaPrimeRénov' Parcours accompagné ------------------------------------------------------


def test_every_failed_condition_gives_its_reason():
    r = sim(
        household__owner_occupant=False,
        home__age_years=10,
        project__insulation_gestures=1,
        project__keeps_fossil_heating=True,
    )
    reasons = " ".join(r.mpr_accompagnee.reasons)
    assert not r.mpr_accompagnee.eligible
    for fragment in (
        "propriétaire occupant",
        "au moins 15 ans",
        "2 gestes d'isolation",
        "chauffage majoritairement fossile",
    ):
        assert fragment in reasons


def test_overseas_homes_are_excluded():
    r = sim(home__department="974")
    assert "outre-mer" in " ".join(r.mpr_accompagnee.reasons)


def test_uncertain_values_reach_the_warnings():
    assert any(w.startswith("Valeur incertaine : Taux de MaPrimeRénov'") for w in sim().warnings)
    r2024 = sim(as_of="2024-06-01")
    assert not any("Taux de MaPrimeRénov'" in w for w in r2024.warnings)


def test_suspended_window_is_a_warning_not_ineligibility():
    r = sim(as_of="2026-02-01")
    assert r.mpr_accompagnee.eligible
    assert any("suspendu" in w for w in r.warnings)


def test_each_trace_step_has_a_source_with_url():
    r = sim()
    for aid in r.aids:
        for step in aid.trace:
            assert step.rule and step.value and step.source


# --- MAR ------------------------------------------------------------------------------------


def test_mar_ceiling_is_on_the_base_not_the_subsidy():
    r = sim(household__reference_tax_income=30000, project__mar_cost_ttc=3000)  # modeste
    assert r.mar.ceiling_ttc == 2000 and r.mar_prise_en_charge == D("1600.00")
    assert r.mar.reste_a_charge == D("1400.00")


def test_mar_4000_ceiling_for_habitat_indigne():
    r = sim(home__police_procedure=True, project__mar_cost_ttc=5000)
    assert r.mar_prise_en_charge == D("4000.00")


def test_mar_is_not_in_total_subsidies():
    r = sim(project__mar_cost_ttc=2000)
    assert r.total_subsidies == r.mpr_accompagnee.amount


# --- par geste and CEE ----------------------------------------------------------------------


def geste(**changes):
    return sim(
        project={
            "route": "par_geste",
            "works_cost_ht": 20000,
            "replaces_fossil_boiler": True,
            "gestures": changes.pop("gestures"),
        },
        **changes,
    )


def test_vmc_needs_an_insulation_gesture():
    r = geste(gestures=[{"code": "vmc_double_flux", "cost_ht": 5000}])
    assert not r.par_geste[0].eligible and "isolation" in r.par_geste[0].reasons[0]
    r = geste(
        gestures=[
            {"code": "vmc_double_flux", "cost_ht": 5000},
            {"code": "isolation_rampants_combles", "quantity": 50, "cost_ht": 3000},
        ]
    )
    assert r.par_geste[0].eligible and r.par_geste[0].amount == D("2500.00")


def test_air_to_air_heat_pump_is_not_eligible():
    r = geste(gestures=[{"code": "pac_air_air", "cost_ht": 5000}])
    assert "CEE seulement" in r.par_geste[0].reasons[0]


def test_wall_insulation_is_capped_at_100_m2():
    r = geste(
        as_of="2025-03-01",
        gestures=[{"code": "isolation_murs_exterieur", "quantity": 150, "cost_ht": 30000}],
    )
    assert r.par_geste[0].amount_before_ecretement == D("7500.00")


def test_cee_ampleur_uses_the_surface_coefficient():
    r = sim(household__owner_occupant=False, home__surface_m2=30)
    cee = [a for a in r.aids if a.code == "cee_coup_de_pouce_ampleur"]
    assert cee and cee[0].amount == D("2320.00")  # 5 800 € × 0,4


# --- MaPrimeAdapt' and Ma Prime Logement Décent -----------------------------------------------


def test_mpa_needs_a_qualifying_person_and_reports_missing_inputs():
    r = sim(project__adaptation_cost_ht=5000)
    assert not r.mpa.eligible and "household.oldest_person_age" in r.missing
    r = sim(project__adaptation_cost_ht=30000, household__disability_rate=0.8)
    assert r.mpa.eligible and r.mpa.amount == D("15400.00")


def test_mpa_60_to_69_needs_a_gir():
    assert not sim(
        project__adaptation_cost_ht=5000, household__oldest_person_age=65, household__gir=None
    ).mpa.eligible
    assert sim(
        project__adaptation_cost_ht=5000, household__oldest_person_age=65, household__gir=4
    ).mpa.eligible


def test_mpld_below_class_e_uses_the_reduced_rate():
    r = sim(
        home__degradation_score=0.5,
        home__dpe_before="G",
        home__dpe_after="F",
        project__works_cost_ht=60000,
    )
    assert r.mpld.eligible and r.mpld.rate == D("0.50") and r.mpld.ceiling_ht == 50000
    assert r.mpld.amount == D("25000.00")


# --- loans ----------------------------------------------------------------------------------


def test_eco_ptz_scale_without_maprimerenov():
    r = sim(
        as_of="2025-10-15",
        home__dpe_before="D",
        home__dpe_after="C",
        project__insulation_gestures=1,
        project__keeps_fossil_heating=True,
    )
    eco = r.loans[0]
    assert eco.code == "eco_ptz" and eco.max_amount == 15000


def test_par_plus_is_for_modest_households_only():
    r = sim(household__reference_tax_income=90000)
    assert r.loans[1].code == "par_plus" and not r.loans[1].eligible
