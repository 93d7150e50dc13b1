from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "assessments.quality"
    label = "quality"
    verbose_name = "Qualité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.pagecache import ATTENDANCE, invalidate_on

        from . import hooks  # noqa: F401
        from .models import SurveyInvitation, SurveyResponse

        # The public "Résultats" page shows the satisfaction figures: a new answer makes its
        # stored copies stale (its own group, with the attendance rate; lms.pagecache).
        invalidate_on(SurveyResponse, ATTENDANCE)
        invalidate_on(SurveyInvitation, ATTENDANCE)
