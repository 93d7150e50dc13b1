"""How the case-study pages serve: login, then enrolled trainees or the training's staff."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from lms.roles import is_staff_role

from ..models import CaseStudyIndexPage, CaseStudyPage, Dossier
from ..permissions import may_work_case_studies
from ..simulator import SituationError
from ..situations import simulate_case


def _guard(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_work_case_studies(request.user):
        return TemplateResponse(request, "casestudies/not_enrolled.html", status=403)
    return None


def case_studies_redirect(request):
    """`casestudies:index` (the menu's "Cas pratiques") → the live list of case studies."""
    index = CaseStudyIndexPage.objects.live().first()
    if index is None:
        raise Http404("La liste des cas pratiques n'est pas encore publiée.")
    return redirect(index.get_url(request))


def serve_case_study_index(page, request):
    refusal = _guard(request)
    if refusal is not None:
        return refusal
    cases = list(
        CaseStudyPage.objects.live().child_of(page).order_by("path").prefetch_related("modules")
    )
    dossiers = {
        d.case_study_id: d
        for d in Dossier.objects.filter(trainee=request.user, case_study__in=cases)
    }
    rows = [{"case": case, "dossier": dossiers.get(case.pk)} for case in cases]
    return TemplateResponse(
        request,
        "casestudies/case_study_index_page.html",
        {"page": page, "self": page, "rows": rows},
    )


def serve_case_study(page, request):
    refusal = _guard(request)
    if refusal is not None:
        return refusal
    staff = is_staff_role(request.user)
    context = {
        "page": page,
        "self": page,
        "is_staff": staff,
        "dossier": Dossier.objects.filter(trainee=request.user, case_study=page).first(),
    }
    if staff:
        try:
            context["result"] = simulate_case(page.situation, filed_on=page.filed_on)
        except SituationError as error:
            context["situation_error"] = str(error)
    return TemplateResponse(request, "casestudies/case_study_page.html", context)


def serve_simulation_preview(page, request):
    """The admin's preview of a case study being edited: what the simulator gives for it."""
    from ..authoring import path_label
    from ..forms import INCOME_CATEGORIES
    from ..simulator import result_to_dict

    refusal = _guard(request)
    if refusal is not None:
        return refusal
    context = {"page": page, "self": page}
    try:
        result = result_to_dict(simulate_case(page.situation, filed_on=page.filed_on))
    except SituationError as error:
        context["situation_error"] = f"{path_label(error.path)} : {error.message}"
    else:
        result["income_category_label"] = dict(INCOME_CATEGORIES).get(
            result["income_category"], result["income_category"]
        )
        result["defaults_used_labels"] = [path_label(p) for p in result["defaults_used"]]
        result["missing_labels"] = [path_label(p) for p in result["missing"]]
        context["result"] = result
    return TemplateResponse(request, "casestudies/admin/simulation_preview.html", context)
