from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Structure, Territory


class TerritoryViewSet(SnippetViewSet):
    model = Territory
    icon = "site"
    menu_label = "Territoires"
    list_display = ["name", "departments", "joined_on"]
    search_fields = ["name", "departments"]
    ordering = ["name"]


class StructureViewSet(SnippetViewSet):
    model = Structure
    icon = "group"
    menu_label = "Structures"
    list_display = ["name", "kind", "territory", "city"]
    list_filter = ["kind", "territory"]
    search_fields = ["name", "city"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (TerritoryViewSet, StructureViewSet)
    menu_icon = "group"
    menu_label = "Réseau"
    menu_name = "reseau"
    menu_order = 300


register_snippet(PeopleViewSetGroup)
