"""Views of the Open Badges credentials. Thin: access (modules.access), then `services`,
`verification` or `badge`, then JSON, a file or a template."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from django_ratelimit.decorators import ratelimit

from modules import access

from ..certification.models import Certification
from . import badge, keys, openbadges, selectors, services, verification
from .forms import MAX_UPLOAD_BYTES, CredentialUploadForm

# --- Public documents (issuer profile, keys, status list) -------------------------------------


def _shared(response: HttpResponse, seconds: int = 300) -> HttpResponse:
    """Public, read-only, cacheable for a few minutes, readable by verifiers on other sites."""
    response["Cache-Control"] = f"public, max-age={seconds}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_profile(request):
    return _shared(
        JsonResponse(
            openbadges.issuer_profile(services.issuer()),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    )


@require_GET
def jwks(request):
    return _shared(JsonResponse(keys.public_jwks(), json_dumps_params={"indent": 2}))


@require_GET
def status_list(request):
    """The signed BitstringStatusListCredential (a VC-JWT), rebuilt after each revocation."""
    return _shared(HttpResponse(services.status_list().token, content_type="application/jwt"), 60)


# --- The holder's downloads -----------------------------------------------------------------


def _owned(request, number):
    """The holder's valid document and its credential; 404 for anybody else (trainers and
    the coordination included: they verify by number), a French page when withdrawn."""
    document = selectors.document_by_number(number)
    if document is None or not access.may_download_credential(
        request.user, holder_id=selectors.holder_id(document)
    ):
        raise Http404("Aucun badge à ce numéro pour votre compte.")
    if isinstance(document, Certification) and not document.is_valid:
        return document, None
    return document, services.issue(document)


def _private_file(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _withdrawn(request, document):
    return render(
        request,
        "credentials/withdrawn.html",
        {"certification": document},
        status=410,
    )


@login_required
@require_GET
def credential_json(request, number):
    document, issued = _owned(request, number)
    if issued is None:
        return _withdrawn(request, document)
    content = JsonResponse(
        issued.json_document(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    ).content
    return _private_file(content, "application/json", f"badge-{document.number}.json")


@login_required
@require_GET
def credential_png(request, number):
    document, issued = _owned(request, number)
    if issued is None:
        return _withdrawn(request, document)
    credential = issued.credential
    is_certificate = isinstance(document, Certification)
    image = badge.draw(
        heading="Ensemblier solidaire" if is_certificate else "Sensibilisation",
        subtitle="Certifié·e" if is_certificate else "Repérage de la précarité énergétique",
        holder_name=document.holder_name,
        number=document.number,
        date_text=("Certifié·e le " if is_certificate else "Le ")
        + date_format(selectors.awarded_on(document), "j F Y"),
        issuer_name=credential["issuer"]["name"],
    )
    filename = f"badge-{slugify(document.number)}.png"
    return _private_file(badge.bake(image, issued.token), "image/png", filename)


# --- Verification by upload -----------------------------------------------------------------

# Per client (IP address), counters in the shared cache: reading an upload costs more than a
# number lookup, so fewer per minute than the verification by number (100/m).
UPLOADS_PER_CLIENT = "30/m"
# Two form fields at most: the file and the pasted text (both capped), plus multipart overhead.
MAX_REQUEST_BYTES = 2 * MAX_UPLOAD_BYTES + 64 * 1024


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# No CSRF check: the upload changes nothing and reads no session (a cross-site post gains
# nothing), and the verification pages' strict "no-referrer" policy makes
# browsers send "Origin: null", which Django's check refuses. Exempt also lets a huge body be
# refused before anything parses it.
@csrf_exempt
@ratelimit(group="credential-upload", key="ip", rate=UPLOADS_PER_CLIENT, method=ratelimit.ALL)
@require_http_methods(["GET", "POST"])
def verify_upload(request):
    if request.method == "GET":
        return redirect("assessments:verify")
    if _content_length(request) > MAX_REQUEST_BYTES:
        context = {
            "form": CredentialUploadForm(),
            "refused": "Ce fichier est bien trop lourd pour être un badge (500 Ko au plus).",
        }
        return _public(render(request, "credentials/verification.html", context, status=413))
    form = CredentialUploadForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        text, data = form.submission_data()
        try:
            submitted = verification.read_submission(text=text, data=data)
        except verification.Unreadable as unreadable:
            form.add_error(None, str(unreadable))
        else:
            report = verification.check(submitted)
    return _public(
        render(
            request,
            "credentials/verification.html",
            {"form": form, "report": report},
            status=200 if report else 400,
        )
    )
