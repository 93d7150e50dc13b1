from django.apps import AppConfig


class AwarenessConfig(AppConfig):
    name = "assessments.awareness"
    label = "awareness"
    verbose_name = "Sensibilisation et repérage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.navigation import NavItem, register_account_link, register_nav_item
        from modules import access

        from .selectors import is_certified

        register_nav_item(NavItem("Repérage", "awareness:checklist", lambda user: True, order=62))
        register_nav_item(
            NavItem("Sensibilisation", "awareness:course", lambda user: True, order=61)
        )
        # A certified ensemblier opts in to be listed from their account (issue 16).
        register_account_link(
            NavItem(
                "Être proposé·e aux acteurs de terrain du repérage",
                "awareness:listing",
                is_certified,
            )
        )
        register_account_link(
            NavItem(
                "Orientations de ménages reçues",
                "awareness:referrals",
                lambda user: access.sees_all_referrals(user) or is_certified(user),
                order=55,
            )
        )
