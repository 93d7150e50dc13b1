"""Views of the awareness app: the repérage checklist and referrals, the listing opt-in, the
light account, and the course (pages served by `serve_*`, the attestation).

Nothing a field actor ticks in the checklist is stored: the orientation is computed and
rendered (`Cache-Control: private, no-store`). Only a referral, sent with the household's
consent to one listed ensemblier, is stored.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from django_ratelimit.decorators import ratelimit

from lms.identity import normalise_email
from lms.models import Territory

from ..certification.views import verification_url
from ..pdf import AttestationData, attestation_pdf
from . import selectors, services
from .forms import ChecklistForm, ListingForm, ReferralForm, SignupForm
from .models import CourseIndexPage, FieldRole
from .orientation import orient
from .selfcheck import grade_self_checks, self_check_answers

# A training room shares one address: a few dozen light accounts an hour from one address is a
# class signing up, more is someone creating accounts in bulk. A field actor passes on a few
# households a day; more is someone flooding an ensemblier's inbox with notices.
SIGNUPS_PER_CLIENT = "40/h"
# Each sign-up e-mails the address (a link, or "vous avez déjà un compte"): a few an hour per
# address, so that nobody floods someone's mailbox from the sign-up page.
SIGNUPS_PER_ADDRESS = "5/h"
REFERRALS_PER_ACCOUNT = "20/d"


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Repérage -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def checklist(request):
    form = ChecklistForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            orientation = orient(form.observation())
            territory = form.cleaned_data["territory"]
            context.update(
                orientation=orientation,
                territory=territory,
                ensembliers=selectors.listed_ensembliers(territory)
                if orientation.ensemblier_fits
                else [],
            )
        else:
            status = 400
    return _private(render(request, "awareness/checklist.html", context, status=status))


def _territory_from(request) -> Territory | None:
    raw = request.POST.get("territory") or request.GET.get("territoire") or ""
    if not raw.isdigit() or len(raw) > 12:
        return None
    return Territory.objects.filter(pk=int(raw)).first()


@login_required
@ratelimit(group="awareness-referral", key="user", rate=REFERRALS_PER_ACCOUNT, method="POST")
@require_http_methods(["GET", "POST"])
def referral_new(request):
    territory = _territory_from(request)
    if territory is None:
        raise Http404("Territoire inconnu.")
    ensembliers = selectors.listed_ensembliers(territory)
    form = ReferralForm(
        request.POST or None, ensembliers=ensembliers, initial={"territory": territory.pk}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = next(u for u in ensembliers if u.pk == form.cleaned_data["ensemblier"])
            services.referral_send(
                sender=request.user,
                ensemblier=chosen,
                territory=territory,
                contact=form.cleaned_data["contact"],
                commune=form.cleaned_data["commune"],
                note=form.cleaned_data["note"],
                consent=form.cleaned_data["consent"],
            )
            messages.success(
                request,
                f"Transmis à {chosen.get_full_name()}, qui recontactera le ménage. Vous ne "
                "pourrez plus relire cette orientation : elle n'est visible que de l'ensemblier "
                "et de la coordination.",
            )
            return redirect("awareness:checklist")
        status = 400
    context = {"form": form, "territory": territory, "ensembliers": ensembliers}
    return _private(render(request, "awareness/referral_form.html", context, status=status))


@login_required
@require_GET
def referrals(request):
    rows = list(selectors.referrals_for(request.user)[:200])
    return _private(render(request, "awareness/referrals.html", {"referrals": rows}))


@login_required
@require_http_methods(["GET", "POST"])
def listing(request):
    if not selectors.is_certified(request.user):
        return render(request, "awareness/listing_refused.html", status=403)
    profile = selectors.profile_of(request.user)
    initial = {
        "listed": bool(profile and profile.listed),
        "territory": (profile.territory_id if profile else None) or request.user.territory_id,
    }
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.listing_update(
            user=request.user,
            listed=form.cleaned_data["listed"],
            territory=form.cleaned_data["territory"],
        )
        messages.success(request, "Votre choix est enregistré.")
        return redirect("awareness:listing")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "awareness/listing.html", {"form": form}, status=status)


# --- Light account --------------------------------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("awareness:course")


def _posted_email(group, request) -> str:
    return normalise_email(request.POST.get("email", ""))


@ratelimit(group="awareness-signup", key="ip", rate=SIGNUPS_PER_CLIENT, method="POST")
@ratelimit(
    group="awareness-signup:email", key=_posted_email, rate=SIGNUPS_PER_ADDRESS, method="POST"
)
@require_http_methods(["GET", "POST"])
def signup(request):
    """The light account: the page answers the same whether the address has an account or not
    (`services.signup_request` e-mails a confirmation link, or a notice to the owner)."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.signup_request(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            territory=data["territory"],
            password=data["password"],
            next_url=_next_url(request),
        )
        return redirect("awareness:signup_sent")
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": _next_url(request)}
    return _private(render(request, "awareness/signup.html", context, status=status))


@require_GET
def signup_sent(request):
    context = {"hours": settings.AWARENESS_SIGNUP_LINK_HOURS}
    return _private(render(request, "awareness/signup_sent.html", context))


@require_http_methods(["GET", "POST"])
def signup_confirm(request, token: str):
    """The link of the confirmation e-mail: a button (a GET from a mail scanner creates nothing),
    then the account, logged in, back where the person was."""
    signup = services.signup_from_token(token)
    if signup is None:
        return _private(render(request, "awareness/signup_invalid.html", status=400))
    if request.method == "POST":
        user = services.signup_confirm(signup=signup)
        if user is None:
            messages.info(request, "Un compte existe déjà avec cette adresse : connectez-vous.")
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre compte est créé : votre progression est enregistrée.")
        target = signup.next_url
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("awareness:course")
        return redirect(target)
    return _private(render(request, "awareness/signup_confirm.html", {"signup": signup}))


# --- Course -------------------------------------------------------------------------------------


def _course() -> CourseIndexPage:
    course = CourseIndexPage.objects.live().first()
    if course is None:
        raise Http404("Le parcours de sensibilisation n'est pas publié.")
    return course


@require_GET
def course(request):
    return redirect(_course().url)


def serve_course(page, request):
    lessons = list(page.lessons())
    done = selectors.completed_lesson_ids(request.user)
    context = {
        "page": page,
        "self": page,
        "lessons": [{"lesson": lesson, "done": lesson.pk in done} for lesson in lessons],
        "done_count": sum(1 for lesson in lessons if lesson.pk in done),
        "complete": bool(lessons) and all(lesson.pk in done for lesson in lessons),
        "attestation": selectors.attestation_of(request.user),
    }
    response = TemplateResponse(request, "awareness/course_index_page.html", context)
    return _private(response) if request.user.is_authenticated else response


def serve_lesson(page, request):
    context = {"page": page, "self": page, "feedback": None}
    status = 200
    if request.method == "POST":
        answers = self_check_answers(page, request.POST)
        feedback = grade_self_checks(page, answers)
        context["feedback"] = feedback
        context["all_right"] = all(item.correct for item in feedback)
        if context["all_right"] and request.user.is_authenticated:
            services.lesson_complete(user=request.user, lesson=page)
    elif request.method != "GET":
        return HttpResponse(status=405)
    context["done"] = page.pk in selectors.completed_lesson_ids(request.user)
    siblings = list(page.get_parent().specific.lessons())
    index = next((i for i, p in enumerate(siblings) if p.pk == page.pk), 0)
    context["next_lesson"] = siblings[index + 1] if index + 1 < len(siblings) else None
    context["course"] = page.get_parent()
    response = TemplateResponse(request, "awareness/lesson_page.html", context, status=status)
    return (
        _private(response)
        if request.user.is_authenticated or request.method == "POST"
        else response
    )


@login_required
@require_http_methods(["POST"])
def attestation_request(request):
    try:
        services.attestation_issue(user=request.user, course=_course())
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("awareness:course")
    messages.success(request, "Votre attestation est prête.")
    return redirect("awareness:course")


@login_required
@require_GET
def attestation_file(request):
    attestation = selectors.attestation_of(request.user)
    if attestation is None:
        raise Http404("Pas encore d'attestation.")
    course = _course()
    content = attestation_pdf(
        AttestationData(
            full_name=attestation.holder_name,
            number=attestation.number,
            issued_on=attestation.issued_on,
            course_title=attestation.course_title,
            lessons=[lesson.title for lesson in course.lessons()],
            role_label=FieldRole(attestation.role).label,
            territory=attestation.territory.name if attestation.territory else "",
            verification_url=verification_url(attestation.number),
        )
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-sensibilisation-{attestation.number}.pdf"'
    )
    return _private(response)
