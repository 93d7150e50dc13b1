"""The public financing plan: a form over the simulator, a share link, a PDF. No account, no
storage, no rule here: the situation travels in the link (`?s=`, casestudies.plan) and every
figure is the simulator's.

- GET /plan-de-financement/ → the blank form, or the form and the plan of `?s=`;
- GET /plan-de-financement/calculer/?… (the form, sent without JavaScript) → 303 to the share
  link when valid, the form with its French errors (400) otherwise;
- GET /plan-de-financement/pdf/?s=… → the plan as a PDF.
"""

from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from lms import pagecache

from ..plan import ShareLinkError, decode_situation, encode_situation, plan_from_result
from ..plan_forms import PlanInput, form_data_from_situation
from ..plan_pdf import plan_pdf
from ..simulator import result_to_dict, simulate


def _aim() -> Decimal:
    return Decimal(str(settings.FINANCING_PLAN_AIM_PCT))


def _private(response):
    """A page that carries a household's situation is never kept by a shared cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _render(request, plan_input, *, plan=None, token="", status=200, error=""):
    context = {
        "input": plan_input,
        "form": plan_input.form,
        "gestures": plan_input.gestures,
        "funding": plan_input.funding,
        "plan": plan,
        "token": token,
        "error": error or plan_input.error,
        "aim_pct": _aim(),
    }
    if token:
        context["share_url"] = request.build_absolute_uri(
            f"{reverse('casestudies:plan')}?s={token}"
        )
        context["pdf_url"] = f"{reverse('casestudies:plan_pdf')}?s={token}"
    response = TemplateResponse(request, "casestudies/plan.html", context, status=status)
    return _private(response) if plan_input.is_bound else response


def _plan_of(plan_input):
    result = simulate(plan_input.parsed, as_of=plan_input.parsed.as_of)
    return plan_from_result(result_to_dict(result), aim_pct=_aim())


def _from_token(request):
    """(PlanInput, error) for the `s` of the query string; PlanInput is valid when no error."""
    try:
        situation = decode_situation(request.GET.get("s", ""))
    except ShareLinkError as error:
        return PlanInput.blank(), str(error)
    plan_input = PlanInput(form_data_from_situation(situation))
    if not plan_input.is_valid(today=timezone.localdate()):
        return plan_input, plan_input.error or "Ce lien de partage contient des valeurs refusées."
    return plan_input, ""


@require_GET
@pagecache.cache_for_visitors  # the blank form only: a plan (?s=) is private, never stored
def plan(request):
    if "s" not in request.GET:
        return _render(request, PlanInput.blank())
    plan_input, error = _from_token(request)
    if error:
        return _render(request, plan_input, status=400, error=error)
    token = encode_situation(plan_input.situation)
    return _render(request, plan_input.with_blank_rows(), plan=_plan_of(plan_input), token=token)


@require_GET
def plan_compute(request):
    plan_input = PlanInput(request.GET)
    if not plan_input.is_valid(today=timezone.localdate()):
        return _render(
            request,
            plan_input,
            status=400,
            error=plan_input.error
            or "Le plan n'a pas pu être calculé : corrigez les champs signalés.",
        )
    url = f"{reverse('casestudies:plan')}?s={encode_situation(plan_input.situation)}#plan"
    return _private(redirect(url, permanent=False))


@require_GET
def plan_download(request):
    plan_input, error = _from_token(request)
    if error:
        return _render(request, plan_input, status=400, error=error)
    token = encode_situation(plan_input.situation)
    share_url = request.build_absolute_uri(f"{reverse('casestudies:plan')}?s={token}")
    content = plan_pdf(_plan_of(plan_input), situation=plan_input.situation, share_url=share_url)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="plan-de-financement.pdf"'
    return _private(response)
