"""Start-up registrations of the certification part (imported from AssessmentsConfig.ready()):
navigation entries and the competency progress shown on "Aujourd'hui"."""

from lms.navigation import NavItem, register_landing, register_nav_item
from lms.prepared import Prepared
from lms.roles import Role, is_coordinator, is_trainee, is_trainer
from modules.today import register_competency_progress_provider


def _is_trainee(user):
    return is_trainee(user)


def _is_trainer(user):
    return is_trainer(user)


def _is_staff(user):
    return is_coordinator(user) or is_trainer(user)


def _is_visitor(user):
    return not getattr(user, "is_authenticated", False)


register_nav_item(NavItem("Résultats", "assessments:results", _is_visitor, order=90))
register_nav_item(NavItem("Mon parcours", "assessments:parcours", _is_trainee, order=30))
# Coordinators follow every session (modules.access): the same grid, all sessions.
register_nav_item(NavItem("Suivi de session", "assessments:suivi", _is_staff, order=40))
register_nav_item(NavItem("Certifications", "assessments:certifications", _is_staff, order=60))
register_nav_item(NavItem("Tableau national", "assessments:tracker", _is_staff, order=70))
# The national coordination lands on the national dashboard after login.
register_landing(Role.COORDINATOR, "assessments:tracker")


def _progress_query(trainee_id):
    from ..models import CompetencyResult

    return (
        CompetencyResult.objects.filter(trainee_id=trainee_id)
        .order_by()
        .values_list("competency__code", "computed_level", "status")
    )


# "Aujourd'hui" asks on every visit: compiled once (lms.prepared). The level comes as the
# driver gives it (a float on SQLite, a Decimal on PostgreSQL) and is only truncated.
_PROGRESS = Prepared(_progress_query)


def competency_progress(user, enrolment, today=None):
    """{code: level percent} of the trainee's competencies, for the "Aujourd'hui" bars."""
    from ..models import CompetencyResult

    progress = {}
    for code, level, status in _PROGRESS.rows(user.pk):
        if status == CompetencyResult.Status.VALIDATED:
            progress[code] = 100
        elif level is not None:
            progress[code] = int(level)
    return progress


register_competency_progress_provider(competency_progress)
