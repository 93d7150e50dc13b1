from django.apps import AppConfig


class AwarenessConfig(AppConfig):
    name = "assessments.awareness"
    label = "awareness"
    verbose_name = "Sensibilisation et repérage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Repérage", "awareness:checklist", lambda user: True, order=62))
        register_nav_item(
            NavItem("Sensibilisation", "awareness:course", lambda user: True, order=61)
        )
