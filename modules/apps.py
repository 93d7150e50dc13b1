from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "modules"
    label = "modules"
    verbose_name = "Programme et sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.navigation import NavItem, register_landing, register_nav_item
        from lms.pagecache import ATTENDANCE, invalidate_on
        from lms.roles import Role, is_staff_role, is_trainee

        from .models import (
            Attendance,
            Competency,
            Enrolment,
            SessionSlot,
            SessionSlotModule,
            TimetableSlot,
            TrainingSession,
        )
        from .references import register_references

        register_references()
        # Shown on the public pages (lms.pagecache): sessions, their half-days, rooms, modules
        # and trainers, seats left, competencies, the timetable. Attendance only feeds the
        # results page's rate.
        for model in (
            Competency,
            TimetableSlot,
            TrainingSession,
            SessionSlot,
            SessionSlotModule,
            Enrolment,
        ):
            invalidate_on(model)
        invalidate_on(Attendance, ATTENDANCE)

        register_nav_item(NavItem("Aujourd'hui", "modules:today", is_trainee, order=10))
        register_nav_item(
            NavItem("Émargement", "modules:trainer_sessions", is_staff_role, order=15)
        )
        register_nav_item(NavItem("Programme", "modules:programme", lambda user: True, order=20))
        register_nav_item(NavItem("Sessions", "modules:sessions", lambda user: True, order=30))
        register_landing(Role.TRAINEE, "modules:today")
        register_landing(Role.TRAINER, "modules:trainer_sessions")
