"""The coordination reaches the consent history from the administration's menu."""

from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from modules import access


class ConsentHistoryMenuItem(MenuItem):
    def is_shown(self, request):
        return access.sees_register_consents(request.user)


@hooks.register("register_admin_menu_item")
def register_consent_history_menu_item():
    return ConsentHistoryMenuItem(
        "Registre public : accords",
        reverse("register:consent_events"),
        icon_name="list-ul",
        order=270,
    )
