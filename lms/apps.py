from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    default = True  # two AppConfigs in this module: this one is the app's
    name = "lms"
    label = "lms"
    verbose_name = "Plateforme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .csvfiles import neutralise_wagtail_exports
        from .formfields import register_admin_overrides
        from .models import Structure, Territory
        from .pagecache import connect_wagtail, invalidate_on

        neutralise_wagtail_exports()
        register_admin_overrides()
        # What the visitors' page cache must forget when it changes (lms.pagecache); the
        # feature apps register their own models.
        connect_wagtail()
        invalidate_on(Territory)
        invalidate_on(Structure)


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our users viewset (`lms.users`): roles that cannot climb."""

    user_viewset = "lms.users.UserViewSet"
