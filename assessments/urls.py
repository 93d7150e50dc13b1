from django.urls import include, path

import lms.converters  # noqa: F401 - registers <id:…> (bounded database ids)

from . import views

app_name = "assessments"

urlpatterns = [
    path("", include("assessments.certification.urls")),
    path("mes-evaluations/", views.my_assessments, name="mine"),
    path("tentatives/commencer/<id:assessment_id>/", views.attempt_begin, name="attempt_start"),
    path("tentatives/<id:attempt_id>/", views.attempt_take, name="attempt"),
    path(
        "tentatives/<id:attempt_id>/reponse/<id:question_id>/",
        views.attempt_autosave,
        name="attempt_autosave",
    ),
    path(
        "tentatives/<id:attempt_id>/soumettre/",
        views.attempt_confirm_submit,
        name="attempt_submit",
    ),
    path("tentatives/<id:attempt_id>/resultat/", views.attempt_result, name="attempt_result"),
    path("correction/", views.grading_queue_view, name="grading_queue"),
    path("correction/reponses/<id:answer_id>/", views.grade_answer_view, name="grade_answer"),
]
