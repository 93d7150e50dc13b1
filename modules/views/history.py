"""Wagtail's site history report, scoped: a trainer reads the changes to their own sessions,
half-days and enrolments only (`modules.access.scope_log_entries`; issue 10, finding 5).

Mounted at Wagtail's own URL (lms/urls.py declares it before the admin's URLs, so it wins).
"""

from django.urls import path
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from .. import access


class SiteHistoryView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            queryset = access.scope_log_entries(self.request.user, queryset)
        return queryset


def admin_view(view):
    return never_cache(require_admin_access(view))


urlpatterns = [
    path("", admin_view(SiteHistoryView.as_view()), name="site_history_scoped"),
    path(
        "results/",
        admin_view(SiteHistoryView.as_view(results_only=True)),
        name="site_history_scoped_results",
    ),
]
