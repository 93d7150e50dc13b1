from django.urls import include, path  # noqa: F401

app_name = "assessments"

urlpatterns: list = [
    path("", include("assessments.urls_certification")),
]
