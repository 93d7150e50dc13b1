from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    label = "assessments"
    verbose_name = "Évaluations et certification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            hooks,  # noqa: F401
            hooks_certification,  # noqa: F401
        )
