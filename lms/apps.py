from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = "Plateforme"
    default_auto_field = "django.db.models.BigAutoField"
