from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import PreferencesForm
from .welcome import welcome_tokens

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_GET
def notification_open(request, pk):
    """Follow a notification's link, marking it read on the way (the person's own only)."""
    notification = selectors.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.mark_read(request.user, notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request, pk):
    if not services.mark_read(request.user, pk):
        raise Http404
    messages.success(request, "Notification marquée comme lue.")
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            "Toutes les notifications sont marquées comme lues."
            if count > 1
            else "La notification est marquée comme lue.",
        )
    return redirect(_back(request))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preferences_for(request.user)
    data = request.POST if request.method == "POST" else None  # all boxes unticked: empty
    form = PreferencesForm.from_preferences(current, request.user, data)
    if request.method == "POST":
        if form.is_valid():
            services.save_preferences(
                request.user,
                email_kinds=set(form.cleaned_data["email_kinds"]),
                daily_digest=form.cleaned_data["daily_digest"],
                shown=form.shown_kinds,
            )
            messages.success(request, "Vos préférences de notification sont enregistrées.")
            return redirect("notifications:preferences")
        messages.error(request, "Certaines informations sont à corriger : voir ci-dessous.")
    return render(request, "notifications/preferences.html", {"form": form})


def _back(request) -> str:
    """The list page the person came from (its page number kept), never another site."""
    page = request.POST.get("page", "")
    target = reverse("notifications:list")
    if page.isdigit():
        target += f"?page={page}"
    return target


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The link of the welcome e-mail: choose a password, then land on one's space, logged in.
    Django's reset view with the welcome token (single use, WELCOME_LINK_DAYS)."""

    token_generator = welcome_tokens
    template_name = "registration/welcome_set_password.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("my_space")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, "Votre mot de passe est enregistré et votre compte activé : bienvenue !"
        )
        return response
