"""What logged-in people's pages share, computed once per process and per state of the site
(issue 12; docs/decisions.md, "Issue 12 — session 4").

The public pages are cached whole for visitors (`lms.pagecache`); a trainee's page cannot be,
but most of what it reads is the same for everybody: the site and its settings, a session's
half-days and the modules they teach, the live assessments, the competencies. `shared()` keeps
such values in a small per-process memory keyed by a name, a key (a session id, say) and the
`site` generation of the page cache, which every change to what they are built from moves on
(Wagtail's publish / unpublish / move / delete, and the models registered with
`pagecache.invalidate_on`: sessions, half-days and their modules, enrolments, competencies,
sites, settings, …). The generation is read from the shared cache (Redis with several app
servers) once per request, so a change made through any server is seen on the next request
everywhere; an entry also expires after `PAGE_CACHE_SECONDS`, which bounds what a write
without signals (a queryset `update()`) can leave stale, as for the pages.

Rules for what goes in: nothing personal (no user, no attendance, no attempt), and values that
nobody mutates (tuples, frozen dataclasses, strings): one value is read by every thread of the
process. A generation that cannot be read (cache outage) shares nothing.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import pagecache

T = TypeVar("T")

MAX_ENTRIES = 2048
_REQUEST_ATTRIBUTE = "_lms_site_generation"
_SITES_ATTRIBUTE = "_lms_sites_generation"
_OUTAGE = "hors-service-"

# The request being served (set by SiteLookupMiddleware), for code that has no request at hand
# (the "Aujourd'hui" providers): the generation is read once per request all the same.
_current: contextvars.ContextVar[object | None] = contextvars.ContextVar(
    "lms_shared_request", default=None
)

_lock = threading.Lock()
_memory: OrderedDict[tuple, tuple[float, object]] = OrderedDict()


def generation(request=None) -> str:
    """The `site` generation, read from the shared cache once per request (`request` given, or
    while SiteLookupMiddleware serves one), else now."""
    if request is None:
        request = _current.get()
    if request is None:
        return pagecache.generation(pagecache.SITE)
    value = getattr(request, _REQUEST_ATTRIBUTE, None)
    if value is None:
        value = pagecache.generation(pagecache.SITE)
        setattr(request, _REQUEST_ATTRIBUTE, value)
    return value


def sites_generation(request) -> str:
    """The generation of the Wagtail sites and site settings (`pagecache.SITES`), once per
    request: sessions, enrolments and the like do not move it."""
    value = getattr(request, _SITES_ATTRIBUTE, None)
    if value is None:
        value = pagecache.generation(pagecache.SITES)
        setattr(request, _SITES_ATTRIBUTE, value)
    return value


def shared(name: str, key: Hashable, build: Callable[[], T], *, generation: str) -> T:
    """`build()`, or the value it gave earlier in this process for (`name`, `key`) under the
    same `generation` and less than `PAGE_CACHE_SECONDS` ago. `build` must return a value that
    is the same for every person and that nobody mutates."""
    if generation.startswith(_OUTAGE):
        return build()
    entry = (name, key, generation)
    now = time.monotonic()
    with _lock:
        found = _memory.get(entry)
        if found is not None and found[0] > now:
            _memory.move_to_end(entry)
            return found[1]  # type: ignore[return-value]
    value = build()
    with _lock:
        _memory[entry] = (now + settings.PAGE_CACHE_SECONDS, value)
        _memory.move_to_end(entry)
        while len(_memory) > MAX_ENTRIES:
            _memory.popitem(last=False)
    return value


def clear() -> None:
    """Forget everything (tests)."""
    with _lock:
        _memory.clear()


# --- The site and the site settings, on every page ----------------------------------------------
class SiteLookupMiddleware:
    """Gives each page request its Wagtail `Site` and the generic site settings from the shared
    memory, where Wagtail looks for them first (`request._wagtail_site`, the settings' request
    attribute): without it, every page runs Wagtail's site query (a CASE over hostnames) and
    the settings query. Both are registered with the page cache (a save moves the generation),
    so an edit is seen on the next request. The settings are read lazily: a request that never
    shows them does not build them. Only GET and HEAD requests get them; a view marked with
    `without_site_lookup` (the load balancer's health probe, which must stay one query and
    report a database outage itself) neither."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or getattr(view_func, _EXEMPT, False):
            return None  # a POST (autosave, signing) mostly redirects: Wagtail looks up if asked
        current = sites_generation(request)
        host = request._get_raw_host()
        port = request.get_port()
        request._wagtail_site = shared(
            "wagtail-site", (host, port), lambda: _find_site(request), generation=current
        )
        _attach_generic_settings(request, current)
        return None


_EXEMPT = "_lms_without_site_lookup"


def without_site_lookup(view):
    """Mark `view`: SiteLookupMiddleware leaves its requests alone."""
    setattr(view, _EXEMPT, True)
    return view


def _find_site(request):
    from wagtail.models import Site

    return Site._find_for_request(request)


def _attach_generic_settings(request, current: str) -> None:
    from .models import SiteSettings

    def load():
        return shared(
            "generic-setting", SiteSettings._meta.label, _load_settings, generation=current
        )

    setattr(request, SiteSettings.get_cache_attr_name(), SimpleLazyObject(load))


def _load_settings():
    from .models import SiteSettings

    return SiteSettings._get_or_create()
