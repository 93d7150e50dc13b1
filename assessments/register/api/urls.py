"""/api/v1/: the register API's URLs, each view read-only.

HEAD is answered as GET (as Django's class-based views do; the server drops the body), OPTIONS
with the allowed methods (CORS preflights are answered before, by django-cors-headers), and any
other method with a French 405 in JSON."""

from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.urls import path, re_path

from .main import api

ALLOWED = "GET, HEAD, OPTIONS"


def read_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "HEAD":
            request.method = "GET"
            try:
                return view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Allow"] = ALLOWED
            return response
        if request.method != "GET":
            response = JsonResponse(
                {"detail": "Méthode non permise : cette API est en lecture seule (GET)."},
                status=405,
            )
            response["Allow"] = ALLOWED
            return response
        return view(request, *args, **kwargs)

    wrapped.csrf_exempt = True
    return wrapped


def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404 (not the site's HTML page, nor the redirect
    to the address with a final slash that the site's pages get)."""
    return JsonResponse(
        {"detail": "Introuvable : cette adresse ne fait pas partie de l'API (voir /api/v1/docs)."},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


def _read_only_patterns(patterns):
    for pattern in patterns:
        # django-ninja's root (named for reversing) raises Http404: the site's HTML page.
        view = not_found if pattern.name == "api-root" else pattern.callback
        pattern.callback = read_only(view)
    return patterns


_patterns, _app_name, _namespace = api.urls


urlpatterns = [
    path("api/v1/", (_read_only_patterns(_patterns), _app_name, _namespace)),
    re_path(r"^api/(?P<rest>.*)$", not_found),
]
