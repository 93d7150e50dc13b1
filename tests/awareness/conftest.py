import pytest

from assessments.awareness.models import FieldProfile
from tests.factories import CertificationFactory, TerritoryFactory, TraineeFactory, UserFactory


@pytest.fixture
def territory(db):
    return TerritoryFactory(name="Carcassonne Agglo", slug="carcassonne-agglo")


@pytest.fixture
def other_territory(db):
    return TerritoryFactory(name="Kreiz Breizh", slug="kreiz-breizh")


def listed_ensemblier(territory, **names):
    certification = CertificationFactory(enrolment__trainee=TraineeFactory(**names))
    user = certification.trainee
    FieldProfile.objects.create(user=user, role="ensemblier", territory=territory, listed=True)
    return user


@pytest.fixture
def ensemblier(territory):
    return listed_ensemblier(territory, first_name="Nadia", last_name="Roux")


@pytest.fixture
def other_ensemblier(territory):
    return listed_ensemblier(territory, first_name="Paul", last_name="Vidal")


@pytest.fixture
def volunteer(db, territory):
    user = UserFactory(first_name="Marc", last_name="Bénévole", email="marc@exemple.fr")
    FieldProfile.objects.create(user=user, role="benevole", territory=territory)
    return user
