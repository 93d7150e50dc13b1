"""Production: PostgreSQL (DATABASE_URL), gunicorn, whitenoise, HTTPS only.

Refuses to start without DJANGO_SECRET_KEY or without the site's public base URL
(WAGTAILADMIN_BASE_URL, used in certificate QR codes and verification links and in moderation
e-mails); `manage.py check --deploy` is clean.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool

SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY doit être défini (au moins 50 caractères) en production."
    )

# No development default here: a certificate printed with http://127.0.0.1:8000 in its QR code
# cannot be verified by anybody.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL").strip().rstrip("/")
_base = urlsplit(WAGTAILADMIN_BASE_URL)
if _base.scheme != "https" or not _base.hostname or _base.hostname in {"127.0.0.1", "localhost"}:
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL doit être défini en production : l'adresse publique du site en "
        "https (par exemple https://ensemblier.example.org), utilisée dans les QR codes des "
        "certificats et les e-mails de modération."
    )

DEBUG = False
DEMO_SEED_ALLOWED = False
# The signing keyring is provisioned (manage.py rotate_credential_key), never created on the fly.
CREDENTIAL_KEYS_AUTOCREATE = env_bool("CREDENTIAL_KEYS_AUTOCREATE", False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The load balancer probes over plain HTTP inside the private network (lms.health).
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
