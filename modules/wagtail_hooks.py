"""Admin of the programme part: competencies (snippet), sessions, their half-days, enrolments.

Trainers see and edit only the sessions they train (and their slots and enrolments);
coordinators and administrators see everything. The scoping is in `access.managed_sessions`,
applied to the listings and to every object view (a direct URL to another trainer's session
gives a 404).
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from lms.models import User
from lms.roles import Role, is_coordinator, is_staff_role

from . import access, selectors
from .documents import check_document_access
from .models import Competency, Enrolment, SessionSlot, TrainingSession
from .selectors_attendance import signed_slots
from .services.enrolment import (
    enrolment_check,
    enrolment_create,
    enrolment_move,
    enrolment_set_status,
    enrolment_update_details,
    transition_error,
)
from .services.sessions import session_generate_slots

WEEK_FIELDS = {"week1_start", "week2_start", "week3_start"}


# --- Competencies ------------------------------------------------------------------------------


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "success"
    menu_label = "Compétences"
    menu_order = 210
    add_to_admin_menu = False
    list_display = ["code", "title", Column("modules_label", label="Modules")]
    search_fields = ["code", "title"]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("first_module"), FieldPanel("last_module")]),
        FieldPanel("title"),
        FieldPanel("description"),
    ]


register_snippet(CompetencyViewSet)


# --- Scoping -----------------------------------------------------------------------------------


class ScopedObjectMixin:
    """Object views (edit, delete, inspect) only find objects of the user's sessions."""

    def get_queryset(self):
        return self.scoped_queryset(self.request.user)


class ScopedIndexMixin:
    def get_base_queryset(self):
        return self.scoped_queryset(self.request.user)


def _sessions_of(request):
    return access.managed_sessions(getattr(request, "user", None)).order_by("-week1_start")


class ScopedSessionFilterSet(WagtailFilterSet):
    """Listings filtered by session offer the user's own sessions only."""

    session = django_filters.ModelChoiceFilter(queryset=_sessions_of, label="Session")


class ScopedViewSetMixin:
    """Every view of the viewset that names an object (edit, delete, inspect, history, usage,
    copy…) answers 404 unless the object is in the user's scope, whatever Wagtail adds later."""

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        scoped_queryset = type(self).scoped_queryset

        @wraps(view)
        def scoped_view(request, *args, **view_kwargs):
            pk = view_kwargs.get("pk")
            if pk is not None:
                in_scope = scoped_queryset(request.user).filter(pk=unquote(str(pk)))
                if not in_scope.exists():
                    raise Http404
            return view(request, *args, **view_kwargs)

        return scoped_view


def scoped_sessions(user):
    return selectors.with_enrolled_count(access.managed_sessions(user).select_related("territory"))


def scoped_slots(user):
    return SessionSlot.objects.filter(session__in=access.managed_sessions(user)).select_related(
        "session"
    )


def scoped_enrolments(user):
    return Enrolment.objects.filter(session__in=access.managed_sessions(user)).select_related(
        "session", "trainee", "structure"
    )


# --- Sessions ----------------------------------------------------------------------------------


class TrainingSessionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "trainers" in self.fields:
            self.fields["trainers"].queryset = User.objects.filter(
                groups__name=Role.TRAINER.value
            ).order_by("last_name", "first_name")

    def clean(self):
        """A week whose half-days are signed keeps its dates: regenerating would move the
        signatures to days the trainees did not attend (moved half-days are not regenerated)."""
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        signed_days = set(
            signed_slots(self.instance.slots.filter(moved=False)).values_list(
                "day_number", flat=True
            )
        )
        for week, field in enumerate(sorted(WEEK_FIELDS), start=1):
            days = range(5 * (week - 1) + 1, 5 * week + 1)
            if field in self.changed_data and signed_days.intersection(days):
                self.add_error(
                    field,
                    f"La semaine {week} a des demi-journées déjà émargées : ses dates ne "
                    "changent plus. Déplacez une à une les demi-journées non émargées.",
                )
        return cleaned


def warn_about_holidays(request, session):
    """Half-days on French public holidays are flagged, with a proposed working day."""
    warning = selectors.session_holiday_warning(session)
    if warning:
        messages.warning(request, warning)


class SessionIndexView(ScopedIndexMixin, generic.IndexView):
    scoped_queryset = staticmethod(scoped_sessions)


class SessionCreateView(generic.CreateView):
    def save_instance(self):
        session = super().save_instance()
        user = self.request.user
        if not is_coordinator(user):
            # A trainer who opens a session trains it (and would not see it otherwise).
            session.trainers.add(user)
        session_generate_slots(session=session)
        warn_about_holidays(self.request, session)
        return session


class SessionEditView(ScopedObjectMixin, generic.EditView):
    scoped_queryset = staticmethod(scoped_sessions)

    def save_instance(self):
        dates_changed = bool(WEEK_FIELDS & set(self.form.changed_data))
        session = super().save_instance()
        if dates_changed or not session.slots.exists():
            session_generate_slots(session=session)
        warn_about_holidays(self.request, session)
        return session


class SessionDeleteView(ScopedObjectMixin, generic.DeleteView):
    scoped_queryset = staticmethod(scoped_sessions)


class SessionInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        # InspectView looks the object up by pk alone: scope it here.
        return get_object_or_404(scoped_sessions(self.request.user), pk=unquote(str(self.pk)))


class TrainingSessionViewSet(ScopedViewSetMixin, ModelViewSet):
    scoped_queryset = staticmethod(lambda user: scoped_sessions(user))
    model = TrainingSession
    icon = "date"
    menu_label = "Sessions"
    name = "sessions"
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    inspect_view_class = SessionInspectView
    inspect_view_enabled = True
    list_display = [
        "name",
        "territory",
        Column("dates_label", label="Semaines"),
        "capacity",
        Column("enrolled_count", label="Inscrits", sort_key="enrolled_count"),
        "status",
    ]
    list_filter = ["territory", "status"]
    search_fields = ["name", "venue", "slug"]
    ordering = ["-week1_start"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("territory"), FieldPanel("status")]),
            FieldPanel("venue"),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("week1_start"),
                            FieldPanel("week2_start"),
                            FieldPanel("week3_start"),
                        ]
                    )
                ],
                heading="Les trois semaines (lundi à vendredi ; pas forcément consécutives)",
            ),
            FieldPanel("capacity"),
            FieldPanel("trainers"),
        ],
        base_form_class=TrainingSessionForm,
    )


# --- Half-day slots ----------------------------------------------------------------------------


class SessionSlotForm(WagtailAdminModelForm):
    SIGNED_FIELDS = ("date", "start_time", "end_time")

    def clean(self):
        """A signed half-day keeps its date and times (its room and modules may be corrected):
        the signatures were given for that moment."""
        cleaned = super().clean()
        changed = [name for name in self.SIGNED_FIELDS if name in self.changed_data]
        signed = signed_slots(SessionSlot.objects.filter(pk=self.instance.pk))
        if changed and self.instance.pk is not None and signed.exists():
            for name in changed:
                self.add_error(
                    name,
                    "Cette demi-journée est déjà émargée : sa date et ses horaires ne "
                    "changent plus.",
                )
        return cleaned

    def save(self, commit=True):
        # Any edit by a trainer makes the slot "moved": regenerating keeps it as it is.
        self.instance.moved = True
        return super().save(commit=commit)


class SlotIndexView(ScopedIndexMixin, generic.IndexView):
    scoped_queryset = staticmethod(scoped_slots)
    base_filterset_class = ScopedSessionFilterSet


class SlotEditView(ScopedObjectMixin, generic.EditView):
    scoped_queryset = staticmethod(scoped_slots)


class SessionSlotViewSet(ScopedViewSetMixin, ModelViewSet):
    scoped_queryset = staticmethod(lambda user: scoped_slots(user))
    model = SessionSlot
    icon = "time"
    menu_label = "Demi-journées"
    name = "demi-journees"
    index_view_class = SlotIndexView
    edit_view_class = SlotEditView
    add_to_admin_menu = False
    list_display = ["__str__", "date", "start_time", "end_time", "room", "moved"]
    list_filter = ["session", "moved"]
    ordering = ["session", "day_number", "half"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
            FieldPanel("room"),
            FieldPanel("modules"),
        ],
        base_form_class=SessionSlotForm,
    )


# --- Enrolments --------------------------------------------------------------------------------


class EnrolmentForm(WagtailAdminModelForm):
    """Enrol a trainee, found by their e-mail (the form never lists the trainees), in a session
    the user manages. On edit the trainee is shown, never changed; a new session is a move
    (`enrolment_move`), a new status goes through `enrolment_set_status`."""

    trainee_email = forms.EmailField(
        label="E-mail du stagiaire",
        help_text="Adresse du compte existant. Pour créer des comptes, utilisez l'import CSV.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "session" in self.fields:
            self.fields["session"].queryset = access.managed_sessions(self.for_user)
        self.trainee = None
        if self.instance.pk is not None:
            self.trainee = self.instance.trainee
            field = self.fields["trainee_email"]
            field.disabled = True
            field.initial = self.trainee.email
            field.help_text = "Le stagiaire d'une inscription ne change jamais."

    def clean_trainee_email(self):
        if self.instance.pk is not None:
            return self.trainee.email
        email = self.cleaned_data["trainee_email"].strip()
        trainee = (
            User.objects.filter(email__iexact=email, groups__name=Role.TRAINEE.value)
            .exclude(is_superuser=True)
            .first()
        )
        if trainee is None:
            raise ValidationError(
                "Aucun compte de stagiaire avec cette adresse. Vérifiez-la, ou inscrivez la "
                "personne par l'import CSV, qui crée son compte."
            )
        self.trainee = trainee
        return email

    def clean(self):
        cleaned = super().clean()
        session, status = cleaned.get("session"), cleaned.get("status")
        if self.instance.pk is None:
            if session is not None and self.trainee is not None:
                try:
                    enrolment_check(session=session, trainee=self.trainee)
                except ValidationError as error:
                    self.add_error(None, error)
            if status == Enrolment.Status.DROPPED:
                self.add_error("status", "Une nouvelle inscription ne peut pas être « Abandon ».")
            return cleaned
        if "status" in self.changed_data:
            message = transition_error(self.initial.get("status"), status)
            if message:
                self.add_error("status", message)
        if "session" in self.changed_data and "status" in self.changed_data:
            self.add_error("session", "Changez la session puis le statut, en deux enregistrements.")
        return cleaned


class EnrolmentIndexView(ScopedIndexMixin, generic.IndexView):
    scoped_queryset = staticmethod(scoped_enrolments)
    base_filterset_class = ScopedSessionFilterSet


class ServiceErrorsMixin:
    """A service that refuses (a seat taken meanwhile, a rule) gives the form back in French."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class EnrolmentCreateView(ServiceErrorsMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return enrolment_create(
            session=data["session"],
            trainee=self.form.trainee,
            funder=data.get("funder", ""),
            status=data["status"],
            structure=data.get("structure"),
        )


class EnrolmentEditView(ServiceErrorsMixin, ScopedObjectMixin, generic.EditView):
    scoped_queryset = staticmethod(scoped_enrolments)

    @transaction.atomic
    def save_instance(self):
        """Through the services, each under its row locks: details, status, then a move (all
        or nothing)."""
        data, changed = self.form.cleaned_data, set(self.form.changed_data)
        enrolment = Enrolment.objects.get(pk=self.object.pk)
        enrolment = enrolment_update_details(
            enrolment=enrolment, funder=data.get("funder", ""), structure=data.get("structure")
        )
        if "status" in changed:
            enrolment = enrolment_set_status(enrolment=enrolment, status=data["status"])
        if "session" in changed:
            enrolment = enrolment_move(
                enrolment=enrolment, session=data["session"], by=self.request.user
            )
        return enrolment


class EnrolmentDeleteView(ScopedObjectMixin, generic.DeleteView):
    scoped_queryset = staticmethod(scoped_enrolments)


class EnrolmentViewSet(ScopedViewSetMixin, ModelViewSet):
    scoped_queryset = staticmethod(lambda user: scoped_enrolments(user))
    model = Enrolment
    icon = "user"
    menu_label = "Inscriptions"
    name = "inscriptions"
    index_view_class = EnrolmentIndexView
    add_view_class = EnrolmentCreateView
    edit_view_class = EnrolmentEditView
    delete_view_class = EnrolmentDeleteView
    list_display = ["trainee", "session", "status", "funder", "structure"]
    list_filter = ["status", "session"]
    search_fields = ["trainee__email", "trainee__last_name", "trainee__first_name", "funder"]
    edit_handler = ObjectList(
        [
            FieldPanel("session"),
            FieldPanel("trainee_email"),
            FieldPanel("status"),
            FieldRowPanel([FieldPanel("funder"), FieldPanel("structure")]),
        ],
        base_form_class=EnrolmentForm,
    )


class TrainingViewSetGroup(ModelViewSetGroup):
    menu_label = "Formation"
    menu_icon = "date"
    menu_order = 250
    items = (TrainingSessionViewSet, SessionSlotViewSet, EnrolmentViewSet)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingViewSetGroup()


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_role(request.user)


@hooks.register("register_admin_menu_item")
def register_csv_import_menu_item():
    return StaffMenuItem(
        "Importer des stagiaires (CSV)",
        reverse("modules:enrolment_import_choose"),
        icon_name="upload",
        order=260,
    )


hooks.register("before_serve_document", check_document_access)
