"""Response hardening that settings alone cannot express: the Wagtail admin's Content-Security-
Policy and the idle session timeout. Decisions in docs/decisions.md ("Hardening — headers,
rate limits, sessions, documents")."""

import ipaddress
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies: the site's strict one
    (`CONTENT_SECURITY_POLICY`: scripts and styles from our origin only, no inline script) and,
    under the Wagtail admin, `ADMIN_CONTENT_SECURITY_POLICY`.

    Wagtail 8's admin still writes inline scripts (inline panels, date pickers) and style
    attributes (Draftail, Stimulus controllers), so its policy allows 'unsafe-inline' for
    scripts and styles there — and carries no nonce, since a nonce makes browsers ignore
    'unsafe-inline'. Everything else stays as strict as on the site."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and _is_admin(request):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            parts.nonce = None
        elif getattr(request, "is_preview", False):
            # Wagtail renders a preview through the whole middleware stack with a request for
            # the page's own URL (`make_preview_request`), then the admin frames it: the site's
            # policy applies, framed by our own origin only ('none' blocked every preview).
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


def _is_admin(request) -> bool:
    return request.path_info.startswith(settings.WAGTAIL_ADMIN_PATH_PREFIX)


# --- Idle session timeout ------------------------------------------------------------------------
# Sessions live SESSION_COOKIE_AGE seconds (2 hours) from their last save. An active session is
# saved again once every SESSION_REFRESH_SECONDS at most, which moves its expiry forward: it
# ends after 2 hours without a request (give or take the refresh step). Saving on every request
# (SESSION_SAVE_EVERY_REQUEST) would cost one write per request, autosaves included.
SESSION_ACTIVITY_KEY = "_last_activity"


def _touch(session) -> None:
    now = int(time.time())
    last = session.get(SESSION_ACTIVITY_KEY)
    if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS:
        session[SESSION_ACTIVITY_KEY] = now


class SessionActivityMiddleware:
    """After SessionMiddleware: marks an active session as modified (so it is saved with a new
    expiry) when its last refresh is older than SESSION_REFRESH_SECONDS. A request that did not
    load the session (static files, anonymous pages) does not touch it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            _touch(session)
        return response


@receiver(user_logged_in, dispatch_uid="lms.security.session_activity_on_login")
def _stamp_session_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        _touch(request.session)


# --- Client address ------------------------------------------------------------------------------
def client_ip(request) -> str:
    """The client's IP address for rate limits (RATELIMIT_IP_META_KEY).

    Behind the TLS proxy every request comes from the proxy (REMOTE_ADDR), so the per-IP limits
    would be shared by everybody. When `CLIENT_IP_HEADER` names a header the proxy sets itself
    (overwriting what the client sent, e.g. nginx `proxy_set_header X-Real-IP $remote_addr`),
    its value is used — the last address of a list, the one the proxy added. Without that
    setting the header is ignored (a client could forge it). Falls back to REMOTE_ADDR when the
    header is absent or not an IP address."""
    header = settings.CLIENT_IP_HEADER
    if header:
        candidate = request.META.get(header, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")
