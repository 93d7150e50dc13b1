"""Settings shared by every environment.

Every environment variable is read here, once, with an explicit default; `.env.example`
documents them all. Environment modules (dev, test, production) only override values.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Environment (read once) -------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Ensemblier <no-reply@ensemblier.example>")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
LOG_LEVEL = env("DJANGO_LOG_LEVEL", "INFO")
REDIS_URL = env("REDIS_URL", "")
# Uploaded media (images, documents) on S3-compatible object storage when a bucket is named;
# local disk (MEDIA_ROOT) otherwise. Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
# read by boto3 from the environment, never stored in the settings.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", "")
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", "")
AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", "")
AWS_LOCATION = env("AWS_LOCATION", "")
CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", "")
# Extra folders (":"-separated) searched before Debian's for the PDF fonts (lms/pdf.py).
PDF_FONT_DIRS = [path for path in env("PDF_FONT_DIRS", "").split(":") if path]
# The Ed25519 keyring (JWK Set) signing the Open Badges credentials (assessments.credentials.keys):
# a secret file, never in git. Development creates it at first use; production refuses to.
CREDENTIAL_KEYS_FILE = Path(
    env("CREDENTIAL_KEYS_FILE") or str(BASE_DIR / ".credentials" / "keys.jwks.json")
)
CREDENTIAL_KEYS_AUTOCREATE = env_bool("CREDENTIAL_KEYS_AUTOCREATE", True)

# --- Applications --------------------------------------------------------------------------
INSTALLED_APPS = [
    "lms",
    "lms.notifications",
    "modules",
    "casestudies",
    "assessments",
    "assessments.quality",
    "assessments.awareness",
    "assessments.register",
    "assessments.credentials",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.apps.UsersConfig",  # wagtail.users with the scoped users viewset
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "csp",
    "corsheaders",
    "ninja",  # the register API's documentation page and its static files (served locally)
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.text.refuse_nul_in_path",  # a NUL in a URL path is a 404, never a database error
    # Headers on every response, admin included (policies below).
    "lms.security.SitePolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS headers for the read-only register API (/api/ only; settings below).
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.security.SessionActivityMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The Wagtail site and the site settings from the per-process shared memory (lms.shared),
    # after CommonMiddleware's host check.
    "lms.shared.SiteLookupMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns django-ratelimit's refusals into the French 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Must stay last: it turns lockouts into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.context_processors.navigation",
                "lms.notifications.context_processors.notifications",
            ],
            # Available in every template without {% load %}.
            "builtins": [
                "django.templatetags.static",
                "wagtail.templatetags.wagtailcore_tags",
                "lms.templatetags.lms_tags",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# SQLite with concurrent writers (several gunicorn workers, or runserver threads, autosaving
# dossiers): WAL lets readers go on while one connection writes, and IMMEDIATE transactions
# take the write lock at BEGIN, so a busy database is waited for (timeout, seconds) instead of
# failing at once with "database is locked" on a lock upgrade. Measured by
# benchmarks/autosave.py (issue 5, docs/decisions.md).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate-limit counters) --------------------------------------------------------------
# Shared by every app server when REDIS_URL is set (django-redis, atomic increments). Without it,
# a per-process memory cache: fine for one server (dev, tests, a single gunicorn machine), where
# each worker then counts on its own (a limit of N allows at most N × workers). django-ratelimit's
# checks refuse that cache; they are silenced for that case only (docs/decisions.md).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ensemblier",
        }
    }
    # Sessions read from the shared cache, written through to the database: every app server
    # sees them, and a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Whole pages for visitors (lms.pagecache), in a cache of their own so that pages never push
# rate-limit counters out: shared by every worker and app server (Redis, or files on one
# machine; a per-process memory cache would keep serving a page another worker invalidated).
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = int(env("DJANGO_PAGE_CACHE_SECONDS", "600"))
# Query parameters that public pages read (the session calendar's filters): a request with any
# other parameter is served but never stored (no copy per made-up query string).
PAGE_CACHE_QUERY_PARAMETERS = frozenset({"territoire", "annee"})
if REDIS_URL:
    CACHES[PAGE_CACHE_ALIAS] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ensemblier-pages",
        # A Redis outage reads as a miss (the page is rendered) instead of an error.
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
else:
    CACHES[PAGE_CACHE_ALIAS] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("DJANGO_PAGE_CACHE_DIR") or str(BASE_DIR / ".cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
RATELIMIT_VIEW = "lms.views.rate_limited"
# The open register API (assessments.register.api): requests per client address, counted in the
# default cache above (shared through Redis when REDIS_URL is set). docs/decisions.md, issue 17.
API_THROTTLE_RATE = env("API_THROTTLE_RATE", "120/min")
# Any site may read the API from a browser (read-only, no cookie sent or accepted); nothing else
# of the site is opened to other origins.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "content-type", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400
RATELIMIT_IP_META_KEY = "lms.security.client_ip"

# --- People and authentication --------------------------------------------------------------
AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    # Throttles failed logins (brute force); must come first.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Days during which the link of a welcome e-mail (choose your password) works; it also stops
# working once used (lms.notifications.welcome).
WELCOME_LINK_DAYS = int(env("WELCOME_LINK_DAYS", "7"))
# Minutes before the welcome e-mail can be sent again to the same person ("Renvoyer
# l'invitation"; lms.notifications.services.invite). 0: no cooldown.
WELCOME_EMAIL_COOLDOWN_MINUTES = int(env("WELCOME_EMAIL_COOLDOWN_MINUTES", "10"))
LOGIN_REDIRECT_URL = "my_space"
LOGOUT_REDIRECT_URL = "/"

# Failed-login counters and lockouts live in the database (axes' database handler): every app
# server sees the same counters, whatever the cache.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Both our login form and Wagtail's name the e-mail field "username".
AXES_USERNAME_FORM_FIELD = "username"
# One counter per person: "Bruno.Casse@…" and "bruno.casse@…" are the same identifier.
AXES_USERNAME_CALLABLE = "lms.identity.axes_username"
if CLIENT_IP_HEADER:  # the proxy's header first (lms.security.client_ip)
    AXES_IPWARE_META_PRECEDENCE_ORDER = (CLIENT_IP_HEADER, "REMOTE_ADDR")

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends after 2 hours without a request (lms.security).
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override it to SAMEORIGIN themselves

# Content-Security-Policy (django-csp, lms.security.SitePolicyMiddleware). The site: no inline
# script (scripts are static files; a nonce is available as request.csp_nonce where one must be
# inline), no style attribute, nothing from elsewhere but video players. The Wagtail userbar's
# stylesheet comes from WAGTAILADMIN_BASE_URL, which may be another origin.
VIDEO_EMBED_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.dailymotion.com",
    "https://geo.dailymotion.com",
]
_ADMIN_ORIGIN = "/".join(WAGTAILADMIN_BASE_URL.split("/")[:3])
# Images uploaded to object storage are read by browsers from the bucket's address.
if AWS_S3_CUSTOM_DOMAIN:
    MEDIA_ORIGINS = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
elif AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL:
    MEDIA_ORIGINS = ["/".join(AWS_S3_ENDPOINT_URL.split("/")[:3])]
elif AWS_STORAGE_BUCKET_NAME:
    MEDIA_ORIGINS = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"] + (
        [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"]
        if AWS_S3_REGION_NAME
        else []
    )
else:
    MEDIA_ORIGINS = []
# templates/500.html carries its own <style> (it must render even when static files fail);
# tests/lms/test_security_headers.py checks that this hash still matches it.
ERROR_PAGE_STYLE_HASH = "'sha256-Z3E4Nnd0+OzhTQl48QivyZi3k7uZ1mGWrzDIHOuJzVw='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, _ADMIN_ORIGIN, ERROR_PAGE_STYLE_HASH],
        "img-src": [SELF, "data:", _ADMIN_ORIGIN, *MEDIA_ORIGINS],
        "font-src": [SELF, _ADMIN_ORIGIN],
        "connect-src": [SELF],
        "frame-src": [SELF, *VIDEO_EMBED_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (paths under WAGTAIL_ADMIN_PATH_PREFIX): Wagtail 8 still has inline scripts
# and style attributes; previews are framed by the admin itself.
WAGTAIL_ADMIN_PATH_PREFIX = "/admin/"
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF, *VIDEO_EMBED_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs a device or sensor; full screen
# for our pages and the video players only.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": ["self", *VIDEO_EMBED_ORIGINS],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}

# --- Internationalisation ---------------------------------------------------------------------
# French only: no LocaleMiddleware, so the browser's Accept-Language never switches the language.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_USER_LOGIN_FORM = "lms.forms.AdminLoginForm"
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app servers share one bucket (django-storages). Objects are private by default (no
# ACL): the bucket policy makes images/ and original_images/ readable, never documents/, which
# Wagtail's serve view streams after checking who may read them (docs/deployment.md). Plain
# URLs (no expiring signature), so that a cached page never holds an expired image address.
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": AWS_S3_REGION_NAME or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "location": AWS_LOCATION,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
            # Path-style addresses on other S3 providers (MinIO, Garage, Scaleway...): the
            # media origin below is then the endpoint's.
            "addressing_style": "path" if AWS_S3_ENDPOINT_URL else None,
        },
    }

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ---------------------------------------------------------------------------
# django-tasks with its database backend (django-tasks-db): e-mails, notifications and Wagtail's
# own tasks (reference index, renditions) are queued in the database and run by a worker,
# `manage.py db_worker` (one process next to gunicorn; `make run` starts one next to runserver).
# Tests run tasks immediately (lms.settings.test). docs/decisions.md, "notify".
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Ensemblier"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# Password reset from the admin looks accounts up by their normalised address (lms.identity).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "lms.forms.AdminPasswordResetForm"  # noqa: S105
# No request from the admin to other sites: no Gravatar (it would receive a hash of each staff
# member's address) and no update check; the CSP can then stay on 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# An account created in the users admin may be given no password: its owner then chooses one
# through the welcome e-mail (lms.users, lms.notifications.welcome).
WAGTAILUSERS_PASSWORD_REQUIRED = False
# The e-mail address is changed on "Mon compte" only, which asks for the current password.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Documents are served by Wagtail's view, which checks who may read them (modules.documents);
# the files themselves are never served directly (docs/deployment.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Assessments -----------------------------------------------------------------------------
# Answers (and the time-up submit) of a timed attempt that reach the server up to this many
# seconds after its deadline still count: the countdown runs on the trainee's device and a quiz
# taken on poor Wi-Fi queues its answers until the connection returns. Later answers are kept
# as "late answers", shown to trainers and never graded. docs/decisions.md, cert-assess.
ASSESSMENT_LATE_GRACE_SECONDS = int(env("ASSESSMENT_LATE_GRACE_SECONDS", "120"))

# --- Attendance ------------------------------------------------------------------------------
# A signature given offline (poor Wi-Fi) is queued on the device with its local time and sent
# when the connection returns. The server accepts it when the device time falls in the
# half-day's signing window and the signature arrives at most this many minutes after it
# (every decision is recorded). docs/decisions.md, times.
ATTENDANCE_DEFERRED_MAX_DELAY_MINUTES = int(env("ATTENDANCE_DEFERRED_MAX_DELAY_MINUTES", "240"))

# Demo accounts may only be created outside production.
DEMO_SEED_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# --- Financing plan and awareness (issue 16) -------------------------------------------------
# The collective's aim for the household's reste à charge, in % of the works TTC: the public
# financing plan states the gap to it in euros. docs/decisions.md, issue 16.
FINANCING_PLAN_AIM_PCT = int(env("FINANCING_PLAN_AIM_PCT", "10"))
# A referral (a household passed on to an ensemblier, with its consent) is deleted this many days
# after it was sent (`manage.py purge_referrals`, run daily). docs/decisions.md, issue 16.
AWARENESS_REFERRAL_RETENTION_DAYS = int(env("AWARENESS_REFERRAL_RETENTION_DAYS", "90"))
# Hours during which the confirmation link of a light-account sign-up works (the account is
# created when it is followed; assessments.awareness.services.signup_request).
AWARENESS_SIGNUP_LINK_HOURS = int(env("AWARENESS_SIGNUP_LINK_HOURS", "48"))
