"""Settings for the HTTP and page benchmarks: production-like (DEBUG off, no debug toolbar,
compiled templates cached), fast password hashing, quiet logs, any host, demo data allowed.
The database comes from DATABASE_URL like everywhere else."""

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
