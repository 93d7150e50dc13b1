from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "modules"
    label = "modules"
    verbose_name = "Programme et sessions"
    default_auto_field = "django.db.models.BigAutoField"
