from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "assessments.credentials"
    label = "credentials"
    verbose_name = "Badges numériques (Open Badges 3.0)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from ..certification.models import Certification
        from . import checks, services  # noqa: F401 - checks registers the keyring's check

        # A revocation or a supersession changes the status list: rebuilt at the next read.
        post_save.connect(
            services.status_list_changed,
            sender=Certification,
            dispatch_uid="credentials-status-list",
        )
