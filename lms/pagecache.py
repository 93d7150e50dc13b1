"""Whole-page cache of the public pages, for visitors only (issue 12; docs/decisions.md).

Django's cache framework does the keying (`get_cache_key` / `learn_cache_key`: method, full URL,
the response's `Vary` headers); what this module adds is *who* may be served from it and *when*
a stored page is out of date.

Who: a visitor, i.e. a GET or HEAD request that carries neither a session cookie nor a messages
cookie. Such a request cannot be anybody's: no session means no login (and no passed page
password, no pending message). A request with a session cookie always goes to the view, even
when the session turns out to be anonymous. A response is stored only when it is certainly the
same for every visitor: status 200, not streamed, no cookie set, no `Cache-Control` saying
private/no-store/no-cache, no CSRF token used while rendering, no CSP nonce used (django-csp
makes one only on demand: a nonce in a stored page would be served to everyone with another
request's header), no message queued, the session not modified, the user anonymous, and the
view opted in (`allow(request)`; Wagtail pages opt in by class, `cached_for_visitors = True`,
through the `on_serve_page` hook). Every response of a cached view says `Vary: Cookie`.

When: each key carries the current *generation* of the groups the view depends on and today's
date (pages say "en cours", "à venir" by date). A generation is a counter in the cache, bumped
when something a page shows changes: Wagtail's publish, unpublish, move and delete signals, and
`post_save` / `post_delete` / `m2m_changed` of the models registered with `invalidate_on`
(each app registers its own in `AppConfig.ready`). Bumping makes every stored page of the group
unreachable at once; they expire by themselves (`PAGE_CACHE_SECONDS`, which also bounds what a
write without signals, such as a queryset `update()`, can leave stale). The bump happens at once
and again when the transaction commits, so that a page rendered from the old data during the
transaction cannot be stored under the new generation.

The pages live in their own cache (`PAGE_CACHE_ALIAS`), shared by every worker and app server:
Redis when `REDIS_URL` is set, a file cache on one machine otherwise, so that an invalidation in
one worker is seen by all (a per-process memory cache would keep serving the old page in the
others). A cache outage serves the page uncached.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_cache_key, learn_cache_key, patch_vary_headers

logger = logging.getLogger(__name__)

SITE = "site"  # everything the public pages show: content, sessions, settings, certificates
# The Wagtail sites and site settings alone (lms.shared keeps them per process): moved by those
# models and by any page publish, unpublish, move or delete (a site's root page), not by the
# sessions, enrolments… that move `site`.
SITES = "sites"
ATTENDANCE = "attendance"  # attendance records, shown only as the results page's rate
HEADER = "X-Cache-Pages"  # hit / miss (the miss was stored) / skip (not stored)
_ALLOWED = "_visitor_page_cacheable"
_REFUSED_CACHE_CONTROL = {"private", "no-store", "no-cache"}


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _generation_key(group: str) -> str:
    return f"pagecache:generation:{group}"


# --- Generations --------------------------------------------------------------------------------
def bump(*groups: str) -> None:
    """Make every stored page of these groups unreachable (now)."""
    cache = _cache()
    for group in groups:
        key = _generation_key(group)
        try:
            try:
                cache.incr(key)
            except ValueError:  # no counter yet (or evicted): a value never used before
                cache.set(key, time.time_ns(), timeout=None)
        except Exception:
            logger.exception("Cache des pages : invalidation impossible (%s).", group)


def invalidate(*groups: str) -> None:
    """Bump now and once more when the current transaction commits (see the module doc)."""
    bump(*groups)
    transaction.on_commit(lambda: bump(*groups))


def _generations(groups: Iterable[str]) -> str:
    cache = _cache()
    keys = [_generation_key(group) for group in groups]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return ".".join(str(found[key]) for key in keys)


def generation(*groups: str) -> str:
    """The current generation of `groups`, for fragment keys of logged-in pages (the module
    body every enrolled trainee reads): a fragment keyed with it is forgotten with the pages.
    An outage gives a fresh value (nothing shared is reused)."""
    try:
        return _generations(groups or (SITE,))
    except Exception:
        logger.exception("Cache des pages : génération illisible.")
        return f"hors-service-{time.time_ns()}"


def invalidate_on(model, *groups: str, unless: Callable | None = None) -> None:
    """Bump `groups` whenever a `model` row is saved or deleted, or its many-to-many relations
    change. `unless(instance, **signal_kwargs)` returning True skips a save (a login's
    `last_login` update, say)."""
    groups = groups or (SITE,)
    uid = f"lms.pagecache:{model._meta.label}:{'.'.join(groups)}"

    def on_save(sender, instance, **kwargs):
        if unless is None or not unless(instance, **kwargs):
            invalidate(*groups)

    def on_change(sender, action="post_delete", **kwargs):
        if action.startswith("post_"):  # m2m_changed also sends pre_add, pre_remove, pre_clear
            invalidate(*groups)

    post_save.connect(on_save, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ":delete")
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if through is not None:
            m2m_changed.connect(
                on_change, sender=through, weak=False, dispatch_uid=f"{uid}:m2m:{field.name}"
            )


# --- Serving ------------------------------------------------------------------------------------
def allow(request) -> None:
    """The view serving `request` shows the same thing to every visitor: it may be stored."""
    setattr(request, _ALLOWED, True)


def is_visitor(request) -> bool:
    """A GET/HEAD without session or messages cookie: nobody's, served from the page cache."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _keyed(request):
    """The request as keyed: without its cookies. A visitor has no session or messages cookie,
    and a page that reads any other (the CSRF token) is never stored, so cookies (an old CSRF
    cookie, say) must not split the cache into one copy per browser."""
    keyed = copy.copy(request)
    keyed.META = {name: value for name, value in request.META.items() if name != "HTTP_COOKIE"}
    return keyed


def _storable(request, response) -> bool:
    if not getattr(request, _ALLOWED, False):
        return False
    if any(name not in settings.PAGE_CACHE_QUERY_PARAMETERS for name in request.GET):
        # Each query string is another key: arbitrary parameters (`?x=1`, `?x=2`, …) would
        # store one copy each and push useful pages out. Such requests are served, not stored.
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & _REFUSED_CACHE_CONTROL:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # {% csrf_token %} or get_token()
        return False
    if getattr(request, "_csp_nonce", None) is not None:  # request.csp_nonce was read
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _store(request, keyed, response, prefix: str) -> None:
    if not _storable(request, response):
        response[HEADER] = "skip"
        return
    timeout = settings.PAGE_CACHE_SECONDS
    cache = _cache()
    try:
        key = learn_cache_key(keyed, response, timeout, prefix, cache=cache)
        response[HEADER] = "miss"
        cache.set(key, response, timeout)
    except Exception:
        logger.exception("Cache des pages : page non enregistrée (%s).", request.path)


def cache_for_visitors(view=None, *, groups: tuple[str, ...] = (SITE,), opt_in: bool = True):
    """Serve `view` to visitors from the page cache, and store what it renders for them.

    `groups`: the generations the page depends on. `opt_in=False` leaves the decision to store
    to the view (`allow(request)`; Wagtail's serve view, whose pages opt in by class)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_visitor(request):
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, ("Cookie",))
                return response
            keyed = _keyed(request)
            cache = _cache()
            try:
                prefix = f"{timezone.localdate().isoformat()}.{_generations(groups)}"
                key = get_cache_key(keyed, prefix, "GET", cache=cache)
                response = cache.get(key) if key else None
            except Exception:
                logger.exception("Cache des pages : lecture impossible (%s).", request.path)
                return view(request, *args, **kwargs)
            if response is not None:
                response[HEADER] = "hit"
                return response
            if opt_in:
                allow(request)
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ("Cookie",))
            if request.method != "GET":
                return response
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.add_post_render_callback(
                    lambda rendered: _store(request, keyed, rendered, prefix)
                )
            else:
                _store(request, keyed, response, prefix)
            return response

        return wrapped

    return decorator if view is None else decorator(view)


# --- What every public page shows: Wagtail pages and the shared models ---------------------------
def connect_wagtail() -> None:
    """Publish, unpublish, move and delete of any page; view restrictions, sites, settings,
    images, documents; people's names (trainers are named on session pages)."""
    from django.contrib.auth import get_user_model

    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    def on_page(sender, **kwargs):
        invalidate(SITE, SITES)

    def on_delete(sender, instance, **kwargs):
        if isinstance(instance, Page):
            invalidate(SITE, SITES)

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(on_page, weak=False, dispatch_uid=f"lms.pagecache:{id(signal)}")
    post_delete.connect(on_delete, weak=False, dispatch_uid="lms.pagecache:page-delete")
    for model in (PageViewRestriction, get_image_model(), get_document_model()):
        invalidate_on(model)
    invalidate_on(Site, SITE, SITES)
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, BaseGenericSetting | BaseSiteSetting):
            invalidate_on(model, SITE, SITES, unless=_created_with_defaults)
    invalidate_on(get_user_model(), unless=_login_only)


def _created_with_defaults(instance, created=False, **kwargs) -> bool:
    """Wagtail creates a settings row with its defaults the first time a page reads it: what
    the pages showed already (they read those defaults). Any other save moves the generations."""
    if not created:
        return False
    return all(
        field.primary_key
        or field.is_relation
        or getattr(instance, field.attname) == field.get_default()
        for field in instance._meta.concrete_fields
    )


_UNSHOWN_USER_FIELDS = {"last_login", "password"}


def _login_only(instance, created=False, update_fields=None, **kwargs) -> bool:
    """A new account is nobody's trainer yet; a login or password change shows nowhere."""
    return created or (update_fields is not None and set(update_fields) <= _UNSHOWN_USER_FIELDS)
