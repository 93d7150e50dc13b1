"""A certificate, an awareness attestation and a keyring of their own for each test."""

import datetime

import pytest

from assessments.awareness.models import Attestation
from tests.factories import CertificationFactory, TraineeFactory, UserFactory


@pytest.fixture(autouse=True)
def keyring_file(settings, tmp_path):
    """Each test signs with a fresh keyring file, created at first use."""
    settings.CREDENTIAL_KEYS_FILE = tmp_path / "keys.jwks.json"
    settings.CREDENTIAL_KEYS_AUTOCREATE = True
    return settings.CREDENTIAL_KEYS_FILE


@pytest.fixture
def holder(db):
    return TraineeFactory(first_name="Nadia", last_name="Roussel", email="Nadia.Roussel@exemple.fr")


@pytest.fixture
def certification(holder):
    return CertificationFactory(
        enrolment__trainee=holder,
        certified_on=datetime.date(2026, 3, 20),
        issued_on=datetime.date(2026, 3, 20),
    )


@pytest.fixture
def volunteer(db):
    return UserFactory(first_name="Louise", last_name="Mercier", email="louise@exemple.fr")


@pytest.fixture
def attestation(volunteer):
    return Attestation.objects.create(
        number="SEN-2026-00007-K7QF",
        user=volunteer,
        holder_name="Louise Mercier",
        role="benevole",
        issued_on=datetime.date(2026, 4, 2),
        course_title="Repérer la précarité énergétique",
    )
