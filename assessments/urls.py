from django.urls import include, path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", include("assessments.certification.urls")),
    path("mes-evaluations/", views.my_assessments, name="mine"),
    path("tentatives/commencer/<int:assessment_id>/", views.attempt_begin, name="attempt_start"),
    path("tentatives/<int:attempt_id>/", views.attempt_take, name="attempt"),
    path(
        "tentatives/<int:attempt_id>/reponse/<int:question_id>/",
        views.attempt_autosave,
        name="attempt_autosave",
    ),
    path(
        "tentatives/<int:attempt_id>/soumettre/",
        views.attempt_confirm_submit,
        name="attempt_submit",
    ),
    path("tentatives/<int:attempt_id>/resultat/", views.attempt_result, name="attempt_result"),
    path("correction/", views.grading_queue_view, name="grading_queue"),
    path("correction/reponses/<int:answer_id>/", views.grade_answer_view, name="grade_answer"),
]
