from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "modules"
    label = "modules"
    verbose_name = "Programme et sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.navigation import NavItem, register_landing, register_nav_item
        from lms.roles import Role, is_staff_role, is_trainee

        from .references import register_references

        register_references()

        register_nav_item(NavItem("Aujourd'hui", "modules:today", is_trainee, order=10))
        register_nav_item(
            NavItem("Émargement", "modules:trainer_sessions", is_staff_role, order=15)
        )
        register_nav_item(NavItem("Programme", "modules:programme", lambda user: True, order=20))
        register_nav_item(NavItem("Sessions", "modules:sessions", lambda user: True, order=30))
        register_landing(Role.TRAINEE, "modules:today")
        register_landing(Role.TRAINER, "modules:trainer_sessions")
