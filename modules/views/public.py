"""Public views of the programme: redirects to the live pages (for navigation) and iCal feeds."""

from django.http import Http404
from django.shortcuts import redirect

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
