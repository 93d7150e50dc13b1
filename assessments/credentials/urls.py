"""Open Badges: the issuer's profile, its public keys, the status list, the holder's downloads and
the verification by upload. Prefixes never shadow page slugs: badges/, .well-known/."""

from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("badges/emetteur/", views.issuer_profile, name="issuer"),
    path("badges/statuts/revocation/", views.status_list, name="status_list"),
    path("badges/verifier/", views.verify_upload, name="verify_upload"),
    path("badges/<str:number>.json", views.credential_json, name="download_json"),
    path("badges/<str:number>.png", views.credential_png, name="download_png"),
]
