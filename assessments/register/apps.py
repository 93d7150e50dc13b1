from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "assessments.register"
    label = "register"
    verbose_name = "Registre public des ensembliers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.navigation import NavItem, register_account_link
        from modules import access

        # The person gives and withdraws their own consent from their account (issue 17).
        register_account_link(
            NavItem(
                "Registre public des ensembliers certifiés : mon accord",
                "register:consent",
                access.may_choose_register_consent,
                order=40,
            )
        )
