"""Attendance sheets: CSV (UTF-8 BOM, `;`), PDF (reportlab, landscape A4) and printable HTML."""

import csv
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from pypdf import PdfReader

from modules import exports
from modules.selectors_attendance import session_sheet
from modules.services.attendance import attendance_countersign, attendance_sign
from tests.factories import TraineeFactory

from .attendance_support import (
    TODAY,
    attach_modules,
    enrol,
    enrol_group,
    make_module,
    make_programme,
    make_session,
    paris,
    slot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer, home_page):
    session = make_session(trainers=[trainer], name="Session Laval printemps 2026")
    module = make_module(make_programme(home_page), 3, title="Diagnostic du logement")
    attach_modules(session, {(7, "am"): [module]})
    return session


@pytest.fixture
def signed_sheet(session, trainer):
    """Day 7 morning: Camille signed at 9 h 04 and is present, Jules absent, Zoé excused."""
    camille = enrol(session, TraineeFactory(first_name="Camille", last_name="Martin"))
    jules = enrol(session, TraineeFactory(first_name="Jules", last_name="Durand"))
    zoe = enrol(session, TraineeFactory(first_name="Zoé", last_name="Éluard"))
    morning = slot(session, 7, "am")
    attendance_sign(enrolment=camille, slot=morning, now=paris(TODAY, 9, 4))
    attendance_countersign(
        trainer=trainer,
        slot=morning,
        statuses={jules.pk: "absent", zoe.pk: "excused"},
        now=paris(TODAY, 9, 41),
    )
    return session


def csv_rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_csv_has_one_line_per_trainee_and_half_day_with_the_legal_columns(
    client_as, signed_sheet, trainer
):
    response = client_as(trainer).get(f"/formateur/sessions/{signed_sheet.pk}/feuille.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="emargement-' in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert list(rows[0].keys()) == exports.CSV_COLUMNS
    assert len(rows) == 30 * 3
    morning = {
        row["Nom"]: row for row in rows if row["Jour"] == "7" and row["Demi-journée"] == "Matin"
    }
    camille = morning["Martin"]
    assert camille["Session"] == "Session Laval printemps 2026"
    assert camille["Formateur(s)"] == "Karim Benali"
    assert camille["Date"] == "2026-03-10"
    assert (camille["Début"], camille["Fin"]) == ("09:00", "12:30")
    assert camille["Module(s)"] == "Module 3 · Diagnostic du logement"
    assert camille["Statut"] == "Présent·e"
    assert camille["Signature stagiaire"] == "2026-03-10 09:04:00"
    assert camille["Contresignature formateur"] == "2026-03-10 09:41:00"
    assert camille["Contresigné par"] == "Karim Benali"
    assert camille["Heures de présence"] == "3,50"
    assert morning["Durand"]["Statut"] == "Absent·e"
    assert morning["Durand"]["Signature stagiaire"] == ""
    assert morning["Durand"]["Heures de présence"] == "0,00"
    assert morning["Éluard"]["Statut"] == "Absence justifiée"


def test_the_pdf_is_a_pdf_naming_session_trainer_trainees_and_module(
    client_as, signed_sheet, trainer
):
    response = client_as(trainer).get(f"/formateur/sessions/{signed_sheet.pk}/feuille.pdf")
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in ("Session Laval printemps 2026", "Karim Benali", "Martin", "Durand"):
        assert expected in text
    assert "Diagnostic du logement" in text
    assert "10/03/2026 9 h 04" in text
    # Landscape A4: 842 × 595 points.
    assert re.search(rb"/MediaBox \[\s*0 0 841\.8898 595\.2756", content)


def pdf_text(content: bytes) -> str:
    """The text of every page, extracted by pypdf (fonts are embedded subsets)."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_printable_sheet_shows_each_half_day_with_signatures(client_as, signed_sheet, trainer):
    html = client_as(trainer).get(f"/formateur/sessions/{signed_sheet.pk}/feuille/").content
    html = html.decode()
    assert "Feuille d'émargement · Session Laval printemps 2026" in html
    assert "Formateur(s) : Karim Benali" in html
    assert "Organisme de formation : Collectif STOP Exclusion Énergétique" in html
    assert "heure du serveur" in html
    assert "Jour 7 · mardi 10 mars 2026 · Matin (9 h 00 – 12 h 30)" in html
    assert (
        "Module 3 · Diagnostic du logement · contresigné par Karim Benali le 10/03/2026 9 h 41"
        in html
    )
    assert "<td>Martin</td><td>Camille</td>" in html
    assert "<td>10/03/2026 9 h 04</td>" in html
    assert html.count("<strong>non contresigné</strong>") == 29
    assert "@page" not in html  # print rules live in the stylesheet


def test_sheet_blocks_are_built_from_the_selector_in_constant_queries(signed_sheet):
    with CaptureQueriesContext(connection) as queries:
        blocks = exports.sheet_blocks(session_sheet(signed_sheet))
    small = len(queries)
    enrol_group(signed_sheet, 20)
    with CaptureQueriesContext(connection) as queries:
        large_blocks = exports.sheet_blocks(session_sheet(signed_sheet))
    assert len(queries) == small <= 6
    assert len(blocks) == len(large_blocks) == 30
    assert len(large_blocks[0].lines) == 23


def test_an_empty_session_still_exports(client_as, session, trainer):
    client = client_as(trainer)
    rows = csv_rows(client.get(f"/formateur/sessions/{session.pk}/feuille.csv").content)
    assert rows == []
    assert client.get(f"/formateur/sessions/{session.pk}/feuille.pdf").content.startswith(b"%PDF")


def test_formulas_in_names_are_neutralised_in_the_csv(client_as, session, trainer):
    enrol(session, TraineeFactory(first_name="@SUM(A1)", last_name='=HYPERLINK("http://x")'))
    session.name = "+Session"
    session.save()
    response = client_as(trainer).get(f"/formateur/sessions/{session.pk}/feuille.csv")
    row = csv_rows(response.content)[0]
    assert row["Nom"] == '\'=HYPERLINK("http://x")'
    assert row["Prénom"] == "'@SUM(A1)"
    assert row["Session"] == "'+Session"


def test_the_csv_sorts_trainees_the_french_way(session):
    for last_name in ["Zola", "éluard", "Eymard", "de Gaulle", "Durand"]:
        enrol(session, TraineeFactory(last_name=last_name))
    rows = csv_rows(exports.sheet_csv(session_sheet(session)))
    assert [row["Nom"] for row in rows[:5]] == ["de Gaulle", "Durand", "éluard", "Eymard", "Zola"]


def test_the_pdf_names_the_training_body_and_how_signatures_were_collected(
    client_as, signed_sheet, trainer
):
    from lms.models import SiteSettings

    settings = SiteSettings.load()
    settings.organisation_siret = "12345678900012"
    settings.organisation_nda = "11755555575"
    settings.save()
    content = client_as(trainer).get(f"/formateur/sessions/{signed_sheet.pk}/feuille.pdf").content
    text = " ".join(pdf_text(content).split())
    assert f"Organisme de formation : {settings.organisation_name}" in text
    assert "SIRET 123 456 789 00012" in text and "11755555575" in text
    assert "compte personnel" in text and "heure du serveur" in text and "contresigne" in text
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.author == settings.organisation_name
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} / {total}" in page.extract_text()


def test_long_structure_names_and_any_script_are_printed_whole(client_as, session, trainer):
    from lms.models import Structure

    long_name = (
        "Association départementale pour l'information sur le logement et l'amélioration "
        "de l'habitat des Pyrénées-Orientales"
    )
    enrol(
        session,
        TraineeFactory(first_name="小龍", last_name="李"),
        structure=Structure.objects.create(name=long_name),
    )
    enrol(session, TraineeFactory(first_name="Łukasz", last_name="Żółć"))
    content = client_as(trainer).get(f"/formateur/sessions/{session.pk}/feuille.pdf").content
    text = " ".join(pdf_text(content).split())
    assert long_name in text
    assert "李" in text and "小龍" in text and "Żółć" in text
