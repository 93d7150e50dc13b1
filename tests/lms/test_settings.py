import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from assessments.credentials.keys import new_key

ROOT = Path(__file__).resolve().parents[2]


def _throwaway_keyring() -> str:
    """A badge keyring as an operator provisions it (one private Ed25519 key, owner-only file):
    production's `check --deploy` refuses to pass without one (credentials.E001)."""
    path = Path(tempfile.mkdtemp(prefix="ensemblier-test-prod-keys-")) / "keys.jwks.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"keys": [new_key().as_dict(private=True)]}, handle)
    return str(path)


PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-only-" + "y" * 20,
    "DJANGO_ALLOWED_HOSTS": "ensemblier.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "WAGTAILADMIN_BASE_URL": "https://ensemblier.example.org",
    "CREDENTIAL_KEYS_FILE": _throwaway_keyring(),
}


def clean_env(env_overrides):
    """The current environment without the settings' variables, then `env_overrides`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k != "WAGTAILADMIN_BASE_URL"
    }
    env.update(env_overrides)
    return env


def run_manage(*args, env_overrides):
    env = clean_env(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    env = dict(PROD_ENV)
    env.pop("DJANGO_SECRET_KEY")
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def import_production_settings(env_overrides):
    return subprocess.run(
        [sys.executable, "-c", "import lms.settings.production"],
        cwd=ROOT,
        env=clean_env(env_overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "base_url", [None, "", "http://127.0.0.1:8000", "https://localhost", "ensemblier.example.org"]
)
def test_production_refuses_to_start_without_the_public_base_url(base_url):
    env = dict(PROD_ENV)
    env.pop("WAGTAILADMIN_BASE_URL")
    if base_url is not None:
        env["WAGTAILADMIN_BASE_URL"] = base_url
    result = import_production_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "WAGTAILADMIN_BASE_URL doit être défini en production" in result.stderr


def test_production_starts_with_an_https_base_url():
    result = import_production_settings(PROD_ENV)
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_base_settings_are_french(settings):
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.AUTH_USER_MODEL == "lms.User"


def test_database_url_selects_postgresql(monkeypatch):
    import dj_database_url

    config = dj_database_url.parse("postgres://u:p@db.example:5432/ensemblier")
    assert config["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.parametrize("module", ["dev", "test", "production"])
def test_every_settings_module_uses_whitenoise(module):
    source = (ROOT / "lms" / "settings" / "base.py").read_text()
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in source
