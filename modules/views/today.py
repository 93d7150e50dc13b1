"""The trainee's views: "Aujourd'hui", signing their own presence, their attendance record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import attendance as rules
from .. import clock
from ..models import Enrolment, SessionSlot
from ..services.attendance import attendance_sign
from ..today import build_today


@login_required
def today(request):
    view = build_today(request.user, clock.now())
    return render(request, "modules/today.html", {"view": view})


@login_required
@require_POST
def sign(request, slot_id: int):
    """The signed-in trainee signs their own presence for a half-day of their session.

    The enrolment comes from the signed-in user and the slot's session, never from the form:
    a trainee cannot sign for someone else, nor a slot of a session they are not in (404).
    """
    slot = get_object_or_404(SessionSlot.objects.select_related("session"), pk=slot_id)
    enrolment = Enrolment.objects.filter(trainee=request.user, session_id=slot.session_id).first()
    if enrolment is None:
        raise Http404("Vous n'êtes pas inscrit·e à cette session.")
    try:
        attendance = attendance_sign(enrolment=enrolment, slot=slot, now=clock.now())
    except rules.AttendanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Présence signée à {rules.time_label(attendance.trainee_signed_at)} "
            f"({slot.get_half_display().lower()} du {rules.date_label(slot.date)}).",
        )
    return redirect("modules:today")


@login_required
def my_attendance(request):
    """The trainee's own half-days: signatures, statuses and hours attended."""
    view = build_today(request.user, clock.now())
    return render(request, "modules/attendance/mine.html", {"view": view})
