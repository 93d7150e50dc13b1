"""Links to this site as the public reaches it (e-mails, calendar subscriptions)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """A path of this site with the public base URL (`WAGTAILADMIN_BASE_URL`, required and
    https in production). Absolute URLs are returned as they are."""
    if not path or "://" in path:
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def webcal_url(url: str) -> str:
    """The `webcal://` form of an http(s) URL: calendars offer to subscribe to it."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url
