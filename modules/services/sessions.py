"""Writes about training sessions: generating their 30 half-day slots from the timetable."""

from django.db import transaction

from ..calendar import generate_slots
from ..models import ModulePage, ProgrammePage, SessionSlot, TrainingSession
from ..models.programme import HalfDay
from ..selectors_attendance import signed_slots


def programme_timetable(programme: ProgrammePage | None) -> list[tuple[int, str, list[int]]]:
    """The programme's timetable as plain values: (day, half, module numbers)."""
    if programme is None:
        return []
    rows = programme.timetable.prefetch_related("modules")
    return [(row.day, row.half, [module.number for module in row.modules.all()]) for row in rows]


@transaction.atomic
def session_generate_slots(*, session: TrainingSession, programme: ProgrammePage | None = None):
    """(Re)build the session's 30 slots from its week dates and the programme's timetable.

    Slots a trainer has moved keep their date, times and room; the others follow the dates.
    """
    programme = programme or ProgrammePage.objects.live().first() or ProgrammePage.objects.first()
    if programme is not None:
        times = {half: programme.half_day_times(half) for half in HalfDay.values}
    else:
        defaults = ProgrammePage()
        times = {half: defaults.half_day_times(half) for half in HalfDay.values}
    planned = generate_slots(session.week_starts, programme_timetable(programme), times)
    modules_by_number = {page.number: page for page in ModulePage.objects.all()}
    existing = {(slot.day_number, slot.half): slot for slot in session.slots.all()}
    # Signed half-days keep their date and times, like moved ones (the admin form refuses the
    # change with a message; this keeps any other caller from moving signatures).
    kept = (
        set(signed_slots(session.slots.all()).values_list("pk", flat=True)) if existing else set()
    )
    slots = []
    for plan in planned:
        slot = existing.get((plan.day_number, plan.half))
        if slot is None:
            slot = SessionSlot(session=session, day_number=plan.day_number, half=plan.half)
        if not slot.moved and slot.pk not in kept:
            slot.date = plan.date
            slot.start_time = plan.start_time
            slot.end_time = plan.end_time
        slot.save()
        if not slot.moved and slot.pk not in kept:
            # A moved slot keeps the modules the trainer chose too.
            slot.modules.set(
                [modules_by_number[n] for n in plan.module_numbers if n in modules_by_number]
            )
        slots.append(slot)
    return slots
