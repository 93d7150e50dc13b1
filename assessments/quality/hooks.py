"""Start-up registrations of the quality app (imported from QualityConfig.ready()): menu
entries and the disability referent's landing page."""

from lms.navigation import NavItem, register_landing, register_nav_item
from lms.roles import Role, is_coordinator, is_disability_referent, is_staff_role, is_trainee


def _is_trainee(user):
    return is_trainee(user)


def _runs_quality(user):
    return is_staff_role(user) or is_disability_referent(user)


register_nav_item(NavItem("Avis et aménagements", "quality:mine", _is_trainee, order=35))
register_nav_item(NavItem("Aménagements", "quality:accommodations", _runs_quality, order=80))
register_nav_item(NavItem("Réclamations", "quality:complaints", is_coordinator, order=85))
register_landing(Role.DISABILITY_REFERENT, "quality:accommodations")
