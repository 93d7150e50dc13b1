"""Start-up registrations of the quality app (imported from QualityConfig.ready()): menu
entries and the disability referent's landing page."""

from lms.navigation import NavItem, register_landing, register_nav_item
from lms.roles import Role, is_disability_referent, is_staff_role, is_trainee


def _is_trainee(user):
    return is_trainee(user)


def _is_referent_only(user):
    """The referent's menu entry; staff reach accommodations from the Qualité page."""
    return is_disability_referent(user) and not is_staff_role(user)


register_nav_item(NavItem("Avis et aménagements", "quality:mine", _is_trainee, order=35))
register_nav_item(NavItem("Qualité", "quality:dashboard", is_staff_role, order=75))
register_nav_item(NavItem("Aménagements", "quality:accommodations", _is_referent_only, order=80))
register_landing(Role.DISABILITY_REFERENT, "quality:accommodations")
