from django.apps import AppConfig


class CasestudiesConfig(AppConfig):
    name = "casestudies"
    label = "casestudies"
    verbose_name = "Cas d'étude et dossiers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import ReferenceIndex

        from lms.navigation import NavItem, register_nav_item
        from lms.roles import is_coordinator, is_trainee, is_trainer

        from .models import Dossier

        # A case study's "référencé N fois" counts the dossiers opened on it (PROTECT).
        ReferenceIndex.register_model(Dossier)

        register_nav_item(
            NavItem(
                label="Cas pratiques",
                url_name="casestudies:index",
                visible=lambda user: user.is_authenticated and is_trainee(user),
                order=25,
            )
        )
        register_nav_item(
            NavItem(
                label="Mes dossiers",
                url_name="casestudies:my_dossiers",
                visible=lambda user: user.is_authenticated and is_trainee(user),
                order=30,
            )
        )
        register_nav_item(
            NavItem(
                label="Plan de financement",
                url_name="casestudies:plan",
                visible=lambda user: True,
                order=60,
            )
        )
        register_nav_item(
            NavItem(
                label="Dossiers à revoir",
                url_name="casestudies:review_list",
                # Coordinators read every dossier (review_list shows them read only).
                visible=lambda user: user.is_authenticated
                and (is_trainer(user) or is_coordinator(user)),
                order=35,
            )
        )
        # modules.today offers the trainee's "à faire" extension point.
        from modules.today import register_due_provider

        from .due import dossier_due_items

        register_due_provider(dossier_due_items)
