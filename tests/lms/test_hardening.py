"""Hardening (issue 10, finding 7): CSP and Permissions-Policy on every page, rate-limited
password reset, idle session timeout, password re-entry to change the e-mail address, and
uploaded documents that need the right to read them."""

import base64
import hashlib
import re
import time
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection

import pytest

from lms.documents import PUBLIC_COLLECTION_NAME
from lms.security import SESSION_ACTIVITY_KEY
from tests.factories import DEFAULT_PASSWORD, EnrolmentFactory, TraineeFactory
from tests.lms.test_settings import PROD_ENV, run_manage

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


# --- Content-Security-Policy and Permissions-Policy -----------------------------------------------
def _assert_strict_site_policy(response):
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_carry_a_strict_csp_and_a_permissions_policy(client, home_page):
    for url in ["/", "/compte/connexion/", "/compte/mot-de-passe/oubli/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict_site_policy(response)


def test_trainee_pages_carry_a_strict_csp_and_a_permissions_policy(client_as, trainee, home_page):
    client = client_as(trainee)
    for url in ["/compte/", "/mon-espace/"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        _assert_strict_site_policy(response)


def test_admin_pages_carry_the_admin_csp_and_the_permissions_policy(client_as, client, superuser):
    for response in [client.get("/admin/login/"), client_as(superuser).get("/admin/")]:
        assert response.status_code == 200
        policy = directives(response["Content-Security-Policy"])
        # Wagtail 8 needs inline scripts and styles; nothing else is relaxed.
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["frame-ancestors"] == ["'self'"]  # the preview panel frames the page
        assert policy["object-src"] == ["'none'"]
        assert "nonce-" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]


def test_no_template_has_an_inline_script_handler_or_style_attribute():
    """The site's CSP forbids them: scripts live in static files."""
    offences = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                offences.append(f"{path.name}: {tag}")
        for match in re.findall(r"<[a-z][^>]*\s(on[a-z]+|style)=", text):
            offences.append(f"{path.name}: {match}=")
    assert offences == []


def test_the_error_page_style_hash_in_the_csp_matches_the_template():
    css = re.search(r"<style>(.*?)</style>", (TEMPLATES / "500.html").read_text(), re.S)[1]
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH


# --- Rate limits on password reset ----------------------------------------------------------------
def test_password_reset_is_limited_per_address_with_a_french_429(client):
    TraineeFactory(email="lucie@exemple.fr")
    for _ in range(5):
        assert (
            client.post("/compte/mot-de-passe/oubli/", {"email": "lucie@exemple.fr"}).status_code
            == 302
        )
    # Another spelling of the same address counts too.
    response = client.post("/compte/mot-de-passe/oubli/", {"email": "LUCIE@exemple.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 5


def test_password_reset_is_limited_per_ip_across_addresses(client):
    statuses = [
        client.post("/compte/mot-de-passe/oubli/", {"email": f"p{n}@exemple.fr"}).status_code
        for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]


def test_wagtail_password_reset_shares_the_limits(client):
    TraineeFactory(email="lucie@exemple.fr")
    for _ in range(5):
        client.post("/compte/mot-de-passe/oubli/", {"email": "lucie@exemple.fr"})
    response = client.post("/admin/password_reset/", {"email": "lucie@exemple.fr"})
    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_production_check_deploy_passes_with_redis_and_unsilenced_rate_limit_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={**PROD_ENV, "REDIS_URL": "redis://127.0.0.1:6379/0"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(0 silenced)" in result.stdout


# --- Idle session timeout -------------------------------------------------------------------------
def test_sessions_expire_after_two_hours_without_a_request(client_as, trainee):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    client = client_as(trainee)
    assert client.get("/compte/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_an_active_session_is_extended_at_most_every_few_minutes(client_as, trainee):
    client = client_as(trainee)
    session = client.session
    # Without activity for longer than the refresh step, a request moves the expiry forward.
    session[SESSION_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(minutes=10))
    client.get("/compte/")
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # Right after, another request does not write the session again.
    Session.objects.update(expire_date=timezone.now() + timezone.timedelta(minutes=10))
    client.get("/compte/")
    assert Session.objects.get().expire_date < timezone.now() + timezone.timedelta(minutes=11)


# --- Password re-entry to change the e-mail address -----------------------------------------------
def account_data(trainee, **changes):
    return {
        "first_name": trainee.first_name,
        "last_name": trainee.last_name,
        "email": trainee.email,
        "phone": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "Saisissez votre mot de passe actuel"), ("faux", "Mot de passe incorrect")],
)
def test_changing_the_email_needs_the_current_password(client_as, trainee, password, message):
    old = trainee.email
    response = client_as(trainee).post(
        "/compte/",
        account_data(trainee, email="nouvelle@exemple.fr", current_password=password),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="nouvelle@exemple.fr"' in content  # what was typed is kept
    trainee.refresh_from_db()
    assert trainee.email == old


def test_changing_the_email_with_the_password_works(client_as, trainee):
    response = client_as(trainee).post(
        "/compte/",
        account_data(trainee, email="Nouvelle@Exemple.fr", current_password=DEFAULT_PASSWORD),
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.email == "nouvelle@exemple.fr"


def test_other_details_change_without_the_password(client_as, trainee):
    response = client_as(trainee).post(
        "/compte/", account_data(trainee, email=trainee.email.upper(), last_name="Dupont")
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.last_name == "Dupont"


# --- Uploaded documents ---------------------------------------------------------------------------
@pytest.fixture
def make_document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def make(collection=None):
        document = get_document_model()(
            title="Fiche",
            collection=collection or Collection.get_first_root_node(),
        )
        document.file.save("fiche.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        document.save()
        return document

    return make


def test_a_document_is_not_downloadable_without_login(client, make_document):
    document = make_document()
    response = client.get(document.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_an_account_without_enrolment_cannot_download_a_document(client_as, make_document):
    document = make_document()
    response = client_as(TraineeFactory()).get(document.url)
    assert response.status_code == 403


def test_an_enrolled_trainee_downloads_a_document(client_as, make_document):
    document = make_document()
    enrolment = EnrolmentFactory()
    response = client_as(enrolment.trainee).get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_documents_of_the_public_collection_are_public(client, make_document):
    document = make_document(Collection.objects.get(name=PUBLIC_COLLECTION_NAME))
    response = client.get(document.url)
    assert response.status_code == 200


def test_wagtail_account_settings_do_not_change_the_email(client_as, trainer):
    old = trainer.email
    client = client_as(trainer)
    response = client.get("/admin/account/")
    assert response.status_code == 200
    assert 'name="name_email-email"' not in response.content.decode()
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Karim",
            "name_email-last_name": "B",
            "name_email-email": "x@y.fr",
        },
    )
    trainer.refresh_from_db()
    assert trainer.email == old


def test_wrong_passwords_on_the_account_page_are_limited_per_account(client_as, trainee):
    client = client_as(trainee)
    data = account_data(trainee, email="nouvelle@exemple.fr", current_password="faux")
    statuses = [client.post("/compte/", data).status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429
    # Even the right password waits now.
    right = account_data(trainee, email="nouvelle@exemple.fr", current_password=DEFAULT_PASSWORD)
    assert client.post("/compte/", right).status_code == 429


def test_the_per_ip_limit_uses_the_proxys_header_only_when_configured(client, settings):
    def resets(ip, count):
        return [
            client.post(
                "/compte/mot-de-passe/oubli/",
                {"email": f"{ip}-{n}@exemple.fr"},
                HTTP_X_REAL_IP=ip,
            ).status_code
            for n in range(count)
        ]

    # Not configured: a forged header changes nothing, every request is REMOTE_ADDR's.
    assert resets("10.0.0.1", 10) + resets("10.0.0.2", 11) == [302] * 20 + [429]
    # Behind the proxy: each client has its own counter.
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert resets("10.0.0.3", 20) == [302] * 20
    assert resets("10.0.0.4", 1) == [302]
    assert resets("10.0.0.3", 1) == [429]
