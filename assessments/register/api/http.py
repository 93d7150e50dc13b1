"""What every API response shares: strong ETags (304 on If-None-Match), no stale copy kept by
anybody, throttling per client, French JSON errors."""

import hashlib
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle

from lms.security import client_ip

SAFE_METHODS = ("GET", "HEAD")


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


class FrenchJSONRenderer(JSONRenderer):
    """UTF-8 JSON as written ("Élodie", not "\\u00c9lodie"): the content type says utf-8."""

    json_dumps_params = {"ensure_ascii": False}


class RegisterAPI(NinjaAPI):
    """NinjaAPI whose successful GET responses carry an ETag computed from their body.

    The body is what changes when the data changes (a consent withdrawn removes a line), so the
    ETag changes with it; a client sending the ETag it holds (If-None-Match) gets 304 without
    the body. Responses say `Cache-Control: no-cache`: a browser or proxy may keep a copy but
    must ask again each time, so a withdrawn consent is gone from the very next response."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if response.status_code != 200 or request.method not in SAFE_METHODS:
            response["Cache-Control"] = "no-store"
            return response
        response["ETag"] = etag_of(response.content)
        patch_cache_control(response, public=True, no_cache=True)
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        return conditional


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
