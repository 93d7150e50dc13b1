"""Views of the quality loop. Thin: permission (`modules.access`), then a selector or a
service, then a template or a file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from modules import access

from . import selectors as reads
from . import services
from .forms import AccommodationEndForm, AccommodationForm
from .models import Accommodation


def _referent_required(user):
    if not access.records_accommodations(user):
        raise PermissionDenied


# --- The trainee's page --------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """What the trainee was granted, the surveys waiting for them, and how to complain."""
    today = timezone.localdate()
    return render(
        request,
        "quality/mine.html",
        {"accommodations": reads.own_accommodations(request.user, today)},
    )


# --- Accommodations (disability referent; trainers read those of their trainees) ---------------


@login_required
@require_GET
def accommodation_list(request):
    user = request.user
    if not (
        access.records_accommodations(user)
        or access.sees_all_sessions(user)
        or access.managed_sessions(user).exists()
    ):
        raise PermissionDenied
    return render(
        request,
        "quality/accommodation_list.html",
        {
            "accommodations": list(reads.visible_accommodations(user)),
            "is_referent": access.records_accommodations(user),
            "today": timezone.localdate(),
        },
    )


def _save_accommodation(request, form, accommodation=None):
    try:
        if accommodation is None:
            return services.accommodation_record(
                by=request.user, trainee=form.cleaned_data["trainee"], **form.values()
            )
        return services.accommodation_update(
            by=request.user, accommodation=accommodation, **form.values()
        )
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def accommodation_create(request):
    _referent_required(request.user)
    form = AccommodationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save_accommodation(request, form):
        messages.success(request, "Aménagement enregistré : il s'applique dès aujourd'hui.")
        return redirect("quality:accommodations")
    return render(request, "quality/accommodation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def accommodation_edit(request, accommodation_id):
    _referent_required(request.user)
    accommodation = get_object_or_404(
        Accommodation.objects.select_related("trainee"), pk=accommodation_id
    )
    form = AccommodationForm(request.POST or None, instance=accommodation)
    end_form = AccommodationEndForm(initial={"ended_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_accommodation(request, form, accommodation)
    ):
        messages.success(request, "Aménagement modifié.")
        return redirect("quality:accommodations")
    return render(
        request,
        "quality/accommodation_form.html",
        {"form": form, "accommodation": accommodation, "end_form": end_form},
    )


@login_required
@require_POST
def accommodation_end(request, accommodation_id):
    _referent_required(request.user)
    accommodation = get_object_or_404(
        Accommodation.objects.select_related("trainee"), pk=accommodation_id
    )
    end_form = AccommodationEndForm(request.POST)
    if not end_form.is_valid():
        form = AccommodationForm(instance=accommodation)
        return render(
            request,
            "quality/accommodation_form.html",
            {"form": form, "accommodation": accommodation, "end_form": end_form},
            status=400,
        )
    services.accommodation_end(
        by=request.user,
        accommodation=accommodation,
        on=end_form.cleaned_data["ended_on"],
        reason=end_form.cleaned_data["reason"],
    )
    messages.success(request, "Aménagement terminé ; il reste dans le registre.")
    return redirect("quality:accommodations")
