from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import routing, views
from lms.health import health
from lms.notifications.views import WelcomeView
from lms.pagecache import cache_for_visitors

account_patterns = [
    path("", views.account, name="account"),
    path(
        "connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("mot-de-passe/oubli/", views.site_password_reset, name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("bienvenue/<uidb64>/<token>/", WelcomeView.as_view(), name="welcome"),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    # Load balancer probe (lms.health): no session, no authentication.
    path("sante/", health, name="health"),
    # Wagtail's own reset form, with the same rate limits as the site's (declared before the
    # admin's URLs so that it wins; same URL name).
    path("admin/password_reset/", views.admin_password_reset, name="wagtailadmin_password_reset"),
    # Wagtail's site history report, scoped to the sessions a trainer manages (same URL, first).
    path("admin/reports/site-history/", include("modules.views.history")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("compte/", include(account_patterns)),
    path("mon-espace/", views.my_space, name="my_space"),
    path("notifications/", include("lms.notifications.urls")),
    # Feature apps: Django views under their own prefixes, never shadowing page slugs.
    path("", include("modules.urls")),
    path("", include("casestudies.urls")),
    path("", include("assessments.urls")),
    path("", include("assessments.quality.urls")),
    path("", include("assessments.awareness.urls")),
    path("", include("assessments.register.urls")),
    # The open register API, /api/v1/ (django-ninja; docs at /api/v1/docs).
    path("", include("assessments.register.api.urls")),
    path("", include("assessments.credentials.urls")),
]

if settings.DEBUG:
    from django.views.static import serve

    # Images only: uploaded documents go through Wagtail's permission-checking view
    # (/documents/<id>/<name>), in development as in production (docs/deployment.md).
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:original_)?images/.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's page serving, through the visitors' page cache (lms.pagecache): pages whose class says
# `cached_for_visitors = True` are stored for visitors; a stored page is served before routing.
# Routed in two queries (lms.routing), then Wagtail's own serve view.
wagtail_patterns = [
    re_path(
        pattern.pattern.regex.pattern,
        cache_for_visitors(routing.serve, opt_in=False),
        name=pattern.name,
    )
    if pattern.name == "wagtail_serve"
    else pattern
    for pattern in wagtail_urls.urlpatterns
]
urlpatterns += [path("", include(wagtail_patterns))]
