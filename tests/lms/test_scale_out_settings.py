"""Production settings for several app servers: shared cache, sessions, lockouts and media.

Each case imports the settings in a child process with its own environment (settings are read
once per process). No network: building S3 addresses needs no request.
"""

import json
import subprocess
import sys
from urllib.parse import urlsplit

from tests.lms.test_settings import PROD_ENV, ROOT, clean_env, run_manage

S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "ensemblier-medias",
    "AWS_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "AWS_S3_REGION_NAME": "fr-par",
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
}

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.storage import storages
storage_class = type(storages["default"])
print(json.dumps({
    "storage": f"{storage_class.__module__}.{storage_class.__qualname__}",
    "image_url": default_storage.url("images/photo.jpg"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "axes_handler": settings.AXES_HANDLER,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "admin_img_src": settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "storage_options": settings.STORAGES["default"].get("OPTIONS", {}),
}))
"""


def probe(env_overrides):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean_env(env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def without_server_env(env):
    return {k: v for k, v in env.items() if not k.startswith("AWS_") and k != "REDIS_URL"}


def test_default_settings_need_no_server():
    """`make run`: a memory cache, database sessions, files on local disk."""
    found = probe({"DJANGO_SETTINGS_MODULE": "lms.settings.dev", "REDIS_URL": ""})
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["sessions"] == "django.contrib.sessions.backends.db"
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["image_url"] == "/media/images/photo.jpg"
    assert found["axes_handler"] == "axes.handlers.database.AxesDatabaseHandler"


def test_production_with_redis_and_s3_shares_everything_between_app_servers():
    found = probe({**PROD_ENV, **S3_ENV, "REDIS_URL": "redis://127.0.0.1:6399/0"})
    assert found["cache"] == "django_redis.cache.RedisCache"
    # Sessions readable by every app server, surviving a Redis restart.
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    # Login lockouts counted in the shared database.
    assert found["axes_handler"] == "axes.handlers.database.AxesDatabaseHandler"
    assert found["storage"] == "storages.backends.s3.S3Storage"
    # Plain, durable addresses on the configured endpoint, and the CSP lets browsers load them.
    url = urlsplit(found["image_url"])
    assert f"{url.scheme}://{url.netloc}" == "https://s3.fr-par.scw.cloud"
    assert url.path == "/ensemblier-medias/images/photo.jpg"
    assert not url.query  # no expiring signature
    assert "https://s3.fr-par.scw.cloud" in found["img_src"]
    assert "https://s3.fr-par.scw.cloud" in found["admin_img_src"]
    # Secrets stay in the environment, never in the settings.
    assert "test-secret-key" not in json.dumps(found)
    assert found["storage_options"]["default_acl"] is None


def test_custom_domain_is_the_media_origin():
    env = {**PROD_ENV, **S3_ENV, "AWS_S3_CUSTOM_DOMAIN": "medias.ensemblier.example.org"}
    found = probe(env)
    assert found["image_url"].startswith("https://medias.ensemblier.example.org/images/")
    assert "https://medias.ensemblier.example.org" in found["img_src"]


def test_aws_bucket_without_endpoint():
    env = {**PROD_ENV, **S3_ENV, "AWS_S3_ENDPOINT_URL": "", "AWS_S3_REGION_NAME": "eu-west-3"}
    found = probe(env)
    url = urlsplit(found["image_url"])
    assert f"{url.scheme}://{url.netloc}" in found["img_src"]


def test_check_deploy_is_clean_with_redis_and_s3():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={**PROD_ENV, **S3_ENV, "REDIS_URL": "redis://127.0.0.1:6399/0"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_redis_or_bucket_keeps_local_defaults():
    found = probe(without_server_env({**PROD_ENV, "REDIS_URL": ""}))
    assert found["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["sessions"] == "django.contrib.sessions.backends.db"
