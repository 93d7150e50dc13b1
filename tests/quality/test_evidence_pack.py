"""The evidence pack: every listed file, an index mapping each to Qualiopi indicators, the same
bytes for the same data, no health detail, built in the background, for the session's trainers
and the coordination only."""

import csv
import datetime
import functools
import io
import zipfile
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.quality import pack
from assessments.quality.models import EvidencePack
from assessments.quality.services import complaint_file, evidence_pack_request
from modules.models import Attendance
from tests.factories import (
    AccommodationFactory,
    EnrolmentFactory,
    TrainingSessionFactory,
)

MONDAY = datetime.date(2026, 3, 2)
def _today():
    """Today in Paris, read when a test runs (a run may cross midnight): the complaint of the
    fixture is filed today."""
    return timezone.localdate()


def test_zip_is_ordered_dated_and_indexed():
    files = [
        pack.PackFile("b.csv", b"b", "surveys", "B"),
        pack.PackFile("a.csv", b"a", "complaints", "A"),
    ]
    content = pack.zip_files(files, stamp=datetime.date(2026, 5, 1))
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.namelist() == ["00-index.csv", "a.csv", "b.csv"]
    assert {info.date_time for info in archive.infolist()} == {(2026, 5, 1, 0, 0, 0)}
    assert content == pack.zip_files(list(reversed(files)), stamp=datetime.date(2026, 5, 1))


@pytest.fixture
def session(home_page, trainer):
    from assessments.seed import seed as seed_assessments
    from modules.seed import seed_programme

    seed_programme()
    seed_assessments()
    session = TrainingSessionFactory(week1_start=MONDAY, name="Session de Laval")
    session.trainers.add(trainer)
    return session


@pytest.fixture
def enrolment(session, trainee):
    enrolment = EnrolmentFactory(session=session, trainee=trainee, status="completed")
    for slot in session.slots.all()[:4]:
        Attendance.objects.create(enrolment=enrolment, slot=slot, status="present")
    AccommodationFactory(
        trainee=trainee,
        time_factor=Decimal("1.5"),
        starts_on=MONDAY,
        confidential_note="Sclérose en plaques",
    )
    complaint_file(
        by=trainee,
        kind="complaint",
        filer_name="Camille Martin",
        filer_email="c@exemple.fr",
        filer_role="trainee",
        subject="Salle froide",
        description="Chauffage en panne le lundi.",
        session=session,
    )
    return enrolment


def _index(content: bytes) -> list[dict]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    text = archive.read("00-index.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.mark.django_db
def test_the_pack_holds_every_listed_file_mapped_to_its_indicators(session, enrolment):
    content = pack.build_pack(session, as_of=_today())
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    index = {row["Fichier"]: row for row in _index(content)}
    assert set(index) == set(names) - {"00-index.csv"}
    expected = {
        "01-programme-et-objectifs.pdf": "1, 5, 6",
        "02-calendrier.csv": "6, 9",
        "03-feuille-emargement.pdf": "10, 12",
        "05-positionnement.csv": "8",
        "06-evaluations-par-stagiaire.csv": "11",
        "07-competences-par-stagiaire.csv": "11",
        "08-satisfaction.csv": "2, 30",
        "09-reclamations-et-incidents.csv": "31, 32",
        "10-amenagements.csv": "26",
    }
    for name, indicators in expected.items():
        assert index[name]["Indicateurs Qualiopi"] == indicators, name
    certificates = [name for name in names if name.startswith("04-certificats-realisation/")]
    assert len(certificates) == 1 and index[certificates[0]]["Indicateurs Qualiopi"] == "11, 12"
    for name in names:
        if name.endswith(".pdf"):
            assert archive.read(name).startswith(b"%PDF")
    assert "Salle froide" in archive.read("09-reclamations-et-incidents.csv").decode("utf-8-sig")
    timetable = archive.read("02-calendrier.csv").decode("utf-8-sig").splitlines()
    assert len(timetable) == 31  # header and the 30 half-days


@pytest.mark.django_db
def test_no_health_detail_and_no_complainant_in_the_pack(session, enrolment):
    archive = zipfile.ZipFile(io.BytesIO(pack.build_pack(session, as_of=_today())))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert "Sclérose".encode() not in everything
    accommodations = archive.read("10-amenagements.csv").decode("utf-8-sig")
    assert "1,5" in accommodations and "Sujets en gros caractères" in accommodations
    complaints = archive.read("09-reclamations-et-incidents.csv").decode("utf-8-sig")
    assert "c@exemple.fr" not in complaints


@pytest.mark.django_db
def test_the_same_data_gives_the_same_bytes(session, enrolment):
    assert pack.build_pack(session, as_of=_today()) == pack.build_pack(session, as_of=_today())


@pytest.mark.django_db
def test_requesting_builds_in_the_background_and_downloads(
    client_as, session, enrolment, trainer, django_capture_on_commit_callbacks
):
    client = client_as(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quality:evidence_pack_request", args=[session.pk]))
    assert response.status_code == 302
    built = EvidencePack.objects.get()
    assert built.status == EvidencePack.Status.READY and built.size > 1000
    page = client.get(reverse("quality:session", args=[session.pk])).content.decode()
    assert reverse("quality:evidence_pack", args=[built.pk]) in page
    download = client.get(reverse("quality:evidence_pack", args=[built.pk]))
    assert download["Content-Type"] == "application/zip"
    assert pack.sha256(download.content) == built.sha256
    assert "00-index.csv" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()


@pytest.mark.django_db
def test_only_the_sessions_trainers_and_the_coordination(
    client_as, session, trainee, coordinator, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    from tests.factories import TrainerFactory

    stranger = TrainerFactory()
    with pytest.raises(PermissionDenied):
        evidence_pack_request(by=stranger, session=session)
    url = reverse("quality:session", args=[session.pk])
    assert client_as(stranger).get(url).status_code == 404
    assert client_as(trainee).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        evidence_pack_request(by=coordinator, session=session)
    built = EvidencePack.objects.get()
    download = reverse("quality:evidence_pack", args=[built.pk])
    assert client_as(stranger).get(download).status_code == 404
    assert client_as(coordinator).get(download).status_code == 200


@pytest.mark.django_db
def test_the_demo_sessions_pack_holds_every_listed_file(home_page):
    """The pack of the seeded demo session (answered surveys, an accommodation, a closed
    complaint): every file the index lists is in the ZIP and every file is indexed with its
    Qualiopi indicators; the demo's real data is in it."""
    from django.core.management import call_command

    from modules.models import TrainingSession

    call_command("seed_demo", stdout=io.StringIO())
    demo = TrainingSession.objects.get(slug="demonstration-carcassonne")
    content = pack.build_pack(demo, as_of=_today())
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = set(archive.namelist())
    index = {row["Fichier"]: row for row in _index(content)}
    assert set(index) == names - {"00-index.csv"}
    assert all(row["Indicateurs Qualiopi"] for row in index.values())
    for name in (
        "01-programme-et-objectifs.pdf",
        "02-calendrier.csv",
        "03-feuille-emargement.pdf",
        "05-positionnement.csv",
        "06-evaluations-par-stagiaire.csv",
        "07-competences-par-stagiaire.csv",
        "08-satisfaction.csv",
        "09-reclamations-et-incidents.csv",
        "10-amenagements.csv",
    ):
        assert name in names, name
    assert any(name.startswith("04-certificats-realisation/") for name in names)
    surveys = archive.read("08-satisfaction.csv").decode("utf-8-sig").splitlines()
    assert len(surveys) > 1  # the seeded answers, not just a header


@pytest.mark.django_db
def test_a_second_request_while_the_pack_is_built_reuses_it(
    client_as, session, enrolment, trainer, coordinator, django_capture_on_commit_callbacks
):
    url = reverse("quality:evidence_pack_request", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=False) as first:
        client_as(trainer).post(url)
    with django_capture_on_commit_callbacks(execute=False) as second:
        page = client_as(coordinator).post(url, follow=True).content.decode()
    assert EvidencePack.objects.count() == 1
    builds = [  # one build, hence one notification e-mail
        callback for callback in [*first, *second] if isinstance(callback, functools.partial)
    ]
    assert len(builds) == 1
    assert "Ce dossier de preuves est déjà en préparation" in page
    # A pack left "en préparation" for too long (worker stopped) does not block a new one.
    EvidencePack.objects.update(requested_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False):
        client_as(trainer).post(url)
    assert EvidencePack.objects.count() == 2


@pytest.mark.django_db
def test_requests_are_capped_per_account(client_as, session, enrolment, trainer):
    client = client_as(trainer)
    url = reverse("quality:evidence_pack_request", args=[session.pk])
    for _ in range(10):
        assert client.post(url).status_code == 302
    assert client.post(url).status_code == 429
