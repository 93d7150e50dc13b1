"""The register's pages (namespace `register`): the person's consent, under /compte/."""

from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("compte/registre-public/", views.consent, name="consent"),
]
