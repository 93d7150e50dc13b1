from django.urls import path

import lms.converters  # noqa: F401 - registers <id:…> (bounded database ids)

from . import views

app_name = "quality"

urlpatterns = [
    path("qualite/mon-espace/", views.mine, name="mine"),
    path("qualite/amenagements/", views.accommodation_list, name="accommodations"),
    path("qualite/amenagements/nouveau/", views.accommodation_create, name="accommodation_create"),
    path(
        "qualite/amenagements/<id:accommodation_id>/",
        views.accommodation_edit,
        name="accommodation_edit",
    ),
    path(
        "qualite/amenagements/<id:accommodation_id>/fin/",
        views.accommodation_end,
        name="accommodation_end",
    ),
]

urlpatterns += [
    path("qualite/reclamations/deposer/", views.complaint_file, name="complaint_file"),
    path("qualite/reclamations/", views.complaint_list, name="complaints"),
    path("qualite/reclamations/export/", views.complaint_export, name="complaint_export"),
    path("qualite/reclamations/<id:complaint_id>/", views.complaint_detail, name="complaint"),
    path(
        "qualite/reclamations/<id:complaint_id>/etape/",
        views.complaint_step,
        name="complaint_step",
    ),
    path(
        "qualite/reclamations/<id:complaint_id>/actions/",
        views.improvement_action_add,
        name="improvement_action_add",
    ),
    path(
        "qualite/actions/<id:action_id>/realisee/",
        views.improvement_action_done,
        name="improvement_action_done",
    ),
]

urlpatterns += [
    path("qualite/", views.dashboard, name="dashboard"),
    path("qualite/satisfaction.csv", views.survey_results_export, name="survey_results_export"),
    path("qualite/questionnaires/<id:invitation_id>/", views.survey_answer, name="survey_answer"),
]

urlpatterns += [
    path("qualite/sessions/", views.session_pick, name="session_pick"),
    path("qualite/sessions/<id:session_id>/", views.session_quality, name="session"),
    path(
        "qualite/sessions/<id:session_id>/preuves/",
        views.evidence_pack_request,
        name="evidence_pack_request",
    ),
    path("qualite/preuves/<id:pack_id>/", views.evidence_pack_download, name="evidence_pack"),
]
