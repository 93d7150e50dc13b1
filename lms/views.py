from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import AccountForm
from .navigation import landing_url_for


@login_required
def my_space(request):
    """Where a user lands after login: their role's space, or the account summary."""
    landing = landing_url_for(request.user)
    if landing:
        return redirect(landing)
    return render(request, "lms/my_space.html")


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Vos informations ont été enregistrées.")
            return redirect("account")
        messages.error(request, "Certaines informations sont à corriger : voir ci-dessous.")
    return render(request, "lms/account.html", {"form": form})
