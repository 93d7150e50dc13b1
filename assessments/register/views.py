"""The person's consent page ("Mon compte" › registre public): what is published, their entry
as it would read, the button to give or withdraw consent, and the dated history; and the
coordination's read-only history of everybody's consents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from modules import access

from . import selectors, services
from .forms import ConsentEventFilter, ConsentForm
from .wording import CONSENT_WORDING, PUBLISHED_FIELDS


@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    if not access.may_choose_register_consent(request.user):
        raise PermissionDenied("Cette page est celle des stagiaires et ensembliers certifiés.")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        state = services.register_consent_set(
            actor=request.user, person=request.user, listed=form.listed
        )
        if state.listed:
            messages.success(
                request, "Votre accord est enregistré : vous figurez dans le registre public."
            )
        else:
            messages.success(
                request, "Votre accord est retiré : vous ne figurez plus dans le registre public."
            )
        return redirect("register:consent")
    current = selectors.consent_of(request.user)
    context = {
        "form": form,
        "consent": current,
        "listed": bool(current and current.listed),
        "published_fields": PUBLISHED_FIELDS,
        "wording": CONSENT_WORDING,
        "entries": selectors.own_certifications(request.user),
        "history": selectors.consent_history(request.user),
    }
    status = 400 if form.is_bound else 200
    return render(request, "register/consent.html", context, status=status)


EVENTS_PER_PAGE = 50


@login_required
@require_GET
def consent_events(request):
    """Who consented to the register, or withdrew, when, by whose hand and on which wording:
    for the coordination, read-only (only the person changes their consent)."""
    if not access.sees_register_consents(request.user):
        raise PermissionDenied("Cet historique est réservé à la coordination nationale.")
    filters = ConsentEventFilter(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    events = selectors.consent_events(
        request.user, search=wanted.get("q", ""), action=wanted.get("choix", "")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "register/consent_events.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "listed_count": selectors.listed_count(),
        },
        status=400 if filters.is_bound and not filters.is_valid() else 200,
    )
