"""Settings for the HTTP and page benchmarks: production-like (DEBUG off, no debug toolbar,
compiled templates cached), fast password hashing, quiet logs, any host, demo data allowed.
The database comes from DATABASE_URL like everywhere else."""

import os

from lms.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
LOGGING = {
    "version": 1,
    "disable_existing_loggers": True,
    "root": {"handlers": [], "level": "ERROR"},
}

# SQLite with several gunicorn processes: take the write lock when a transaction begins, so
# two transactions that read then write never deadlock (SQLITE_BUSY at once), and wait for the
# lock instead of failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# The visitors' page cache (files without REDIS_URL): one folder per benchmark database, never the
# project's own .cache/pages, so that a run never serves pages of another database.
if not REDIS_URL and not os.environ.get("DJANGO_PAGE_CACHE_DIR"):  # noqa: F405
    import hashlib
    import tempfile

    CACHES[PAGE_CACHE_ALIAS]["LOCATION"] = os.path.join(  # noqa: F405
        tempfile.gettempdir(),
        "ensemblier-pages-" + hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12],  # noqa: F405
    )

# The throughput benchmark serves a bare view in front of the project's URLs (bare_urls.py).
ROOT_URLCONF = os.environ.get("DJANGO_ROOT_URLCONF", ROOT_URLCONF)  # noqa: F405
