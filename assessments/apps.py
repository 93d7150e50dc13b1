from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    label = "assessments"
    verbose_name = "Évaluations et certification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import ReferenceIndex

        from lms.pagecache import invalidate_on

        from . import hooks  # noqa: F401
        from .certification import hooks as certification_hooks  # noqa: F401
        from .certification.models import Certification
        from .models import Attempt

        # An assessment's "référencé N fois" counts its attempts (PROTECT).
        ReferenceIndex.register_model(Attempt)
        # The public results page counts certifications (lms.pagecache).
        invalidate_on(Certification)
