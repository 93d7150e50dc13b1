from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wagtail.admin.views import account as wagtail_account

from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from .forms import AccountForm, SitePasswordResetForm
from .identity import normalise_email
from .navigation import account_links_for, landing_url_for


@login_required
def my_space(request):
    """Where a user lands after login: their role's space, or the account summary."""
    landing = landing_url_for(request.user)
    if landing:
        return redirect(landing)
    return render(request, "lms/my_space.html")


# Wrong current passwords typed on "Mon compte" (to change the e-mail address), per account:
# an open session must not become a way to guess the password without the login lockout. An
# address refused because another account has it counts too: nobody probes addresses from here.
ACCOUNT_WRONG_GUESSES = "10/h"


def _password_guesses_exceeded(request, *, count: bool) -> bool:
    return is_ratelimited(
        request,
        group="account:current-password",
        key="user",
        rate=ACCOUNT_WRONG_GUESSES,
        increment=count,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    if request.method == "POST" and _password_guesses_exceeded(request, count=False):
        raise Ratelimited()
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Vos informations ont été enregistrées.")
            return redirect("account")
        if form.wrong_password or form.address_taken:
            _password_guesses_exceeded(request, count=True)
        messages.error(request, "Certaines informations sont à corriger : voir ci-dessous.")
    return render(
        request,
        "lms/account.html",
        {"form": form, "account_links": account_links_for(request.user)},
    )


# --- Rate limits (django-ratelimit, counters in the shared cache) ------------------------------
# Password reset e-mails: per address (whoever knows someone's address cannot flood their
# mailbox) and per client IP (nobody sends hundreds to many addresses). Both forms, the site's and
# Wagtail's, share the counters. Only POSTs count; a refusal is the French 429 page.
RESET_EMAILS_PER_ADDRESS = "5/h"
RESET_EMAILS_PER_IP = "20/h"


def _posted_email(group, request) -> str:
    return normalise_email(request.POST.get("email", ""))


def password_reset_rate_limited(view):
    """Wrap a password reset view with the per-address and per-IP limits."""
    view = ratelimit(
        group="password-reset:email",
        key=_posted_email,
        rate=RESET_EMAILS_PER_ADDRESS,
        method="POST",
    )(view)
    return ratelimit(group="password-reset:ip", key="ip", rate=RESET_EMAILS_PER_IP, method="POST")(
        view
    )


site_password_reset = password_reset_rate_limited(
    auth_views.PasswordResetView.as_view(form_class=SitePasswordResetForm)
)
admin_password_reset = password_reset_rate_limited(wagtail_account.PasswordResetView.as_view())


def rate_limited(request, exception=None):
    """RATELIMIT_VIEW: any view limited with django-ratelimit answers this French page (429)."""
    return render(request, "429.html", status=429)
