from django.urls import path

import lms.converters  # noqa: F401 - registers <id:…> (bounded database ids)

from .views import dossiers, pages, plan, review

app_name = "casestudies"

urlpatterns = [
    path("formation/cas-pratiques/", pages.case_studies_redirect, name="index"),
    path("dossiers/", dossiers.my_dossiers, name="my_dossiers"),
    path("dossiers/ouvrir/<id:case_study_id>/", dossiers.dossier_open, name="dossier_open"),
    path("dossiers/<id:pk>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<id:pk>/enregistrer/", dossiers.dossier_autosave, name="autosave"),
    path("dossiers/<id:pk>/verifier/<str:milestone>/", dossiers.dossier_check, name="check"),
    path("dossiers/<id:pk>/soumettre/<str:milestone>/", dossiers.dossier_submit, name="submit"),
    path("plan-de-financement/", plan.plan, name="plan"),
    path("plan-de-financement/calculer/", plan.plan_compute, name="plan_compute"),
    path("plan-de-financement/pdf/", plan.plan_download, name="plan_pdf"),
    path("revue-dossiers/", review.review_list, name="review_list"),
    path("revue-dossiers/<id:pk>/<str:milestone>/", review.review_detail, name="review_detail"),
]
