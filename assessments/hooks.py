"""Start-up registrations of the assessments part: navigation and the "Aujourd'hui" due items.

Imported once from `AssessmentsConfig.ready()`.
"""

from lms.navigation import NavItem, register_nav_item
from lms.roles import is_staff_role, is_trainee
from modules.today import register_due_provider


def _is_trainee_only(user) -> bool:
    return is_trainee(user) and not is_staff_role(user)


register_nav_item(NavItem("Mes évaluations", "assessments:mine", _is_trainee_only, order=40))
register_nav_item(NavItem("Correction", "assessments:grading_queue", is_staff_role, order=45))


def assessments_due(user, enrolment, today):
    """Assessments not passed yet, each due at the end of the last half-day of its modules."""
    from .selectors import due_assessments

    return due_assessments(user, enrolment, today)


register_due_provider(assessments_due)
