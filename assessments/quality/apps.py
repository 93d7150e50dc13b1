from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "assessments.quality"
    label = "quality"
    verbose_name = "Qualité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import hooks  # noqa: F401
