"""The register's pages (namespace `register`): the person's consent, under /compte/, and the
coordination's history of consents."""

from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("compte/registre-public/", views.consent, name="consent"),
    path("registre-public/accords/", views.consent_events, name="consent_events"),
]
