"""The awareness app's views (namespace `awareness`). Prefixes never shadow page slugs:
reperage/, compte-leger/, parcours-sensibilisation/."""

from django.urls import path

from . import views

app_name = "awareness"

urlpatterns = [
    path("reperage/", views.checklist, name="checklist"),
    path("reperage/transmettre/", views.referral_new, name="referral_new"),
    path("reperage/orientations/", views.referrals, name="referrals"),
    path("reperage/annuaire/", views.listing, name="listing"),
    path("compte-leger/", views.signup, name="signup"),
    path("compte-leger/verifiez-votre-boite/", views.signup_sent, name="signup_sent"),
    path("compte-leger/confirmer/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("parcours-sensibilisation/", views.course, name="course"),
    path(
        "parcours-sensibilisation/attestation/",
        views.attestation_request,
        name="attestation_request",
    ),
    path(
        "parcours-sensibilisation/attestation.pdf",
        views.attestation_file,
        name="attestation_pdf",
    ),
]
