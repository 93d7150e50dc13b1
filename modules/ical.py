"""iCal feeds of sessions (public) and of a trainee's sessions (private), with `icalendar`.

One VEVENT per half-day slot, in Europe/Paris time with its VTIMEZONE, and a UID that stays the
same for a slot whatever its date, so that calendar applications update a moved half-day.

Every feed carries the same complete Europe/Paris VTIMEZONE: the EU rule (since 1996, Directive
2000/84/EC) as two yearly RRULEs — summer time from the last Sunday of March at 02:00 (+01:00 →
+02:00), winter time from the last Sunday of October at 03:00 (+02:00 → +01:00). A client that
reads two feeds keeps whichever definition it met first; both are the same and cover every
year, so the second feed's events land right too (issue 11, kind 4). No COMMENT property:
libical reports it as an error inside a VTIMEZONE.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Ensemblier Solidaire//Calendrier des sessions//FR"
UID_DOMAIN = "ensemblier"
PARIS = ZoneInfo(settings.TIME_ZONE)


def paris_vtimezone() -> Timezone:
    """The complete Europe/Paris VTIMEZONE with its yearly DST rules (RFC 5545 §3.6.5)."""
    timezone_component = Timezone()
    timezone_component.add("tzid", "Europe/Paris")
    timezone_component.add("x-lic-location", "Europe/Paris")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", datetime.timedelta(hours=1))
    summer.add("tzoffsetto", datetime.timedelta(hours=2))
    summer.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", datetime.timedelta(hours=2))
    winter.add("tzoffsetto", datetime.timedelta(hours=1))
    winter.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    timezone_component.add_component(summer)
    timezone_component.add_component(winter)
    return timezone_component


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
    calendar.add_component(paris_vtimezone())
    stamp = timezone.now().replace(microsecond=0)
    for slot in slots:
        calendar.add_component(slot_event(slot, stamp=stamp, url=url))
    return calendar.to_ical()


def session_calendar(session, slots: Iterable, *, url: str = "") -> bytes:
    return build_calendar(f"Ensemblier · {session.name}", slots, url=url)


def trainee_calendar(trainee, slots: Iterable) -> bytes:
    return build_calendar("Ensemblier · ma formation", slots)
