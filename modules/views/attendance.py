"""The trainer's attendance views: sessions, counter-signing, corrections, attendance sheets.

Trainers of the session, coordinators and superusers only (403 otherwise, login for anonymous).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from lms.csvfiles import csv_response
from lms.models import SiteSettings
from lms.roles import is_staff_role
from lms.text import without_nul

from .. import access, clock, exports, trainee_notes
from .. import attendance as rules
from ..models import Attendance, SessionSlot, TrainingSession
from ..selectors_attendance import (
    countersign_rows,
    current_sessions_first,
    session_sheet,
    session_slot_counts,
    sessions_for_staff,
    slot_for_countersign,
)
from ..services.attendance import attendance_correct, attendance_countersign


def _managed_session(request, session_id: int) -> TrainingSession:
    session = get_object_or_404(
        TrainingSession.objects.select_related("territory").prefetch_related("trainers"),
        pk=session_id,
    )
    if not access.manages_session(request.user, session):
        raise PermissionDenied("Vous n'animez pas cette session.")
    return session


def _managed_slot(request, slot_id: int) -> SessionSlot:
    try:
        slot = slot_for_countersign(slot_id)
    except SessionSlot.DoesNotExist as error:
        raise Http404("Demi-journée introuvable.") from error
    if not access.manages_session(request.user, slot.session):
        raise PermissionDenied("Vous n'animez pas cette session.")
    return slot


@login_required
def trainer_sessions(request):
    if not is_staff_role(request.user):
        raise PermissionDenied("Réservé aux formateurs.")
    today = clock.today()
    sessions = current_sessions_first(sessions_for_staff(request.user, today), today)
    return render(
        request,
        "modules/attendance/trainer_sessions.html",
        {"sessions": sessions, "today": today, "today_label": rules.date_label(today)},
    )


@login_required
def trainer_session(request, session_id: int):
    session = _managed_session(request, session_id)
    today = clock.today()
    slots = session_slot_counts(session)
    return render(
        request,
        "modules/attendance/trainer_session.html",
        {"session": session, "slots": slots, "today": today},
    )


def _render_countersign(request, slot, *, typed=None, correction=None, status=200):
    rows = countersign_rows(slot)
    notes = trainee_notes.notes_for(
        request.user, slot.session, [row["trainee"].pk for row in rows], slot.date
    )
    typed = typed or {}
    for row in rows:
        row["notes"] = notes.get(row["trainee"].pk, [])
        row["chosen"] = typed.get(row["enrolment"].pk, row["proposed"])
        attendance = row["attendance"]
        matches = correction and attendance and correction["attendance_id"] == attendance.pk
        row["correction"] = correction if matches else None
    pending = [row for row in rows if not row["countersigned"]]
    try:
        rules.check_trainer_can_countersign(
            date=slot.date, start_time=slot.start_time, now=clock.now()
        )
        not_yet = ""
    except rules.AttendanceError as error:
        not_yet = error.message
    context = {
        "not_yet": not_yet,
        "slot": slot,
        "session": slot.session,
        "rows": rows,
        "pending_count": len(pending),
        "signed_count": sum(1 for row in rows if row["trainee_signed_at"]),
        "all_countersigned": bool(rows) and not pending,
        "choices": [(value, rules.STATUS_LABELS[value]) for value in rules.TRAINER_STATUSES],
        "date_label": rules.date_label(slot.date),
        "times_label": f"{rules.time_label(slot.start_time)} – {rules.time_label(slot.end_time)}",
    }
    return render(request, "modules/attendance/countersign.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def countersign(request, slot_id: int):
    slot = _managed_slot(request, slot_id)
    if request.method == "GET":
        return _render_countersign(request, slot)
    statuses = {}
    for key, value in request.POST.items():
        if key.startswith("status-"):
            try:
                statuses[int(key.removeprefix("status-"))] = value
            except ValueError:
                continue
    try:
        attendance_countersign(trainer=request.user, slot=slot, statuses=statuses, now=clock.now())
    except rules.AttendanceError as error:
        messages.error(request, error.message)
        return _render_countersign(request, slot, typed=statuses, status=400)
    messages.success(
        request,
        f"Demi-journée contresignée ({slot.get_half_display().lower()} du "
        f"{rules.date_label(slot.date)}).",
    )
    return redirect("modules:attendance_countersign", slot_id=slot.pk)


@login_required
@require_POST
def correct(request, attendance_id: int):
    attendance = get_object_or_404(
        Attendance.objects.select_related("slot__session"), pk=attendance_id
    )
    slot = _managed_slot(request, attendance.slot_id)
    new_status = request.POST.get("status", "")
    reason = request.POST.get("reason", "")
    try:
        attendance_correct(
            attendance=attendance,
            changed_by=request.user,
            field="status",
            new_value=new_status,
            reason=reason,
        )
    except rules.AttendanceError as error:
        correction = {
            "attendance_id": attendance.pk,
            "status": new_status,
            "reason": without_nul(reason),  # shown back as typed, NUL removed
            "error": error.message,
            "field": error.field,
        }
        messages.error(request, "La correction n'a pas été enregistrée : voir ci-dessous.")
        return _render_countersign(request, slot, correction=correction, status=400)
    messages.success(request, "Correction enregistrée.")
    url = reverse("modules:attendance_countersign", kwargs={"slot_id": slot.pk})
    return redirect(f"{url}#emargement-{attendance.enrolment_id}")


def _sheet(request, session_id: int) -> dict:
    session = _managed_session(request, session_id)
    return session_sheet(session)


def _filename(session: TrainingSession, extension: str) -> str:
    return f"emargement-{slugify(session.slug or session.name)}.{extension}"


@login_required
def sheet_html(request, session_id: int):
    sheet = _sheet(request, session_id)
    return render(
        request,
        "modules/attendance/sheet.html",
        {
            "session": sheet["session"],
            "trainers": exports.trainers_label(sheet),
            "blocks": exports.sheet_blocks(sheet),
            "generated_at": exports.short_stamp(clock.now()),
            "training_body": SiteSettings.load(request_or_site=request).training_body(),
            "signature_method": exports.SIGNATURE_METHOD,
        },
    )


@login_required
def sheet_csv(request, session_id: int):
    sheet = _sheet(request, session_id)
    return csv_response(exports.sheet_csv(sheet), _filename(sheet["session"], "csv"))


@login_required
def sheet_pdf(request, session_id: int):
    sheet = _sheet(request, session_id)
    response = HttpResponse(
        exports.sheet_pdf(
            sheet,
            generated_at=clock.now(),
            training_body=SiteSettings.load(request_or_site=request).training_body(),
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(sheet["session"], "pdf")}"'
    return response
