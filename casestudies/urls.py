from django.urls import path

from .views import dossiers, review

app_name = "casestudies"

urlpatterns = [
    path("dossiers/", dossiers.my_dossiers, name="my_dossiers"),
    path("dossiers/ouvrir/<int:case_study_id>/", dossiers.dossier_open, name="dossier_open"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/enregistrer/", dossiers.dossier_autosave, name="autosave"),
    path("dossiers/<int:pk>/verifier/<str:milestone>/", dossiers.dossier_check, name="check"),
    path("dossiers/<int:pk>/soumettre/<str:milestone>/", dossiers.dossier_submit, name="submit"),
    path("revue-dossiers/", review.review_list, name="review_list"),
    path("revue-dossiers/<int:pk>/<str:milestone>/", review.review_detail, name="review_detail"),
]
