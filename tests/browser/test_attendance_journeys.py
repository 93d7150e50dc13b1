"""Attendance journeys in a real browser: the trainee signs on "Aujourd'hui", the trainer
counter-signs the group on a tablet and exports the sheet.

The clock is frozen by monkeypatching `modules.clock.now`; the live server runs in a thread of
this process, so it reads the same frozen time (no freezegun needed).
"""

import csv
import io
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from modules.services.attendance import attendance_sign
from tests.factories import TraineeFactory
from tests.modules.attendance_support import (
    TODAY,
    attach_modules,
    enrol,
    enrol_group,
    freeze,
    make_module,
    make_programme,
    make_session,
    paris,
    slot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "## Le diagnostic en visite\n\nRepérer les **désordres** du logement pièce par pièce."


@pytest.fixture
def module(home_page):
    programme = make_programme(home_page)
    return make_module(programme, 3, title="Diagnostic du logement", body=[("markdown", BODY)])


@pytest.fixture
def session(trainer, module):
    session = make_session(trainers=[trainer], name="Session Laval printemps 2026")
    attach_modules(session, {(7, "am"): [module]})
    return session


def test_trainee_signs_on_aujourdhui_then_opens_the_module(
    page, login, monkeypatch, session, trainee
):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    login(trainee)
    expect(page).to_have_url(re.compile(r"/aujourdhui/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Semaine 2 · Jour 7")
    expect(page.get_by_role("link", name="Aujourd'hui")).to_have_attribute("aria-current", "page")
    progress = page.get_by_role("progressbar", name=re.compile("Jours de formation passés"))
    expect(progress).to_have_attribute("value", "6")

    page.get_by_role("button", name="Signer ma présence", exact=True).click()
    morning = page.get_by_role("region", name=re.compile("^Matin"))
    expect(morning.get_by_text("Présence signée à 9 h 04")).to_be_visible()
    expect(page.get_by_role("button", name="Signer ma présence", exact=True)).to_have_count(0)

    page.get_by_role("link", name=re.compile("Ouvrir le module 3")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diagnostic du logement")
    body = page.get_by_test_id("module-body")
    expect(body.get_by_role("heading", name="Le diagnostic en visite")).to_be_visible()
    expect(body).to_contain_text("pièce par pièce")


def test_trainee_signing_the_next_day_is_told_why_in_french(
    page, login, monkeypatch, session, trainee
):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 7, 50))
    login(trainee)
    expect(page.get_by_text("L'émargement ouvre à 8 h 30.").first).to_be_visible()
    expect(page.get_by_role("button", name="Signer ma présence", exact=True)).to_have_count(0)


def test_trainer_counter_signs_forty_on_a_tablet_and_exports_the_sheet(
    page, login, monkeypatch, session, trainer
):
    page.set_viewport_size({"width": 810, "height": 1080})
    absent = enrol(session, TraineeFactory(first_name="Jules", last_name="Durand"))
    excused = enrol(session, TraineeFactory(first_name="Zoé", last_name="Éluard"))
    signer = enrol(session, TraineeFactory(first_name="Camille", last_name="Martin"))
    group = enrol_group(session, 37)
    morning = slot(session, 7, "am")
    for enrolment in [signer, absent, excused, *group]:
        attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 4))
    freeze(monkeypatch, paris(TODAY, 9, 40))

    login(trainer)
    expect(page).to_have_url(re.compile(r"/formateur/sessions/$"))
    started = time.monotonic()
    page.get_by_role("link", name="Émarger · jour 7, matin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Émargement · jour 7, matin")
    expect(page.get_by_role("group")).to_have_count(40)
    expect(page.get_by_text("40 signatures de stagiaire sur 40")).to_be_visible()

    page.get_by_role("group", name=re.compile("DURAND Jules")).get_by_text("Absent·e").click()
    page.get_by_role("group", name=re.compile("ÉLUARD Zoé")).get_by_text(
        "Absence justifiée"
    ).click()
    expect(page.get_by_role("radio", name="Absent·e").and_(page.locator(":checked"))).to_have_count(
        1
    )
    page.get_by_role("button", name="Contresigner").click()
    expect(
        page.get_by_text("Demi-journée contresignée (matin du mardi 10 mars 2026).")
    ).to_be_visible()
    assert time.monotonic() - started < 60
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    page.get_by_role("link", name=f"← {session.name}").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    day7 = [row for row in rows if (row["Jour"], row["Demi-journée"]) == ("7", "Matin")]
    assert len(day7) == 40
    morning_rows = {row["Nom"]: row for row in day7}
    assert morning_rows["Durand"]["Statut"] == "Absent·e"
    assert morning_rows["Éluard"]["Statut"] == "Absence justifiée"
    assert morning_rows["Martin"]["Statut"] == "Présent·e"
    assert morning_rows["Martin"]["Signature stagiaire"] == "2026-03-10 09:04:00"
    assert morning_rows["Martin"]["Contresignature formateur"] == "2026-03-10 09:40:00"
    assert morning_rows["Martin"]["Contresigné par"] == "Karim Benali"

    page.get_by_role("link", name="Feuille d'émargement (imprimable)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Feuille d'émargement · Session Laval printemps 2026"
    )
    expect(
        page.get_by_text("Jour 7 · mardi 10 mars 2026 · Matin (9 h 00 – 12 h 30)")
    ).to_be_visible()


def test_trainer_corrects_a_status_with_a_reason(page, login, monkeypatch, session, trainer):
    absent = enrol(session, TraineeFactory(first_name="Jules", last_name="Durand"))
    freeze(monkeypatch, paris(TODAY, 9, 40))
    login(trainer, next_url=f"?next=/formateur/creneaux/{slot(session, 7).pk}/emargement/")
    page.get_by_role("group", name=re.compile("DURAND Jules")).get_by_text("Absent·e").click()
    page.get_by_role("button", name="Contresigner").click()

    page.get_by_text("Corriger le statut de Jules Durand").click()
    page.get_by_label("Nouveau statut").select_option(label="Absence justifiée")
    page.get_by_role("button", name="Enregistrer la correction").click()
    # The browser's own `required` check stops an empty reason; the server says so too.
    expect(page.get_by_label("Motif de la correction")).to_be_focused()
    page.get_by_label("Motif de la correction").fill("Certificat médical apporté")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Correction enregistrée.")).to_be_visible()
    history = page.get_by_role("list", name="Historique des corrections de Jules Durand")
    expect(history).to_contain_text("Absent·e → Absence justifiée · motif : Certificat médical")
    assert absent.attendances.get().status == "excused"


def test_trainer_marks_the_whole_group_present_in_one_tap(
    page, login, monkeypatch, session, trainer
):
    group = enrol_group(session, 3)
    late = enrol(session, TraineeFactory(first_name="Jules", last_name="Durand"))
    freeze(monkeypatch, paris(TODAY, 9, 15))
    login(trainer, next_url=f"?next=/formateur/creneaux/{slot(session, 7).pk}/emargement/")
    # Nobody has signed yet: everyone is proposed absent.
    expect(page.locator("input[value=absent]:checked")).to_have_count(4)
    page.get_by_role("button", name="Tout le groupe présent").click()
    expect(page.locator("input[value=present]:checked")).to_have_count(4)
    page.get_by_role("group", name=re.compile("DURAND Jules")).get_by_text("Absent·e").click()
    page.get_by_role("button", name="Contresigner").click()
    expect(page.get_by_text("Demi-journée contresignée", exact=False).first).to_be_visible()
    statuses = {e.pk: e.attendances.get().status for e in [*group, late]}
    assert statuses == {**{e.pk: "present" for e in group}, late.pk: "absent"}


def test_aujourdhui_and_the_counter_sign_screen_fit_a_320px_phone(
    page, login, monkeypatch, session, trainee, trainer
):
    enrol(session, trainee)
    enrol_group(session, 3)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    page.set_viewport_size({"width": 320, "height": 640})
    login(trainee)
    expect(page.get_by_role("button", name="Signer ma présence", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.get_by_role("button", name="Se déconnecter").click()
    login(trainer, next_url=f"?next=/formateur/creneaux/{slot(session, 7).pk}/emargement/")
    expect(page.get_by_role("button", name="Contresigner")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_trainee_signs_offline_and_the_signature_is_sent_when_the_network_returns(
    page, login, monkeypatch, session, trainee
):
    """Poor Wi-Fi (issue 11, kind 6): the tap is kept on the device with its time, the page
    says so, and the signature is accepted at the tap's time once the network is back."""
    from datetime import timedelta

    from modules.models import Attendance, DeferredSignature

    enrolment = enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9, 5))
    page.clock.set_fixed_time(paris(TODAY, 9, 5))
    login(trainee)
    morning = page.get_by_role("region", name=re.compile("^Matin"))

    page.context.set_offline(True)
    page.get_by_role("button", name="Signer ma présence", exact=True).click()
    expect(morning.get_by_text("Hors ligne — signature en attente")).to_be_visible()
    expect(morning.get_by_text("donnée à 9 h 05")).to_be_visible()
    assert "claimedAt" in page.evaluate("localStorage.getItem('ensemblier-signatures')")
    assert not Attendance.objects.filter(trainee_signed_at__isnull=False).exists()

    # Twenty minutes later the Wi-Fi comes back.
    freeze(monkeypatch, paris(TODAY, 9, 25) + timedelta(seconds=30))
    page.clock.set_fixed_time(paris(TODAY, 9, 25))
    page.context.set_offline(False)
    expect(morning.get_by_text("Présence signée à 9 h 05")).to_be_visible()
    expect(page.get_by_role("button", name="Signer ma présence", exact=True)).to_have_count(0)
    assert page.evaluate("localStorage.getItem('ensemblier-signatures')") is None

    attendance = Attendance.objects.get(enrolment=enrolment, slot=slot(session, 7, "am"))
    assert attendance.trainee_signed_at == paris(TODAY, 9, 5) + timedelta(seconds=30)
    record = DeferredSignature.objects.get()
    assert record.accepted and record.received_at == paris(TODAY, 9, 25) + timedelta(seconds=30)
