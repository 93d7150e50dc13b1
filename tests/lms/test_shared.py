"""lms.shared: values shared by every person, per process and per state of the site."""

import pytest

from lms import pagecache, shared


def builder(values):
    def build():
        values.append(len(values))
        return len(values)

    return build


def test_a_value_is_built_once_per_generation():
    built = []
    assert shared.shared("x", 1, builder(built), generation="g1") == 1
    assert shared.shared("x", 1, builder(built), generation="g1") == 1
    assert shared.shared("x", 2, builder(built), generation="g1") == 2  # another key
    assert shared.shared("x", 1, builder(built), generation="g2") == 3  # the site changed
    assert len(built) == 3


def test_a_bump_of_the_site_generation_rebuilds(db):
    built = []
    first = shared.generation()
    shared.shared("x", 1, builder(built), generation=first)
    pagecache.bump(pagecache.SITE)
    assert shared.generation() != first
    shared.shared("x", 1, builder(built), generation=shared.generation())
    assert len(built) == 2


def test_nothing_is_shared_when_the_generation_cannot_be_read(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache, "_generations", broken)
    built = []
    for _ in range(2):
        shared.shared("x", 1, builder(built), generation=shared.generation())
    assert len(built) == 2


def test_an_entry_expires_like_the_pages(monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 600
    now = [1000.0]
    monkeypatch.setattr(shared.time, "monotonic", lambda: now[0])
    built = []
    shared.shared("x", 1, builder(built), generation="g")
    now[0] += 599
    shared.shared("x", 1, builder(built), generation="g")
    assert len(built) == 1
    now[0] += 2  # a write without signals is left stale no longer than a stored page
    shared.shared("x", 1, builder(built), generation="g")
    assert len(built) == 2


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(shared, "MAX_ENTRIES", 3)
    for key in range(5):
        shared.shared("x", key, lambda key=key: key, generation="g")
    assert len(shared._memory) == 3
    built = []
    shared.shared("x", 0, builder(built), generation="g")  # the oldest went first
    assert built


@pytest.mark.django_db
def test_the_health_probe_is_left_alone(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/sante/").status_code == 200


@pytest.mark.django_db
def test_a_settings_row_created_with_its_defaults_moves_nothing_an_edit_does():
    """Wagtail creates the row the first time a page reads the settings: the pages showed
    those defaults already. An edit, or a row created with other values, moves both groups."""
    from lms.models import SiteSettings

    SiteSettings.objects.all().delete()
    before = pagecache.generation(pagecache.SITE, pagecache.SITES)
    settings_row = SiteSettings.load()
    assert pagecache.generation(pagecache.SITE, pagecache.SITES) == before
    settings_row.organisation_name = "Organisme renommé"
    settings_row.save()
    edited = pagecache.generation(pagecache.SITE, pagecache.SITES)
    assert edited.split(".")[0] != before.split(".")[0]
    assert edited.split(".")[1] != before.split(".")[1]
    SiteSettings.objects.all().delete()
    created = pagecache.generation(pagecache.SITE, pagecache.SITES)
    SiteSettings.objects.create(organisation_name="Un autre organisme")
    assert pagecache.generation(pagecache.SITE, pagecache.SITES) != created
