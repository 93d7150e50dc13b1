"""PDF documents an auditor accepts: Unicode names, full objectives, metadata, page numbers."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from assessments import pdf
from assessments.certification.completion import completion_issue
from lms import pdf as kit
from lms.models import SiteSettings
from tests.factories import EnrolmentFactory, TrainingSessionFactory, attend

OBJECTIVES = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "fixtures/programme/programme.yaml").read_text()
)["objectives"]
BODY = kit.TrainingBody(
    name="Collectif STOP Exclusion Énergétique",
    siret="12345678900012",
    nda="11755555575",
    signatory_name="Claire Dupont",
    signatory_role="directrice",
    place="Lyon",
)


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def certificate(name: str, **kwargs) -> bytes:
    return pdf.certificate_pdf(
        pdf.CertificateData(
            full_name=name,
            number="ES-2026-000123",
            certified_on=datetime.date(2026, 6, 30),
            competencies=[("C1", "Repérer et qualifier la situation du ménage")],
            session_name="Session Lyon 2026",
            verification_url="https://ensemblier.example/verifier/ES-2026-000123/",
            issuer=BODY.name,
            **kwargs,
        )
    )


def completion(**kwargs) -> bytes:
    values = {
        "full_name": "Łukasz Żółć",
        "structure": "Association pour l'amélioration de l'habitat du Grand Lyon et des Monts",
        "programme_title": "Formation Ensemblier Solidaire",
        "objectives_markdown": OBJECTIVES,
        "session_name": "Session Lyon 2026",
        "territory": "Métropole de Lyon",
        "first_day": datetime.date(2026, 3, 2),
        "last_day": datetime.date(2026, 3, 20),
        "programme_hours": Decimal("105"),
        "attended_hours": Decimal("101.5"),
        "results": [("C1", "Repérer", "validée")],
        "issued_on": datetime.date(2026, 3, 20),
        "training_body": BODY,
    }
    values.update(kwargs)
    return pdf.completion_pdf(pdf.CompletionData(**values))


@pytest.mark.parametrize("name", ["Łukasz Żółć", "李小龍", "Ngọc Ánh Nguyễn"])
def test_a_certificate_prints_names_in_any_script(name):
    assert name in text_of(certificate(name))


def test_fonts_are_embedded_truetype_subsets():
    content = certificate("李小龍 Łukasz")
    assert b"/FontFile2" in content  # embedded TrueType programs
    assert b"/Helvetica" not in content


def test_every_pdf_carries_title_author_and_french_language():
    for content in (certificate("Anne Martin"), completion()):
        reader = PdfReader(io.BytesIO(content))
        assert reader.trailer["/Root"]["/Lang"] == "fr"
        assert reader.metadata.author == BODY.name
        assert reader.metadata.title


def test_a_right_to_left_name_is_drawn_shaped_and_in_visual_order():
    name = "سارة الفاسي"
    shown = kit.visual(name)
    assert shown != name and shown[0] == "\ufef2"  # final yeh of the last word comes first
    assert "ﺳﺎﺭﺓ" in text_of(certificate(name))


def test_a_long_name_shrinks_then_wraps_and_is_never_cut():
    name = "Marie-Ségolène Anne-Charlotte de La Rochefoucauld-Montmorency d'Harcourt-Beuvron " * 2
    fitted = kit.fit_lines(name.strip(), kit.FONT_BOLD, width=600, size=24, min_size=14)
    assert fitted.size == 14 and len(fitted.lines) >= 2
    assert all(kit.string_width(line, kit.FONT_BOLD, 14) <= 600 for line in fitted.lines)
    assert " ".join(fitted.lines) == name.strip()
    assert flat(name) in flat(text_of(certificate(name.strip())))


@given(st.text(alphabet="abcdefghij 李小龍Łż", min_size=1, max_size=80))
def test_wrapped_lines_fit_and_keep_every_character(text):
    lines = kit.wrap(text, kit.FONT, 12, 120)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(kit.string_width(line, kit.FONT, 12) <= 120 or len(line) == 1 for line in lines)


def test_the_certificat_de_realisation_states_every_objective_in_full_without_markdown():
    reader = PdfReader(io.BytesIO(completion()))
    total = len(reader.pages)
    # The pages' running footers removed, the text reads on across page breaks.
    text = flat(
        " ".join(
            page.extract_text()
            .replace("Certificat de réalisation · Łukasz Żółć", "")
            .replace(f"{number} / {total}", "")
            for number, page in enumerate(reader.pages, start=1)
        )
    )
    assert "**" not in text and "__" not in text
    items = re.split(r"^\s*\d+\.\s+", OBJECTIVES, flags=re.MULTILINE)
    objectives = [flat(item.replace("**", "")) for item in items]
    assert len(objectives) == 6  # the sentence that introduces them, then C1..C5
    for objective in objectives:
        assert objective in text
    for code in ("C1", "C2", "C3", "C4", "C5"):
        assert f"{code} —" in text
    assert "• expliquer" not in text  # no bullet per wrapped source line


def test_the_certificat_de_realisation_names_the_body_signatory_place_and_fixed_date():
    text = flat(text_of(completion()))
    assert "Certificat de réalisation" in text
    assert "SIRET 123 456 789 00012" in text
    assert "déclaration d'activité n° 11755555575" in text
    assert "Claire Dupont, directrice" in text
    assert "Fait à Lyon le 20 mars 2026." in text
    assert "101 h 30" in text
    assert "PROVISOIRE" not in text


def test_pages_are_numbered_n_of_total():
    reader = PdfReader(io.BytesIO(completion()))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"{number} / {total}" in page.extract_text()


def test_before_the_end_it_is_a_provisional_attendance_statement():
    text = flat(text_of(completion(provisional=True, issued_on=datetime.date(2026, 3, 10))))
    assert text.startswith("Attestation de présence provisoire")
    assert "PROVISOIRE — la formation n'est pas terminée" in text
    assert "Fait à" not in text


PARIS = datetime.timezone(datetime.timedelta(hours=1))


@given(
    st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2026, 12, 31))
)
def test_final_only_after_the_last_half_day_and_then_dated_that_day(now):
    last_day, last_end = datetime.date(2026, 6, 19), datetime.time(17, 0)
    issue = completion_issue(
        last_day=last_day, last_end=last_end, now_local=now.replace(tzinfo=PARIS)
    )
    ended = now >= datetime.datetime(2026, 6, 19, 17, 0)
    assert issue.provisional is not ended
    if ended:
        assert issue.issued_on == last_day


@pytest.mark.django_db
def test_the_view_gives_a_provisional_statement_during_the_session(client_as):
    enrolment = EnrolmentFactory()
    attend(enrolment, 4)
    response = client_as(enrolment.trainee).get(f"/realisation/{enrolment.pk}.pdf")
    assert "attestation-presence-provisoire" in response["Content-Disposition"]
    assert "PROVISOIRE" in text_of(response.content)


@pytest.mark.django_db
def test_the_view_gives_the_certificat_once_the_session_ended_with_site_settings(client_as):
    settings = SiteSettings.load()
    settings.organisation_siret = "12345678900012"
    settings.signature_place = "Carcassonne"
    settings.signatory_name = "Claire Dupont"
    settings.save()
    session = TrainingSessionFactory(week1_start=datetime.date(2025, 1, 6))
    enrolment = EnrolmentFactory(session=session)
    attend(enrolment, 30)
    response = client_as(enrolment.trainee).get(f"/realisation/{enrolment.pk}.pdf")
    text = flat(text_of(response.content))
    assert "certificat-realisation" in response["Content-Disposition"]
    last_day = session.slots.order_by("-date").first().date
    assert f"Fait à Carcassonne le {pdf.date_fr(last_day)}." in text
    assert "SIRET 123 456 789 00012" in text


@pytest.mark.django_db
def test_mon_parcours_names_the_provisional_statement_during_the_session(client_as):
    enrolment = EnrolmentFactory(status="in_training")
    attend(enrolment, 2)
    html = client_as(enrolment.trainee).get("/mon-parcours/").content.decode()
    assert "Télécharger l'attestation de présence provisoire (PDF)" in html
