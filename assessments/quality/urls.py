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
