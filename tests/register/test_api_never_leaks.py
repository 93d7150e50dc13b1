"""A person who does not consent (never did, withdrew, or whose account is closed) never
appears in any response of the API, whatever the filters; everybody who consents appears in
the unfiltered list (property-based, hypothesis)."""

import datetime

from django.db import transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.certification.models import Certification
from assessments.register.services import register_consent_set
from tests.factories import (
    CertificationFactory,
    StructureFactory,
    TerritoryFactory,
    TraineeFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CONSENTS = ["never", "given", "withdrawn", "given_again", "given_inactive"]
STATUSES = [
    Certification.Status.VALID,
    Certification.Status.REVOKED,
    Certification.Status.SUPERSEDED,
]
YEARS = [2026, 2027]

people_strategy = st.lists(
    st.tuples(
        st.sampled_from(CONSENTS),
        st.sampled_from(STATUSES),
        st.integers(0, 1),  # session (territory)
        st.integers(0, 1),  # structure
        st.sampled_from(YEARS),
    ),
    min_size=1,
    max_size=6,
)
filters_strategy = st.fixed_dictionaries(
    {},
    optional={
        "territoire": st.sampled_from(["aude-test", "breizh-test", "inconnu"]),
        "annee": st.sampled_from(YEARS + [2030]),
        "structure": st.sampled_from(["soliha", "CCAS", "asso", "zz"]),
        "nom": st.sampled_from(["unique", "Personne", "ÉPREUVE", "3", "x y"]),
        "page": st.integers(1, 3),
        "par_page": st.integers(1, 4),
    },
)


@pytest.fixture
def places(db):
    territories = [
        TerritoryFactory(name="Aude (test)", slug="aude-test"),
        TerritoryFactory(name="Breizh (test)", slug="breizh-test"),
    ]
    sessions = [TrainingSessionFactory(territory=territory) for territory in territories]
    structures = [
        StructureFactory(name="Soliha Épreuve"),
        StructureFactory(name="CCAS de Test"),
    ]
    return sessions, structures


def _make(person_spec, index, sessions, structures):
    consent, status, session, structure, year = person_spec
    person = TraineeFactory(
        first_name="Personne", last_name=f"Unique{index}Épreuve", structure=structures[structure]
    )
    certification = CertificationFactory(
        enrolment__trainee=person,
        enrolment__session=sessions[session],
        status=status,
        certified_on=datetime.date(year, 6, 1),
        number=f"ENS-{year}-{91000 + index:05d}-TEST",
    )
    if consent != "never":
        register_consent_set(actor=person, person=person, listed=True)
    if consent in ("withdrawn", "given_again"):
        register_consent_set(actor=person, person=person, listed=False)
    if consent == "given_again":
        register_consent_set(actor=person, person=person, listed=True)
    if consent == "given_inactive":
        person.is_active = False
        person.save(update_fields=["is_active"])
    listed = consent == "given_again" or consent == "given"
    shown = listed and status != Certification.Status.SUPERSEDED
    return certification, shown


@EXAMPLES
@given(people=people_strategy, filters=filters_strategy)
def test_a_non_consenting_person_never_appears(client, places, people, filters):
    sessions, structures = places
    with transaction.atomic():
        made = [_make(spec, index, sessions, structures) for index, spec in enumerate(people)]
        hidden = [certification for certification, shown in made if not shown]
        visible = {certification.number for certification, shown in made if shown}
        bodies = []
        for path, params in (
            ("/api/v1/ensembliers", filters),
            ("/api/v1/ensembliers", {}),
            ("/api/v1/ensembliers", {"par_page": 100}),
            ("/api/v1/sessions", {}),
            ("/api/v1/chiffres", {k: v for k, v in filters.items() if k == "territoire"}),
        ):
            response = client.get(path, params)
            assert response.status_code == 200, (path, params, response.content[:200])
            bodies.append(response.content.decode())
        for body in bodies:
            for certification in hidden:
                assert certification.number not in body
                assert certification.holder_name not in body
        listed = client.get("/api/v1/ensembliers", {"par_page": 100}).json()
        assert {row["numero"] for row in listed["resultats"]} == visible
        transaction.set_rollback(True)
