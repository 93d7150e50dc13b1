"""The users admin (Wagtail's), with roles that cannot climb (issue 10, finding 3).

Administrators manage every account. Coordinators manage trainee and trainer accounts only:
they never see the "administrator" box, may grant the trainee role only (staff roles stay as
they are when they edit a trainer), and an administrator's or coordinator's account is a 404 to
them, in every view that names an account and in the bulk actions. The rules are in
`lms.roles` (`grantable_roles`, `may_manage_account`, `manageable_accounts`).
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import Http404

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from .notifications.services import invite
from .roles import grantable_roles, manageable_accounts, may_manage_account

User = get_user_model()


class RoleScopedFormMixin:
    """Hides "administrator" from non-administrators and limits the groups they may change."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.grantable = [role.value for role in grantable_roles(for_user)]
        if not getattr(for_user, "is_superuser", False):
            self.fields.pop("is_superuser", None)
            if "groups" in self.fields:
                self.fields["groups"].queryset = Group.objects.filter(name__in=self.grantable)

    def clean_groups(self):
        """The groups chosen among the grantable ones, plus the account's other groups kept."""
        chosen = self.cleaned_data.get("groups")
        if getattr(self.for_user, "is_superuser", False) or self.instance.pk is None:
            return chosen
        kept = self.instance.groups.exclude(name__in=self.grantable)
        return Group.objects.filter(pk__in=[g.pk for g in chosen] + [g.pk for g in kept])


class ScopedUserCreationForm(RoleScopedFormMixin, UserCreationForm):
    """The password may be left blank (WAGTAILUSERS_PASSWORD_REQUIRED = False): the account then
    has no usable password and its owner gets the welcome e-mail to choose one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].help_text = (
                "Laissez vide : la personne reçoit un e-mail avec un lien pour choisir son mot "
                "de passe (valable une fois, quelques jours)."
            )

    def save(self, commit=True):
        user = super().save(commit=False)
        if not self.cleaned_data.get("password1"):
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class ScopedUserEditForm(RoleScopedFormMixin, UserEditForm):
    pass


class ForUserFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class CreateView(ForUserFormMixin, wagtail_users.CreateView):
    def save_instance(self):
        """A new account without a password gets the welcome e-mail after the commit."""
        user = super().save_instance()
        invite([user], sent_by=self.request.user)
        return user


class EditView(ForUserFormMixin, wagtail_users.EditView):
    pass


class IndexView(wagtail_users.IndexView):
    def get_base_queryset(self):
        return manageable_accounts(self.request.user, super().get_base_queryset())


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return ScopedUserEditForm if for_update else ScopedUserCreationForm

    def construct_view(self, view_class, **kwargs):
        """Every view naming an account (edit, delete, history…) answers 404 for an account the
        user may not manage, whatever views Wagtail adds later."""
        view = super().construct_view(view_class, **kwargs)

        @wraps(view)
        def scoped_view(request, *args, **view_kwargs):
            pk = view_kwargs.get("pk")
            if pk is not None:
                account = User.objects.filter(pk=unquote(str(pk))).first()
                if account is None or not may_manage_account(request.user, account):
                    raise Http404
            return view(request, *args, **view_kwargs)

        return scoped_view
