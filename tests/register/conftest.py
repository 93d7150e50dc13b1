import pytest

from assessments.register.services import register_consent_set
from tests.factories import (
    CertificationFactory,
    StructureFactory,
    TerritoryFactory,
    TraineeFactory,
)


def certified(*, consent: bool, territory=None, structure=None, **fields):
    """A trainee with a valid certificate (in `territory`), consenting or not to the register."""
    names = {k: v for k, v in fields.items() if k in ("first_name", "last_name")}
    if structure is not None:
        names["structure"] = structure
    person = TraineeFactory(**names)
    extra = {k: v for k, v in fields.items() if k not in ("first_name", "last_name")}
    if territory is not None:
        extra["enrolment__session__territory"] = territory
    certification = CertificationFactory(enrolment__trainee=person, **extra)
    if consent:
        register_consent_set(actor=person, person=person, listed=True)
    return certification


@pytest.fixture
def territory(db):
    return TerritoryFactory(name="Carcassonne Agglo", slug="carcassonne-agglo")


@pytest.fixture
def other_territory(db):
    return TerritoryFactory(name="Kreiz Breizh", slug="kreiz-breizh")


@pytest.fixture
def structure(db, territory):
    return StructureFactory(name="Soliha Aude", territory=territory)


@pytest.fixture(autouse=True)
def _generous_throttle(settings):
    settings.API_THROTTLE_RATE = "100000/min"
