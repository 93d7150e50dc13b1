import pytest

from tests.factories import EnrolmentFactory


@pytest.fixture
def enrolled(trainee):
    """The trainee, enrolled in a session (may take assessments)."""
    EnrolmentFactory(trainee=trainee)
    return trainee
