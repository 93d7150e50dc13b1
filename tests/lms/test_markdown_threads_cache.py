"""lms.markdown under threads and with its cache (issue 12, items 1 and 2)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache

import pytest

from lms import markdown
from lms.markdown import cache_key, render_markdown, sanitise_markdown

SOURCES = [
    f"## Titre {n}\n\nUn paragraphe avec **gras**, un lien https://exemple.fr/{n} et "
    f"[mail](mailto:a{n}@b.fr).\n\n| a | b |\n|---|---|\n| {n} | <script>x</script> |\n\n"
    f"```\ncode https://pas-un-lien.fr/{n}\n```\n\n- un\n- deux\n\n<img src=x onerror=alert({n})>"
    for n in range(40)
]


@pytest.fixture(autouse=True)
def fresh_caches():
    markdown._cached_html.cache_clear()
    cache.clear()
    yield
    markdown._cached_html.cache_clear()
    cache.clear()


def test_concurrent_renders_give_the_single_thread_output():
    expected = [sanitise_markdown(source) for source in SOURCES]
    work = SOURCES * 10  # 400 renders over 8 threads, none served from a cache
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(sanitise_markdown, work))
    assert results == expected * 10


def test_concurrent_cached_renders_give_the_single_thread_output():
    expected = [str(render_markdown(source)) for source in SOURCES]
    markdown._cached_html.cache_clear()
    cache.clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [str(html) for html in pool.map(render_markdown, SOURCES * 5)]
    assert results == expected * 5


def test_each_thread_has_its_own_sanitiser():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(markdown._tools()))
    thread.start()
    thread.join()
    mine = markdown._tools()
    assert all(a is not b for a, b in zip(mine, seen[0], strict=True))
    assert markdown._tools() is mine


def test_second_render_is_served_from_the_cache_without_rendering(monkeypatch):
    render_markdown("Bonjour **monde**")
    markdown._cached_html.cache_clear()  # as in another worker process
    monkeypatch.setattr(markdown, "sanitise_markdown", pytest.fail)
    assert render_markdown("Bonjour **monde**") == "<p>Bonjour <strong>monde</strong></p>"


def test_changed_source_gives_the_new_html_at_once():
    assert render_markdown("Ancien texte") == "<p>Ancien texte</p>"
    assert render_markdown("Nouveau texte") == "<p>Nouveau texte</p>"
    assert render_markdown("Ancien texte") == "<p>Ancien texte</p>"


def test_cache_key_changes_with_the_sanitiser_version_and_the_source():
    assert cache_key("texte", 1) != cache_key("texte", 2)
    assert cache_key("texte", 1) != cache_key("texte ", 1)
    assert cache_key("texte", 1) == cache_key("texte", 1)


def test_html_cached_under_an_old_sanitiser_version_is_not_used(monkeypatch):
    cache.set(cache_key("*a*", markdown.SANITISER_VERSION + 1), "<p>périmé</p>")
    monkeypatch.setattr(markdown, "SANITISER_VERSION", markdown.SANITISER_VERSION + 1)
    assert render_markdown("*a*") == "<p>périmé</p>"
    monkeypatch.undo()
    assert render_markdown("*a*") == "<p><em>a</em></p>"


def test_a_cache_outage_still_renders(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(markdown.cache, "get", broken)
    monkeypatch.setattr(markdown.cache, "set", broken)
    assert render_markdown("Texte *sûr* <script>x</script>") == "<p>Texte <em>sûr</em> x</p>"


def test_sanitising_still_applies_through_the_cache():
    for _ in range(2):
        html = render_markdown("<script>alert(1)</script>[x](javascript:alert(1))")
        assert "<script" not in html and "javascript:" not in html
