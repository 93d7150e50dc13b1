"""Health endpoint for the load balancer: ``GET /sante/``.

200 ``{"status": "ok", "database": "ok", "cache": "ok"}`` when one cheap query (``SELECT 1``) and
a cache write + read both succeed; 503 with ``"status": "error"`` and the failing part(s)
otherwise. No session, no authentication, no template (nothing that needs a CSP nonce), never
cached by a proxy. Errors are logged, never shown (the body names only which part failed).
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .shared import without_site_lookup

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any database failure means "not healthy"
        logger.exception("Health check: database unavailable")
        return False


def _cache_ok() -> bool:
    key, value = "health:probe", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        return cache.get(key) == value
    except Exception:  # any cache failure means "not healthy"
        logger.exception("Health check: cache unavailable")
        return False


@without_site_lookup
@never_cache
@require_safe
def health(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error"}
    body.update({name: "ok" if ok else "error" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)
