"""What every API response shares: strong ETags (304 on If-None-Match, answered before any
query), no stale copy kept by anybody, throttling per client, French JSON errors."""

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle

from lms import pagecache
from lms.security import client_ip

SAFE_METHODS = ("GET", "HEAD")


# What moves the register's generation besides the page cache's `site` group (registered in
# `RegisterConfig.ready`): consents given or withdrawn.
REGISTER_GROUP = "register"
# Bump when the bodies change for the same data (a field added, a wording changed): the ETags
# of the previous version then stop matching. The date in the ETag bounds a forgotten bump.
ETAG_FORMAT = "1"


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def data_etag(request: HttpRequest) -> str:
    """The ETag of the answer to `request`, known before reading any data: the address asked
    (scheme, host, path and parameters: the body's links are absolute), the generation of what
    the answers show (`site`: certificates, sessions and their half-days, enrolments, people,
    structures, territories, pages, settings; `register`: consents) and today's date (the
    sessions' timing and the last 12 months move with it). Any of them changing gives another
    ETag; an unreadable generation gives a fresh one each time (never a wrong 304)."""
    parts = (
        ETAG_FORMAT,
        request.build_absolute_uri(),
        pagecache.generation(pagecache.SITE, REGISTER_GROUP),
        timezone.localdate().isoformat(),
    )
    return etag_of("\n".join(parts).encode())


def _cacheable(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    return response


def conditional(view):
    """An operation that answers 304 to a client holding the current ETag without running:
    after the throttle and the parameters' validation, before any query."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.register_etag = etag = data_etag(request)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return _cacheable(not_modified, etag)
        return view(request, *args, **kwargs)

    return wrapped


class FrenchJSONRenderer(JSONRenderer):
    """UTF-8 JSON as written ("Élodie", not "\\u00c9lodie"): the content type says utf-8."""

    json_dumps_params = {"ensure_ascii": False}


class RegisterAPI(NinjaAPI):
    """NinjaAPI whose successful GET responses carry an ETag: the operation's `data_etag`
    (`conditional` operations, which answer a matching If-None-Match with 304 before reading
    anything), else a hash of the body.

    A client sending the ETag it holds gets 304 without the body. Responses say
    `Cache-Control: no-cache`: a browser or proxy may keep a copy but must ask again each time,
    so a withdrawn consent is gone from the very next response."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if response.status_code != 200 or request.method not in SAFE_METHODS:
            response["Cache-Control"] = "no-store"
            return response
        etag = getattr(request, "register_etag", None) or etag_of(response.content)
        _cacheable(response, etag)
        return get_conditional_response(request, etag=etag, response=response)


class ClientRateThrottle(AnonRateThrottle):
    """Requests per client address (`lms.security.client_ip`, which trusts only the proxy's own
    header), counted in Django's default cache — Redis when REDIS_URL is set, so every app
    server shares the counters. The rate is read from `API_THROTTLE_RATE` at each request."""

    scope = "registre"

    def __init__(self):
        super().__init__(rate=settings.API_THROTTLE_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.API_THROTTLE_RATE:  # changed by the settings (tests)
            self.rate = settings.API_THROTTLE_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request) or "inconnu"

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


# --- French errors ---------------------------------------------------------------------------

_MESSAGES = {
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "greater_than_equal": "doit valoir au moins {ge}",
    "greater_than": "doit valoir plus de {gt}",
    "less_than_equal": "doit valoir au plus {le}",
    "less_than": "doit valoir moins de {lt}",
    "string_too_long": "est trop long (au plus {max_length} caractères)",
    "string_too_short": "est trop court (au moins {min_length} caractères)",
    "string_pattern_mismatch": "contient des caractères non permis",
    "missing": "est obligatoire",
}


def french_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error") or error.get("msg", "")).removeprefix(
            "Value error, "
        )
    template = _MESSAGES.get(kind, "n'est pas une valeur acceptée")
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return _MESSAGES.get(kind, "n'est pas une valeur acceptée").split(" {")[0]


def _parameter(error: dict) -> str:
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
    return location[-1] if location else "requête"


def validation_errors(request, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    errors = [
        {"parametre": _parameter(error), "message": french_message(error)}
        for error in exc.errors
        if isinstance(error, dict)
    ]
    detail = "Paramètres invalides : " + " ; ".join(
        f"« {error['parametre']} » {error['message']}" for error in errors
    )
    return api.create_response(request, {"detail": detail + ".", "erreurs": errors}, status=422)


def throttled(request, exc: Throttled, api: NinjaAPI) -> HttpResponse:
    wait = max(1, math.ceil(exc.wait)) if exc.wait else 60
    response = api.create_response(
        request,
        {"detail": f"Trop de requêtes : réessayez dans {wait} secondes."},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def not_found(request, exc, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": "Introuvable."}, status=404)


def http_error(request, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
