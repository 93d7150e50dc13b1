from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "assessments.register"
    label = "register"
    verbose_name = "Registre public des ensembliers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.navigation import NavItem, register_account_link
        from lms.pagecache import invalidate_on
        from modules import access

        from .api.http import REGISTER_GROUP
        from .models import RegisterConsent

        # The API's ETags carry this generation: a consent given or withdrawn changes them.
        invalidate_on(RegisterConsent, REGISTER_GROUP)

        # The person gives and withdraws their own consent from their account (issue 17).
        register_account_link(
            NavItem(
                "Registre public des ensembliers certifiés : mon accord",
                "register:consent",
                access.may_choose_register_consent,
                order=40,
            )
        )
