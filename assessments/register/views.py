"""The person's consent page ("Mon compte" › registre public): what is published, their entry
as it would read, the button to give or withdraw consent, and the dated history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from modules import access

from . import selectors, services
from .forms import ConsentForm
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
