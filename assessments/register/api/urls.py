"""/api/v1/: the register API's URLs, each view read-only.

HEAD is answered as GET (as Django's class-based views do; the server drops the body), OPTIONS
with the allowed methods (CORS preflights are answered before, by django-cors-headers), and any
other method with a French 405 in JSON."""

from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.urls import path

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


def _read_only_patterns(patterns):
    for pattern in patterns:
        pattern.callback = read_only(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("api/v1/", (_read_only_patterns(_patterns), _app_name, _namespace)),
]
