import pytest

from tests.factories import CoordinatorFactory, TraineeFactory, TrainerFactory, UserFactory


@pytest.fixture
def home_page(db):
    from lms.seed import seed_home

    return seed_home()


@pytest.fixture
def trainee(db):
    return TraineeFactory(first_name="Camille", last_name="Martin")


@pytest.fixture
def other_trainee(db):
    return TraineeFactory(first_name="Jules", last_name="Durand")


@pytest.fixture
def trainer(db):
    return TrainerFactory(first_name="Karim", last_name="Benali")


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(first_name="Sophie", last_name="Lefèvre")


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, email="admin@exemple.fr")


@pytest.fixture
def client_as(client):
    """`client_as(user)` → the test client logged in as `user`."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
