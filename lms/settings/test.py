"""Test runs: fast password hashing, in-memory e-mail, plain static storage."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tasks run in the process that enqueues them (after the commit that enqueues them, as in
# production): tests see the e-mails in mail.outbox without a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
# One process: the page cache in memory (tests/conftest.py empties every cache between tests).
CACHES[PAGE_CACHE_ALIAS] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
}

# Uploaded and generated files (PDFs, evidence packs, images) go to a directory of this process:
# parallel workers (pytest-xdist) and concurrent runs never read or overwrite each other's files.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"ensemblier-media-{os.getpid()}"

# A file-backed SQLite test database: the live server thread of browser tests then uses its
# own connection, exactly as with PostgreSQL (an in-memory database would be shared).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"ensemblier-test-{os.getpid()}.sqlite3")  # noqa: F405
    }

# A keyring per test process, created at first use (tests of rotation use their own file).
CREDENTIAL_KEYS_FILE = Path(tempfile.gettempdir()) / f"ensemblier-test-keys-{os.getpid()}.json"
CREDENTIAL_KEYS_AUTOCREATE = True
