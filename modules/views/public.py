"""Public views of the programme: redirects to the live pages (for navigation) and iCal feeds."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from .. import selectors
from ..ical import ICAL_CONTENT_TYPE, trainee_calendar
from ..models import ProgrammePage, SessionCalendarPage


def _live_url(page_class, request) -> str:
    page = page_class.objects.live().first()
    if page is None:
        raise Http404("Cette page n'est pas encore publiée.")
    return page.get_url(request)


def programme_redirect(request):
    """`modules:programme` → the live programme page, wherever it sits in the tree."""
    return redirect(_live_url(ProgrammePage, request))


def sessions_redirect(request):
    """`modules:sessions` → the live session calendar page."""
    return redirect(_live_url(SessionCalendarPage, request))


def trainee_ical(request, token: str):
    """A trainee's private feed (secret URL): every half-day of their active enrolments."""
    enrolment = selectors.enrolment_for_ical_token(token)
    if enrolment is None:
        raise Http404("Calendrier introuvable.")
    slots = selectors.trainee_feed_slots(enrolment.trainee)
    response = HttpResponse(trainee_calendar(enrolment.trainee, slots), ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="ensemblier.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
