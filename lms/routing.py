"""Wagtail's page routing in two queries instead of two per URL segment (issue 12).

Wagtail's `Page.route` walks the URL one segment at a time: for each one, the child with that slug
(a query loading the whole page row), then its `.specific` (a second query loading it again with
its own table). The module pages sit three levels down, so a request for /programme/module-9/
loaded five full pages before the view started: about 40 % of the module page's time for a
logged-in trainee (cProfile, docs/decisions.md).

`serve` finds the same page from its `url_path` (Wagtail keeps it as the parent's `url_path`
plus the slug, so it is what the walk would find): one light query for the pages along the path
(id, type, path only), then the last one, specific, in one query; that page's own `route` gets
the remaining segments (a routable page's sub-URLs, or a 404 for an unknown child). Whenever
the walk could differ — a page along the way that overrides `route` (a routable page with
children), a broken chain, several sites' roots, localised trees — Wagtail's own routing runs.
The result goes where Wagtail caches it (`request._wagtail_route_for_request`), then Wagtail's
serve view does the rest unchanged (privacy checks, `before_serve_page` / `on_serve_page` hooks).
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from wagtail import views as wagtail_views
from wagtail.models import Page, Site

_ROUTE = "_wagtail_route_for_request"


def _default_route(model) -> bool:
    return getattr(model, "route", None) is Page.route


def route(request, path: str):
    """Wagtail's RouteResult for `path`, or None when there is no such page; raises
    LookupError when the short way does not apply (then Wagtail's own routing must run)."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        raise LookupError("localised trees")
    site = Site.find_for_request(request)
    if site is None:
        return None
    roots = [root for root in Site.get_site_root_paths() if root.site_id == site.pk]
    if len(roots) != 1:
        raise LookupError("no single root path")
    root_path = roots[0].root_path
    components = [component for component in path.split("/") if component]
    prefixes = [root_path] + [
        root_path + "".join(f"{part}/" for part in components[:count])
        for count in range(1, len(components) + 1)
    ]
    rows = {
        url_path: (pk, content_type_id)
        for pk, content_type_id, url_path in Page.objects.filter(url_path__in=prefixes)
        .values_list("pk", "content_type_id", "url_path")
        .order_by()
    }
    chain = []
    for prefix in prefixes:
        if prefix not in rows:
            break
        chain.append(rows[prefix])
    if not chain or len(rows) != len(chain):
        raise LookupError("not one chain from the root")
    models = [ContentType.objects.get_for_id(type_id).model_class() for _, type_id in chain]
    if any(model is None or not _default_route(model) for model in models[:-1]):
        raise LookupError("a page along the way routes its own sub-URLs")
    page = models[-1].objects.get(pk=chain[-1][0])
    try:
        return page.route(request, components[len(chain) - 1 :])
    except Http404:
        return None


def serve(request, path):
    """Wagtail's serve view, routed the short way when it applies."""
    if not hasattr(request, _ROUTE):
        with contextlib.suppress(LookupError):  # else Wagtail routes it (route_for_request)
            setattr(request, _ROUTE, route(request, path))
    return wagtail_views.serve(request, path)
