from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import pagecache
from .models import Structure, Territory
from .protected_delete import blocking_records, dependent_groups
from .roles import grantable_roles, may_change_page, may_manage_account


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


@hooks.register("before_bulk_action")
def refuse_bulk_actions_that_climb(request, action_type, objects, action_class_instance):
    """Bulk actions on accounts follow the same rules as the forms (`lms.users`): only accounts
    the user manages, and only roles they may grant."""
    if action_class_instance.model is not get_user_model():
        return None
    if any(not may_manage_account(request.user, account) for account in objects):
        raise PermissionDenied
    if action_type == "assign_role":
        role = action_class_instance.cleaned_form.cleaned_data.get("role")
        grantable = {r.value for r in grantable_roles(request.user)}
        if role is None or role.name not in grantable:
            raise PermissionDenied
    return None


# --- Records that cannot vanish (issue 9) --------------------------------------------------------


def _refuse_page_deletion(request, pages):
    """A page (or a descendant) that records depend on is not deleted: list them, offer to
    unpublish instead. Returns None when deletion is allowed."""
    groups = dependent_groups(blocking_records(pages))
    if not groups:
        return None
    return TemplateResponse(
        request,
        "lms/admin/delete_refused.html",
        {"pages": pages, "groups": groups, "total": sum(group.count for group in groups)},
        status=409 if request.method == "POST" else 200,
    )


@hooks.register("before_delete_page")
def refuse_deleting_pages_with_records(request, page):
    return _refuse_page_deletion(request, [page])


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_pages_with_records(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    return _refuse_page_deletion(request, list(objects))


def _refuse_others_unpublished_pages(request, page, *args):
    if not may_change_page(request.user, page):
        raise PermissionDenied("Cette page non publiée appartient à une autre personne.")


for _hook in ("before_edit_page", "before_delete_page", "before_move_page"):
    hooks.register(_hook, _refuse_others_unpublished_pages)


@hooks.register("on_serve_page")
def allow_visitor_page_cache(next_serve_page):
    """Pages whose class says `cached_for_visitors = True` may be stored for visitors
    (lms.pagecache). Runs after the view restrictions (`before_serve_page`): a restricted page
    answers before reaching here, and is never stored."""

    def serve(page, request, args, kwargs):
        if getattr(type(page), "cached_for_visitors", False):
            pagecache.allow(request)
        return next_serve_page(page, request, args, kwargs)

    return serve
