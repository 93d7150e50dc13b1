"""Role-aware navigation and landing pages, filled by each app at start-up.

`lms` imports no feature app: feature apps register their menu entries and the landing page of
a role in their `AppConfig.ready()`, and the base template reads them through the
`lms.context_processors.navigation` context processor.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from .roles import Role, user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 50


_items: list[NavItem] = []
_landings: dict[Role, str] = {}


def register_nav_item(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda entry: entry.order)


def register_landing(role: Role, url_name: str) -> None:
    _landings[role] = url_name


def landing_url_for(user) -> str | None:
    """The URL a user lands on after login: the first registered landing of their roles."""
    roles = user_roles(user)
    for role in (Role.COORDINATOR, Role.TRAINER, Role.TRAINEE, Role.DISABILITY_REFERENT):
        if role in roles and role in _landings:
            try:
                return reverse(_landings[role])
            except NoReverseMatch:
                return None
    return None


@lru_cache(maxsize=256)
def _reversed(url_name: str, urlconf, script_prefix: str) -> str | None:
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _url(url_name: str) -> str | None:
    """`reverse(url_name)`, None when it does not resolve; remembered per URL configuration and
    script prefix (the address of a named URL without arguments never changes while the process
    runs): the menu asks for about ten on every page."""
    return _reversed(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def items_for(user, path: str = "") -> list[dict]:
    entries = []
    for item in _items:
        if not item.visible(user):
            continue
        url = _url(item.url_name)
        if url is None:
            continue
        active = url != "/" and path.startswith(url) or url == path
        entries.append({"label": item.label, "url": url, "active": active})
    return entries


# --- Links on the account page ("Mon compte"), filled by feature apps ----------------------------

_account_links: list[NavItem] = []


def register_account_link(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _account_links):
        _account_links.append(item)
        _account_links.sort(key=lambda entry: entry.order)


def account_links_for(user) -> list[dict]:
    links = []
    for item in _account_links:
        if not item.visible(user):
            continue
        try:
            links.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return links
