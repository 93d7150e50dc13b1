"""The part of "Aujourd'hui" every trainee of a session sees alike, rendered once (issue 12).

The upcoming days (each day's half-days and the modules they teach) come from the session's
shared timetable (`modules.timetables`): nothing in them is personal. Their HTML is rendered
once per session, day, site and state of the site (`lms.shared`, moved on by any change to the
sessions, half-days, their modules or a module page) and reused for every trainee of the
session, instead of a few hundred template nodes per request.
"""

from django import template
from django.template.loader import render_to_string

from wagtail.models import Site

from lms import shared

register = template.Library()

UPCOMING_TEMPLATE = "modules/attendance/upcoming_days.html"


@register.simple_tag(takes_context=True)
def upcoming_days(context, view, limit=None):
    """`{% upcoming_days view %}` (or `view 5`: the first five): the session's days after
    today, as `modules/attendance/upcoming_days.html` renders them."""
    days = view.upcoming_days[:limit] if limit else view.upcoming_days
    if not days:
        return ""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    key = (view.enrolment.session_id, view.today, site.pk if site is not None else None, limit)
    return shared.shared(
        "upcoming-days-html",
        key,
        lambda: render_to_string(UPCOMING_TEMPLATE, {"days": days}),
        generation=shared.generation(request),
    )
