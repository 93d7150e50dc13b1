"""URLs of the trainee space and attendance (émargement).

Prefixes (`aujourdhui/`, `emargement/`, `mon-emargement/`, `formateur/`) are not page slugs of
the Wagtail tree, so they never shadow a page.
"""

from django.urls import path

import lms.converters  # noqa: F401 - registers <id:…> (bounded database ids)

from .views import attendance, today

urlpatterns = [
    path("aujourdhui/", today.today, name="today"),
    path("mon-emargement/", today.my_attendance, name="my_attendance"),
    path("emargement/<id:slot_id>/signer/", today.sign, name="attendance_sign"),
    path("formateur/sessions/", attendance.trainer_sessions, name="trainer_sessions"),
    path(
        "formateur/sessions/<id:session_id>/",
        attendance.trainer_session,
        name="trainer_session",
    ),
    path(
        "formateur/sessions/<id:session_id>/feuille/",
        attendance.sheet_html,
        name="attendance_sheet",
    ),
    path(
        "formateur/sessions/<id:session_id>/feuille.pdf",
        attendance.sheet_pdf,
        name="attendance_sheet_pdf",
    ),
    path(
        "formateur/sessions/<id:session_id>/feuille.csv",
        attendance.sheet_csv,
        name="attendance_sheet_csv",
    ),
    path(
        "formateur/creneaux/<id:slot_id>/emargement/",
        attendance.countersign,
        name="attendance_countersign",
    ),
    path(
        "formateur/emargements/<id:attendance_id>/corriger/",
        attendance.correct,
        name="attendance_correct",
    ),
]
