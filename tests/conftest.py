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


# --- Transactional tests and the data the migrations created -----------------------------------
# A transactional test (browser journeys, concurrency tests) ends with a flush of every table,
# which removes what the data migrations created (roles, territories, competencies, Wagtail's root
# page). The migrated database is snapshotted once, right after it is created, and put back at the
# start of any transactional test that finds it emptied.

_snapshot: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        _snapshot["default"] = connection.creation.serialize_db_to_string()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return any(name in item.fixturenames for name in ("transactional_db", "live_server"))


@pytest.fixture(autouse=True)
def _restore_migrated_data(request):
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps as django_apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from wagtail.models import Page

    if Page.objects.filter(depth=1).exists():
        return
    # The flush re-created content types and permissions: start again from empty tables.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(_snapshot["default"])
    ContentType.objects.clear_cache()
    # Rows came back with their ids: move PostgreSQL's sequences past them.
    statements = connection.ops.sequence_reset_sql(no_style(), django_apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters (django-ratelimit) live in the cache, the visitors' pages in theirs
    (lms.pagecache), what logged-in pages share in the process memory (lms.shared): each test
    starts with none, and no test sees a page or a value another one stored."""
    from django.core.cache import caches

    from lms import shared

    for cache in caches.all(initialized_only=True):
        cache.clear()
    caches["pages"].clear()
    shared.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _own_media_root():
    """Files written during the run (lms.settings.test gives each process its own MEDIA_ROOT)
    are removed when the run ends."""
    import shutil

    from django.conf import settings

    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
