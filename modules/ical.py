"""iCal feeds of sessions (public) and of a trainee's sessions (private), with `icalendar`.

One VEVENT per half-day slot, in Europe/Paris time with its VTIMEZONE, and a UID that stays the
same for a slot whatever its date, so that calendar applications update a moved half-day.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from icalendar import Calendar, Event

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Ensemblier Solidaire//Calendrier des sessions//FR"
UID_DOMAIN = "ensemblier"
PARIS = ZoneInfo(settings.TIME_ZONE)


def slot_uid(slot) -> str:
    return f"session-{slot.session_id}-jour-{slot.day_number}-{slot.half}@{UID_DOMAIN}"


def slot_summary(slot) -> str:
    modules = list(slot.modules.all())
    head = f"Ensemblier · Jour {slot.day_number}"
    if not modules:
        return f"{head} · {slot.get_half_display()}"
    return head + " · " + " + ".join(f"Module {m.number} — {m.title}" for m in modules)


def slot_event(slot, *, stamp: datetime.datetime, url: str = "") -> Event:
    session = slot.session
    event = Event()
    event.add("uid", slot_uid(slot))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.datetime.combine(slot.date, slot.start_time, tzinfo=PARIS))
    event.add("dtend", datetime.datetime.combine(slot.date, slot.end_time, tzinfo=PARIS))
    event.add("summary", slot_summary(slot))
    location = session.venue if not slot.room else f"{slot.room}, {session.venue}"
    event.add("location", location)
    event.add("description", f"{session.name} · semaine {slot.week_number}")
    if url:
        event.add("url", url)
    return event


def build_calendar(name: str, slots: Iterable, *, url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().replace(microsecond=0)
    dates = []
    for slot in slots:
        calendar.add_component(slot_event(slot, stamp=stamp, url=url))
        dates.append(slot.date)
    if dates:
        # A VTIMEZONE covering the feed's years only (a full one is several kilobytes).
        calendar.add_missing_timezones(
            first_date=datetime.date(min(dates).year, 1, 1),
            last_date=datetime.date(max(dates).year + 1, 1, 1),
        )
    return calendar.to_ical()


def session_calendar(session, slots: Iterable, *, url: str = "") -> bytes:
    return build_calendar(f"Ensemblier · {session.name}", slots, url=url)


def trainee_calendar(trainee, slots: Iterable) -> bytes:
    return build_calendar("Ensemblier · ma formation", slots)
