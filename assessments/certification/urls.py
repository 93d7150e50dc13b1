"""Competency results, certification, certificates, the national tracker and public results.

Prefixes never shadow page slugs: mon-parcours/, formateur/suivi/, certifications/,
certificats/, realisation/, tableau-national/, resultats/.
"""

from django.urls import path

import lms.converters  # noqa: F401 - registers <id:…> (bounded database ids)

from . import views

urlpatterns = [
    path("mon-parcours/", views.parcours, name="parcours"),
    path("formateur/suivi/", views.suivi_index, name="suivi"),
    path("formateur/suivi/<id:session_id>/", views.suivi_session, name="suivi_session"),
    path(
        "formateur/suivi/<id:session_id>/competence/<id:result_id>/",
        views.competency_decide,
        name="competency_decide",
    ),
    path(
        "formateur/suivi/<id:session_id>/resultats.csv",
        views.suivi_session_csv,
        name="suivi_session_csv",
    ),
    path(
        "formateur/suivi/<id:session_id>/valider-atteintes/",
        views.competencies_validate_bulk,
        name="competencies_validate_bulk",
    ),
    path("certifications/", views.certifications, name="certifications"),
    path("certifications/certifier/<id:enrolment_id>/", views.certify, name="certify"),
    path(
        "certifications/<str:number>/",
        views.certification_detail,
        name="certification_detail",
    ),
    path("certificats/verifier/", views.verify, name="verify"),
    path("certificats/verifier/<str:number>/", views.verify_number, name="verify_number"),
    path("certificats/<str:number>.pdf", views.certificate_file, name="certificate_pdf"),
    path("tableau-national/", views.tracker, name="tracker"),
    path("tableau-national/<slug:table>.csv", views.tracker_csv, name="tracker_csv"),
    path("resultats/", views.results, name="results"),
    path("realisation/<id:enrolment_id>.pdf", views.completion_file, name="completion_pdf"),
]
