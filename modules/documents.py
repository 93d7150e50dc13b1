"""Uploaded documents are read by the people who read the programme's full content.

Wagtail's `before_serve_document` hook (registered in modules/wagtail_hooks.py): a document
outside the public collection (`lms.documents`) is served only to someone who may read full
modules (`selectors.can_read_full_module`: staff roles and trainees with an active enrolment);
anonymous visitors are sent to the login page, other accounts get the French 403 page. Wagtail's
own collection privacy settings still apply on top.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from lms.documents import is_public_document

from .selectors import can_read_full_module


def check_document_access(document, request):
    """Hook body: `None` lets Wagtail serve the file; otherwise a redirect to the login page.

    Raises PermissionDenied (French 403 page) for a signed-in account without access."""
    if is_public_document(document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_read_full_module(request.user):
        raise PermissionDenied("Ce document est réservé aux personnes inscrites à la formation.")
    return None
