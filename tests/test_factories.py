"""Every factory builds a valid object."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = sorted(
    name for name in dir(factories) if name.endswith("Factory") and not name.startswith("_")
)


@pytest.mark.parametrize("name", FACTORIES)
def test_factory_builds_a_valid_object(name):
    obj = getattr(factories, name)()
    obj.full_clean(exclude=["password"]) if hasattr(obj, "full_clean") else None
    assert obj.pk is not None


def test_session_factory_generates_thirty_slots():
    session = factories.TrainingSessionFactory()
    assert session.slots.count() == 30
