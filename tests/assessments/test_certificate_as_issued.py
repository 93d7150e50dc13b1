"""Certificates hold what they certified at issue: the PDF and the verification page read the
stored name, session, dates and competencies; a name change goes through a reissue; numbers
carry a random check part."""

import datetime
import io
import re

from django.core.exceptions import PermissionDenied

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from assessments.certification import numbers
from assessments.certification.services import (
    CertificationError,
    certification_create,
    certification_reissue,
    certification_revoke,
)
from assessments.models import Certification
from lms.models import User
from tests.factories import TrainerFactory, eligible_enrolment

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def issued(trainer):
    enrolment = eligible_enrolment(
        trainer=trainer, trainee__first_name="Nadia", trainee__last_name="Roussel"
    )
    return certification_create(enrolment=enrolment, user=trainer)


def rename(user, first_name, last_name):
    User.objects.filter(pk=user.pk).update(first_name=first_name, last_name=last_name)


def test_the_certificate_stores_what_it_certifies(issued):
    assert issued.holder_name == "Nadia Roussel"
    assert issued.session_name == issued.enrolment.session.name
    assert issued.session_first_day <= issued.session_last_day
    assert [code for code, _title in issued.competency_pairs] == ["C1", "C2", "C3", "C4", "C5"]
    assert issued.issued_on == issued.certified_on
    assert numbers.is_well_formed(issued.number)


def test_pdf_and_verification_show_the_name_as_issued_after_a_rename(
    client, client_as, issued, trainer, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://ensemblier.example.test"
    rename(issued.trainee, "Nadia", "Kessler")
    text = pdf_text(client_as(trainer).get(f"/certificats/{issued.number}.pdf"))
    assert "Nadia Roussel" in text and "Kessler" not in text
    assert f"https://ensemblier.example.test/certificats/verifier/{issued.number}/" in text
    page = client.get(f"/certificats/verifier/{issued.number}/").content.decode()
    assert "Nadia Roussel" in page and "Kessler" not in page


def test_reissue_after_a_rename_supersedes_the_old_number(client, issued, trainer):
    rename(issued.trainee, "Nadia", "Kessler")
    new = certification_reissue(certification=issued, user=trainer)
    issued.refresh_from_db()
    assert new.number != issued.number and new.is_valid
    assert new.holder_name == "Nadia Kessler"
    assert new.certified_on == issued.certified_on
    assert new.reissued_by == trainer and new.certified_by == issued.certified_by
    assert issued.is_superseded and issued.superseded_by == new
    old_page = client.get(f"/certificats/verifier/{issued.number}/").content.decode()
    assert "remplacé" in old_page and "Nadia Roussel" in old_page
    assert f'href="/certificats/verifier/{new.number}/"' in old_page
    new_page = client.get(f"/certificats/verifier/{new.number}/").content.decode()
    assert "valide" in new_page and "Nadia Kessler" in new_page
    assert Certification.objects.filter(status=Certification.Status.VALID).count() == 1


def test_reissue_without_a_name_change_or_of_a_replaced_certificate_is_refused(issued, trainer):
    with pytest.raises(CertificationError, match="n'a pas changé"):
        certification_reissue(certification=issued, user=trainer)
    rename(issued.trainee, "Nadia", "Kessler")
    certification_reissue(certification=issued, user=trainer)
    with pytest.raises(CertificationError, match="Seul un certificat valide"):
        certification_reissue(certification=issued, user=trainer)
    with pytest.raises(CertificationError, match="remplacé"):
        certification_revoke(certification=issued, user=trainer, reason="Erreur")


def test_a_trainer_of_another_session_cannot_reissue(issued):
    rename(issued.trainee, "Nadia", "Kessler")
    with pytest.raises(PermissionDenied):
        certification_reissue(certification=issued, user=TrainerFactory())


def test_the_detail_page_offers_the_reissue_after_a_rename(client_as, issued, trainer):
    client = client_as(trainer)
    assert "Réémettre" not in client.get(f"/certifications/{issued.number}/").content.decode()
    rename(issued.trainee, "Nadia", "Kessler")
    page = client.get(f"/certifications/{issued.number}/").content.decode()
    assert "nom actuel du compte : Nadia Kessler" in page
    response = client.post(f"/certifications/{issued.number}/", {"action": "reissue"})
    new = Certification.objects.get(status=Certification.Status.VALID)
    assert response.status_code == 302
    assert response["Location"] == f"/certifications/{new.number}/"


def test_numbers_have_a_random_check_part(trainer):
    first = certification_create(enrolment=eligible_enrolment(trainer=trainer), user=trainer)
    second = certification_create(enrolment=eligible_enrolment(trainer=trainer), user=trainer)
    year = datetime.date.today().year
    assert re.fullmatch(rf"ENS-{year}-00001-[0-9A-HJKMNP-TV-Z]{{4}}", first.number)
    assert re.fullmatch(rf"ENS-{year}-00002-[0-9A-HJKMNP-TV-Z]{{4}}", second.number)


def test_walking_the_series_finds_nothing(client, issued):
    """Knowing the series without the check part says nothing: every other check is unknown."""
    serial = issued.number[:-4]
    for check in ("0000", "AAAA", "ZZZZ", "K7QF"):
        if serial + check == issued.number:
            continue
        page = client.get(f"/certificats/verifier/{serial}{check}/").content.decode()
        assert "Statut : <strong>inconnu</strong>" in page


@given(
    st.integers(min_value=2000, max_value=9999),
    st.integers(min_value=1, max_value=999999),
    st.text(alphabet=numbers.CHECK_ALPHABET, min_size=4, max_size=4),
)
def test_a_number_survives_typing_in_lower_case_with_spaces_and_confusions(year, seq, check):
    number = numbers.format_number(year, seq, check)
    assert numbers.is_well_formed(number)
    typed = " " + number.lower().replace("-", " - ", 1) + " "
    confused = number[:-4] + check.replace("0", "O").replace("1", "I")
    assert numbers.normalise(typed) == number
    assert numbers.normalise(confused) == number


def test_the_data_migration_renumbers_and_fills_existing_certificates():
    import importlib

    from django.apps import apps

    from tests.factories import CertificationFactory

    migration = importlib.import_module(
        "assessments.migrations.0010_certificate_numbers_and_snapshot"
    )
    old = CertificationFactory(
        number="ES-2025-000123",
        holder_name="",
        session_name="",
        competencies=[],
        enrolment__trainee__first_name="Aline",
        enrolment__trainee__last_name="Garnier",
    )
    migration.forwards(apps, None)
    old.refresh_from_db()
    assert re.fullmatch(r"ENS-2025-00123-[0-9A-HJKMNP-TV-Z]{4}", old.number)
    assert old.legacy_number == "ES-2025-000123"
    assert old.holder_name == "Aline Garnier"
    assert old.session_name == old.session.name
    assert len(old.competencies) == 5
