"""URLconf of the throughput benchmark: a bare Django view (one query, a small template) in
front of the project's own URLs. Used through ``ROOT_URLCONF`` only, never run as a script."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from lms.models import Territory

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=fr><title>Base</title><h1>{{ title }}</h1>"
    "<ul>{% for name in names %}<li>{{ name }}</li>{% endfor %}</ul></html>"
)


def bare(request):
    names = list(Territory.objects.values_list("name", flat=True)[:5])
    return HttpResponse(_TEMPLATE.render({"title": "Vue de référence", "names": names}))


urlpatterns = [path("__banc__/vue-nue/", bare), path("", include("lms.urls"))]
