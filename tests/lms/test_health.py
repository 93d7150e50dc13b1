"""GET /sante/, the load balancer's health endpoint (issue 12, item 4)."""

import subprocess
import sys

from django.core.cache import cache
from django.db import connection

import pytest

from lms import health
from tests.lms.test_settings import PROD_ENV, ROOT, clean_env

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_json_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_probe_creates_no_session_and_needs_no_login(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_database_down_answers_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok"}


def test_cache_down_answers_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}


def test_cache_that_loses_writes_answers_503(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda *args, **kwargs: None)
    assert client.get("/sante/").status_code == 503


def test_only_get_and_head(client):
    assert client.head("/sante/").status_code == 200
    assert client.post("/sante/").status_code == 405


def test_production_does_not_redirect_the_probe_to_https():
    check = (
        "import re, lms.settings.production as p; "
        "assert any(re.search(x, 'sante/') for x in p.SECURE_REDIRECT_EXEMPT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        env=clean_env(PROD_ENV),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
