"""Property tests (hypothesis) over generated situations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestudies.simulator import SituationError, parse_situation, simulate
from casestudies.simulator.schemas import GESTURE_CODES

CATEGORY_ORDER = ["tres_modeste", "modeste", "intermediaire", "superieur"]
CLASSES = "ABCDEFG"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31))
money = st.integers(min_value=1, max_value=200_000)


@st.composite
def situations(draw):
    before = draw(st.sampled_from(CLASSES))
    after = draw(st.sampled_from(CLASSES[: CLASSES.index(before) + 1]))
    route = draw(st.sampled_from(["ampleur", "par_geste"]))
    works = draw(money)
    home = {
        "department": draw(st.sampled_from(["01", "75", "93", "2A", "59", "971"])),
        "type": draw(st.sampled_from(["maison", "appartement"])),
        "surface_m2": draw(st.integers(10, 300)),
        "age_years": draw(st.integers(0, 150)),
        "dpe_before": before,
        "dpe_after": after,
    }
    if draw(st.booleans()):
        home["insalubrity_score"] = draw(st.sampled_from([0.1, 0.4, 0.7]))
    project = {
        "route": route,
        "works_cost_ht": works,
        "vat_rate": draw(st.sampled_from([0.055, 0.1, 0.2])),
        "insulation_gestures": draw(st.integers(0, 4)),
        "keeps_fossil_heating": draw(st.booleans()),
        "replaces_fossil_boiler": draw(st.booleans()),
        "mar_cost_ttc": draw(st.integers(0, 6000)),
        "adaptation_cost_ht": draw(st.integers(0, works)),
    }
    codes = draw(st.lists(st.sampled_from(GESTURE_CODES), max_size=4, unique=True))
    project["gestures"] = [
        {"code": c, "quantity": draw(st.integers(1, 120)), "cost_ht": draw(st.integers(0, 30_000))}
        for c in codes
    ]
    funding = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "funder": st.sampled_from(
                        [
                            "caisse_retraite",
                            "ccas",
                            "fondation",
                            "sacicap",
                            "microcredit",
                            "aide_locale",
                            "autre",
                        ]
                    ),
                    "kind": st.sampled_from(["subvention", "pret"]),
                    "amount": st.integers(0, 60_000),
                }
            ),
            max_size=3,
        )
    )
    return {
        "as_of": draw(dates).isoformat(),
        "household": {
            "size": draw(st.integers(1, 9)),
            "reference_tax_income": draw(st.integers(0, 150_000)),
            "owner_occupant": draw(st.booleans()),
            "main_residence": draw(st.booleans()),
            "oldest_person_age": draw(st.integers(20, 100)),
            "energy_precarity": draw(st.booleans()),
        },
        "home": home,
        "project": project,
        "other_funding": funding,
    }


def _run(data):
    situation = parse_situation(data)
    return situation, simulate(situation, as_of=situation.as_of)


@FAST
@given(situations(), st.integers(0, 50_000))
def test_a_higher_income_never_gives_a_better_category(data, extra):
    _, low = _run(data)
    data["household"]["reference_tax_income"] += extra
    _, high = _run(data)
    assert CATEGORY_ORDER.index(high.income_category) >= CATEGORY_ORDER.index(low.income_category)


@FAST
@given(situations())
def test_amounts_never_exceed_their_ceilings(data):
    situation, r = _run(data)
    mpr = r.mpr_accompagnee
    assert mpr.amount <= mpr.amount_before_ecretement <= mpr.rate * mpr.ceiling_ht + Decimal("0.01")
    assert r.mar.amount <= r.mar.ceiling_ttc * r.mar.rate + Decimal("0.01")
    assert r.mar.amount <= r.mar.cost_ttc
    if r.mpa is not None:
        assert r.mpa.amount <= r.mpa.ceiling_ht * r.mpa.rate
    if r.mpld is not None:
        assert r.mpld.amount <= r.mpld.ceiling_ht * r.mpld.rate + Decimal("0.01")
    for g in r.par_geste:
        assert g.amount <= g.amount_before_ecretement
    assert sum((g.amount for g in r.par_geste), Decimal(0)) <= Decimal(20000)
    for loan in r.loans:
        assert loan.max_amount <= Decimal(50000)


@FAST
@given(situations())
def test_subsidies_never_exceed_the_ecretement(data):
    situation, r = _run(data)
    if situation.project.route == "ampleur":
        inside = sum((f.amount for f in r.other_funding if f.in_ecretement), Decimal(0))
        mpld = r.mpld.amount if r.mpld is not None else Decimal(0)
        if r.mpr_accompagnee.amount > 0 or mpld > 0:
            assert r.mpr_accompagnee.amount + mpld + inside <= r.ecretement.ceiling
    else:
        assert r.ecretement.basis == "ht"
    assert r.total_subsidies <= r.works_cost_ttc


@FAST
@given(situations())
def test_reste_a_charge_is_never_negative(data):
    _, r = _run(data)
    assert r.reste_a_charge >= 0
    assert 0 <= r.reste_a_charge_pct <= 100
    assert r.reste_a_charge == r.works_cost_ttc - r.total_subsidies
    for value in (r.total_subsidies, r.reste_a_charge, r.works_cost_ttc):
        assert value == value.quantize(Decimal("0.01"))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@st.composite
def damaged(draw):
    """A well-formed situation with one field replaced by an arbitrary JSON value."""
    data = draw(situations())
    section = draw(st.sampled_from(["household", "home", "project"]))
    key = draw(st.sampled_from(sorted(data[section]) + ["unknown_key"]))
    data[section][key] = draw(json_values)
    return data


@FAST
@given(st.one_of(situations(), damaged(), json_values))
def test_any_input_gives_a_result_or_a_clean_refusal(data):
    try:
        situation = parse_situation(data)
    except SituationError as error:
        assert isinstance(error.path, str) and error.message
        return
    result = simulate(situation, as_of=situation.as_of)
    assert result.to_dict()["income_category"] in CATEGORY_ORDER
