from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = "Plateforme"
    default_auto_field = "django.db.models.BigAutoField"


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our users viewset (`lms.users`): roles that cannot climb."""

    user_viewset = "lms.users.UserViewSet"
