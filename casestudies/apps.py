from django.apps import AppConfig


class CasestudiesConfig(AppConfig):
    name = "casestudies"
    label = "casestudies"
    verbose_name = "Cas d'étude et dossiers"
    default_auto_field = "django.db.models.BigAutoField"
