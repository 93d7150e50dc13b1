"""Certification: eligibility checked at creation, unique numbers, revocation, PDFs, screens."""

import datetime
import re
import threading
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import close_old_connections

import pytest

from assessments.certification.services import (
    CertificationError,
    certification_create,
    certification_revoke,
    next_certificate_number,
)
from assessments.models import Attempt, Certification, CompetencyResult
from tests.factories import (
    CertificationFactory,
    EnrolmentFactory,
    TrainerFactory,
    attend,
    eligible_enrolment,
    sit_final,
    validate_all,
)

pytestmark = pytest.mark.django_db


def test_eligible_trainee_is_certified_with_a_yearly_number(trainer):
    enrolment = eligible_enrolment(trainer=trainer)
    certification = certification_create(
        enrolment=enrolment, user=trainer, today=datetime.date(2026, 6, 5)
    )
    assert re.fullmatch(r"ENS-2026-00001-[0-9A-HJKMNP-TV-Z]{4}", certification.number)
    assert certification.status == Certification.Status.VALID
    assert certification.attended_hours == Decimal("105.0")
    assert certification.territory == enrolment.session.territory
    second = certification_create(
        enrolment=eligible_enrolment(trainer=trainer),
        user=trainer,
        today=datetime.date(2026, 6, 6),
    )
    assert second.number.startswith("ENS-2026-00002-")
    assert next_certificate_number(2027).startswith("ENS-2027-00001-")


def test_a_second_certification_of_the_same_trainee_is_refused(coordinator):
    enrolment = eligible_enrolment()
    certification_create(enrolment=enrolment, user=coordinator)
    with pytest.raises(CertificationError, match="déjà certifié"):
        certification_create(enrolment=enrolment, user=coordinator)
    assert Certification.objects.count() == 1


def test_a_refused_certification_consumes_no_number(coordinator):
    enrolment = EnrolmentFactory()
    attend(enrolment, 30)
    with pytest.raises(CertificationError, match="C1, C2, C3, C4, C5"):
        certification_create(enrolment=enrolment, user=coordinator)
    certification = certification_create(enrolment=eligible_enrolment(), user=coordinator)
    assert certification.number[4:].startswith(f"{certification.certified_on.year}-00001-")


def test_low_attendance_is_refused_with_the_percent(coordinator):
    enrolment = EnrolmentFactory()
    attend(enrolment, 23)  # 80.5 h of 105 h = 76.7 %
    validate_all(enrolment.trainee)
    with pytest.raises(CertificationError, match="76,7 %"):
        certification_create(enrolment=enrolment, user=coordinator)


def test_a_proposed_but_unvalidated_competency_blocks_certification(coordinator):
    enrolment = EnrolmentFactory()
    attend(enrolment, 30)
    validate_all(enrolment.trainee)
    CompetencyResult.objects.filter(trainee=enrolment.trainee, competency__code="C3").update(
        status=CompetencyResult.Status.PROPOSED
    )
    with pytest.raises(CertificationError, match="C3"):
        certification_create(enrolment=enrolment, user=coordinator)


def test_trainer_of_another_session_and_trainee_cannot_certify(trainee):
    enrolment = eligible_enrolment()
    with pytest.raises(PermissionDenied):
        certification_create(enrolment=enrolment, user=TrainerFactory())
    with pytest.raises(PermissionDenied):
        certification_create(enrolment=enrolment, user=enrolment.trainee)


def test_revocation_needs_a_reason_and_allows_a_new_certification(coordinator):
    enrolment = eligible_enrolment()
    certification = certification_create(enrolment=enrolment, user=coordinator)
    with pytest.raises(CertificationError):
        certification_revoke(certification=certification, user=coordinator, reason="  ")
    certification_revoke(certification=certification, user=coordinator, reason="Fraude.")
    certification.refresh_from_db()
    assert certification.status == Certification.Status.REVOKED
    assert certification.revoked_by == coordinator
    assert certification.revoked_at is not None
    with pytest.raises(CertificationError):
        certification_revoke(certification=certification, user=coordinator, reason="Encore.")
    again = certification_create(enrolment=enrolment, user=coordinator)
    assert again.number != certification.number


def test_trainer_of_another_session_cannot_revoke():
    certification = CertificationFactory()
    with pytest.raises(PermissionDenied):
        certification_revoke(certification=certification, user=TrainerFactory(), reason="x")


@pytest.mark.django_db(transaction=True)
def test_concurrent_certifications_get_distinct_consecutive_numbers(coordinator):
    enrolments = [eligible_enrolment() for _ in range(6)]
    numbers, errors = [], []
    barrier = threading.Barrier(len(enrolments))

    def certify(enrolment):
        try:
            barrier.wait()
            numbers.append(certification_create(enrolment=enrolment, user=coordinator).number)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=certify, args=(e,)) for e in enrolments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = datetime.date.today().year
    assert sorted(number[:14] for number in numbers) == [f"ENS-{year}-{n:05d}" for n in range(1, 7)]


# --- Screens -----------------------------------------------------------------------------------


def test_certify_asks_for_confirmation_with_the_evidence_then_certifies(client_as, trainer):
    enrolment = eligible_enrolment(trainer=trainer)
    client = client_as(trainer)
    page = client.get("/certifications/")
    assert page.status_code == 200
    assert f"Certifier {enrolment.trainee.first_name}" in page.content.decode()
    summary = client.get(f"/certifications/certifier/{enrolment.pk}/")
    text = summary.content.decode()
    assert summary.status_code == 200
    assert "Résumé des preuves" in text and "75 % · réussie" in text
    assert "Confirmer la certification" in text
    assert not Certification.objects.exists()
    unconfirmed = client.post(f"/certifications/certifier/{enrolment.pk}/")
    assert unconfirmed.status_code == 400
    assert not Certification.objects.exists()
    response = client.post(f"/certifications/certifier/{enrolment.pk}/", {"confirm": "oui"})
    certification = Certification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/certifications/{certification.number}/"


def test_a_trainee_who_failed_the_final_is_neither_listed_certifiable_nor_certified(
    client_as, trainer
):
    enrolment = eligible_enrolment(trainer=trainer, final="47.9")
    client = client_as(trainer)
    page = client.get("/certifications/").content.decode()
    assert f"Certifier {enrolment.trainee.first_name}" not in page
    assert "L&#x27;évaluation finale n&#x27;est pas réussie." in page
    summary = client.get(f"/certifications/certifier/{enrolment.pk}/").content.decode()
    assert "Confirmer la certification" not in summary
    client.post(f"/certifications/certifier/{enrolment.pk}/", {"confirm": "oui"})
    assert not Certification.objects.exists()
    with pytest.raises(CertificationError, match="évaluation finale n'est pas réussie"):
        certification_create(enrolment=enrolment, user=trainer)


def test_a_failed_then_passed_final_counts_as_passed(trainer):
    enrolment = eligible_enrolment(trainer=trainer, final="40")
    sit_final(enrolment.trainee, percent="65")
    assert certification_create(enrolment=enrolment, user=trainer).is_valid


def test_a_correction_pending_blocks_certification(trainer):
    enrolment = eligible_enrolment(trainer=trainer)
    sit_final(enrolment.trainee, status=Attempt.Status.SUBMITTED)
    with pytest.raises(CertificationError, match="1 évaluation en attente de correction"):
        certification_create(enrolment=enrolment, user=trainer)


def test_certifications_page_hides_other_sessions_trainees(client_as, trainer):
    other = eligible_enrolment()
    page = client_as(trainer).get("/certifications/")
    assert other.trainee.last_name not in page.content.decode()
    assert client_as(trainer).get(f"/certifications/certifier/{other.pk}/").status_code == 404
    response = client_as(trainer).post(f"/certifications/certifier/{other.pk}/", {"confirm": "oui"})
    assert response.status_code == 404


def test_trainee_cannot_open_certifications(client_as, trainee):
    assert client_as(trainee).get("/certifications/").status_code == 403


def test_search_by_number_opens_the_certificate(client_as, coordinator):
    certification = CertificationFactory()
    response = client_as(coordinator).get(
        "/certifications/", {"numero": f" {certification.number.lower()} "}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/certifications/{certification.number}/"
    missing = client_as(coordinator).get("/certifications/", {"numero": "ENS-1999-00001-AAAA"})
    assert "Aucun certificat" in missing.content.decode()


def test_revoke_form_keeps_typed_data_and_requires_a_reason(client_as, coordinator):
    certification = CertificationFactory()
    url = f"/certifications/{certification.number}/"
    refused = client_as(coordinator).post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Indiquez le motif" in refused.content.decode()
    done = client_as(coordinator).post(url, {"reason": "Erreur de saisie"})
    assert done.status_code == 302
    certification.refresh_from_db()
    assert certification.revoked_reason == "Erreur de saisie"


def test_certificate_pdf_for_owner_trainer_and_coordinator(client_as, trainer, coordinator):
    certification = CertificationFactory(enrolment=eligible_enrolment(trainer=trainer))
    for user in (certification.trainee, trainer, coordinator):
        response = client_as(user).get(f"/certificats/{certification.number}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_trainee_cannot_download_another_trainees_certificate(client_as, other_trainee):
    certification = CertificationFactory()
    response = client_as(other_trainee).get(f"/certificats/{certification.number}.pdf")
    assert response.status_code == 404
    assert (
        client_as(TrainerFactory()).get(f"/certificats/{certification.number}.pdf").status_code
        == 404
    )


def test_anonymous_is_sent_to_login_for_a_certificate_pdf(client):
    certification = CertificationFactory()
    response = client.get(f"/certificats/{certification.number}.pdf")
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_completion_certificate_for_the_trainee_who_attended(client_as, trainer):
    enrolment = EnrolmentFactory()
    enrolment.session.trainers.add(trainer)
    attend(enrolment, 10)
    for user in (enrolment.trainee, trainer):
        response = client_as(user).get(f"/realisation/{enrolment.pk}.pdf")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


def test_no_completion_certificate_without_attendance(client_as):
    enrolment = EnrolmentFactory()
    assert client_as(enrolment.trainee).get(f"/realisation/{enrolment.pk}.pdf").status_code == 404


def test_trainee_cannot_download_another_trainees_completion_certificate(client_as, other_trainee):
    enrolment = EnrolmentFactory()
    attend(enrolment, 30)
    assert client_as(other_trainee).get(f"/realisation/{enrolment.pk}.pdf").status_code == 404
    assert client_as(TrainerFactory()).get(f"/realisation/{enrolment.pk}.pdf").status_code == 404
