"""URLs of the programme part: navigation redirects (more below as the part grows).

`modules:programme` and `modules:sessions` redirect to the live ProgrammePage and
SessionCalendarPage, so that navigation does not depend on where the pages sit in the tree.
"""

from django.urls import path

import lms.converters  # noqa: F401 - registers <id:…> (bounded database ids)

from .views import enrolment, public, today

urlpatterns = [
    path("formation/programme/", public.programme_redirect, name="programme"),
    path("formation/sessions/", public.sessions_redirect, name="sessions"),
    path("calendrier/<str:token>.ics", public.trainee_ical, name="trainee_ical"),
    path("calendrier/renouveler/", today.agenda_renew, name="agenda_renew"),
    path(
        "formation/inscriptions/import/",
        enrolment.csv_import_choose_session,
        name="enrolment_import_choose",
    ),
    path(
        "formation/inscriptions/import/<id:session_id>/",
        enrolment.csv_import,
        name="enrolment_import",
    ),
    path(
        "formation/inscriptions/import/<id:session_id>/invitations/",
        enrolment.send_invitations,
        name="enrolment_invitations",
    ),
]
