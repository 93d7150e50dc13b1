"""The repérage orientation rule (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from assessments.awareness.orientation import (
    HomeState,
    Income,
    Observation,
    Sign,
    Tenure,
    orient,
)


def observation(signs=(), state=HomeState.WORN, tenure=Tenure.OWNER, income=Income.VERY_LOW):
    return Observation(frozenset(signs), state, tenure, income)


def keys(orientation):
    return [c.key for c in orientation.contacts]


def test_a_modest_owner_in_a_cold_home_fits_an_ensemblier_and_france_renov():
    result = orient(observation([Sign.COLD, Sign.DAMP]))
    assert result.ensemblier_fits
    assert "france_renov" in keys(result)


def test_a_tenant_goes_to_the_adil_not_to_an_ensemblier():
    result = orient(observation([Sign.COLD], tenure=Tenure.TENANT))
    assert not result.ensemblier_fits
    assert "adil" in keys(result)
    assert "locataire" in result.ensemblier_reason


def test_unpaid_bills_add_the_departements_social_services_and_the_ccas():
    result = orient(observation([Sign.UNPAID], income=Income.LOW))
    assert {"services_sociaux", "ccas"} <= set(keys(result))


def test_a_dangerous_home_is_urgent_and_names_the_habitat_indigne_contacts_first():
    result = orient(observation(state=HomeState.DANGEROUS))
    assert result.urgent
    assert keys(result)[0] == "habitat_indigne"


def test_higher_incomes_do_not_call_for_an_ensemblier():
    assert not orient(observation([Sign.COLD], income=Income.HIGHER)).ensemblier_fits


def test_no_sign_and_a_good_home_do_not_call_for_an_ensemblier():
    assert not orient(observation([], state=HomeState.GOOD)).ensemblier_fits


@given(
    signs=st.frozensets(st.sampled_from(list(Sign))),
    state=st.sampled_from(list(HomeState)),
    tenure=st.sampled_from(list(Tenure)),
    income=st.sampled_from(list(Income)),
)
def test_every_observation_names_at_least_one_contact_and_only_owners_fit(
    signs, state, tenure, income
):
    result = orient(Observation(signs, state, tenure, income))
    assert result.contacts
    assert len(set(keys(result))) == len(keys(result))
    if result.ensemblier_fits:
        assert tenure == Tenure.OWNER and income != Income.HIGHER
