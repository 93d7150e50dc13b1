"""`manage.py check --deploy` refuses a missing, unreadable, invalid or world-readable badge
keyring; the same check is logged when the WSGI application starts."""

import io
import json
import logging
import os

from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import pytest
from joserfc.jwk import OKPKey

from assessments.credentials import keys
from assessments.credentials.checks import keyring_problems


def ids():
    return [problem.id for problem in keyring_problems()]


def write(path, document, mode=0o600):
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    os.chmod(path, mode)


def make_keyring():
    call_command("rotate_credential_key", stdout=io.StringIO())


@pytest.fixture
def production(settings, keyring_file):
    settings.CREDENTIAL_KEYS_AUTOCREATE = False
    return keyring_file


def test_a_keyring_made_by_the_command_passes(production):
    make_keyring()
    assert ids() == []


def test_a_missing_keyring_is_an_error_only_where_it_is_not_created_on_the_fly(
    settings, keyring_file
):
    assert ids() == []  # development and tests: created at the first signature
    settings.CREDENTIAL_KEYS_AUTOCREATE = False
    problems = keyring_problems()
    assert [problem.id for problem in problems] == ["credentials.E001"]
    assert "introuvable" in problems[0].msg and "rotate_credential_key" in problems[0].hint


@pytest.mark.parametrize(
    "document",
    [
        "",
        "pas du JSON",
        [],
        {"keys": []},
        {"keys": 3},
        {"keys": [{"kty": "RSA"}]},
        {"keys": [None]},
        {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "abc"}]},
    ],
)
def test_a_keyring_that_is_not_a_jwk_set_is_an_error(production, document):
    write(production, document)
    assert ids() == ["credentials.E003"]


def test_a_public_key_alone_cannot_sign(production):
    public = OKPKey.generate_key("Ed25519", auto_kid=True).as_dict(private=False)
    write(production, {"keys": [public]})
    assert ids() == ["credentials.E003"]


def test_another_curve_is_refused(production):
    other = OKPKey.generate_key("X25519", auto_kid=True).as_dict(private=True)
    write(production, {"keys": [other]})
    assert ids() == ["credentials.E003"]


@pytest.mark.parametrize("mode", [0o644, 0o604, 0o606])
def test_a_world_readable_keyring_is_an_error(production, mode):
    make_keyring()
    os.chmod(production, mode)
    problems = keyring_problems()
    assert [problem.id for problem in problems] == ["credentials.E005"]
    assert "chmod 600" in problems[0].hint


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_keyring_is_an_error(production):
    make_keyring()
    os.chmod(production, 0o000)
    try:
        assert ids() == ["credentials.E002"]
    finally:
        os.chmod(production, 0o600)


def test_a_directory_is_not_a_keyring(settings, tmp_path):
    settings.CREDENTIAL_KEYS_FILE = tmp_path
    settings.CREDENTIAL_KEYS_AUTOCREATE = False
    assert ids() == ["credentials.E002"]


def test_check_deploy_fails_on_a_bad_keyring_and_plain_check_does_not(production):
    call_command("check")  # not a deployment check: make run and make setup never see it
    with pytest.raises(SystemCheckError, match="credentials.E001"):
        call_command("check", deploy=True, tags=["security"])


def test_the_check_is_tagged_for_the_server_start(production):
    found = checks.run_checks(tags=["startup"], include_deployment_checks=True)
    assert [problem.id for problem in found] == ["credentials.E001"]


def test_the_wsgi_application_logs_the_problems_when_it_starts(production, caplog):
    import importlib
    import sys

    sys.modules.pop("lms.wsgi", None)
    with caplog.at_level(logging.CRITICAL, logger="lms.startup"):
        module = importlib.import_module("lms.wsgi")
    assert module.application is not None  # the site still starts
    assert any("credentials.E001" in record.getMessage() for record in caplog.records)


def test_a_key_of_another_type_is_refused_by_the_keyring_too(production, certification, client):
    from django.core.exceptions import ImproperlyConfigured

    from assessments.credentials import services

    write(production, {"keys": [{"kty": "RSA"}]})
    with pytest.raises(ImproperlyConfigured, match="illisible"):
        keys.keyring()
    with pytest.raises(ImproperlyConfigured):
        services.issue(certification)
