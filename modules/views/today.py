"""The trainee's views: "Aujourd'hui", signing their own presence, their attendance record."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from django_ratelimit.decorators import ratelimit

from .. import attendance as rules
from .. import clock
from ..models import Enrolment, SessionSlot
from ..services.attendance import attendance_sign_queued
from ..services.enrolment import ical_tokens_renew
from ..today import build_today


@login_required
def today(request):
    view = build_today(request.user, clock.now(), request)
    return render(request, "modules/today.html", {"view": view})


def claimed_time(value: str) -> datetime.datetime | None:
    """The device's time of a queued signature (ISO 8601 with offset); None when absent,
    unreadable or without a time zone: the signature is then timed by the server."""
    try:
        moment = datetime.datetime.fromisoformat((value or "").strip()[:40])
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@login_required
@require_POST
def sign(request, slot_id: int):
    """The signed-in trainee signs their own presence for a half-day of their session.

    The enrolment comes from the signed-in user and the slot's session, never from the form:
    a trainee cannot sign for someone else, nor a slot of a session they are not in (404).
    A signature queued offline carries `claimed_at` and `sent_at`, the device's times of the
    tap and of the sending (see `attendance_sign_queued`). The page's script asks for JSON
    (`Accept: application/json`): 200 {ok, message} when signed, 409 {ok: false, message} when
    refused; without script the answer is a redirect to "Aujourd'hui" with the message.
    """
    wants_json = "application/json" in request.headers.get("Accept", "")
    slot = get_object_or_404(SessionSlot, pk=slot_id)  # its session_id is enough
    enrolment = Enrolment.objects.filter(trainee=request.user, session_id=slot.session_id).first()
    if enrolment is None:
        raise Http404("Vous n'êtes pas inscrit·e à cette session.")
    try:
        attendance = attendance_sign_queued(
            enrolment=enrolment,
            slot=slot,
            claimed_at=claimed_time(request.POST.get("claimed_at", "")),
            device_sent_at=claimed_time(request.POST.get("sent_at", "")),
            received_at=clock.now(),
        )
    except rules.AttendanceError as error:
        if wants_json:
            return JsonResponse({"ok": False, "message": error.message}, status=409)
        messages.error(request, error.message)
    else:
        message = (
            f"Présence signée à {rules.time_label(attendance.trainee_signed_at)} "
            f"({slot.get_half_display().lower()} du {rules.date_label(slot.date)})."
        )
        if wants_json:
            return JsonResponse({"ok": True, "message": message})
        messages.success(request, message)
    return redirect("modules:today")


@login_required
def my_attendance(request):
    """The trainee's own half-days: signatures, statuses and hours attended."""
    view = build_today(request.user, clock.now(), request)
    return render(request, "modules/attendance/mine.html", {"view": view})


# Renewing the agenda address is a write (new tokens for every enrolment) that people press more
# than once when a calendar app is slow to refresh: capped per account (French 429 page beyond).
AGENDA_RENEWALS_PER_ACCOUNT = "10/h"


@login_required
@ratelimit(group="agenda-renew", key="user", rate=AGENDA_RENEWALS_PER_ACCOUNT, method="POST")
@require_POST
def agenda_renew(request):
    """New private agenda addresses for the person asking; the old ones stop working."""
    if ical_tokens_renew(request.user):
        messages.success(
            request,
            "Votre agenda a une nouvelle adresse : l'ancienne ne fonctionne plus. "
            "Abonnez-vous à nouveau avec le bouton « S'abonner à mon agenda ».",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("modules:today")
    return redirect(target)
