"""CSV enrolment import: all-or-nothing, a French report per line, BOM and delimiters."""

import pytest

from lms.models import User
from modules.csv_import import check, csv_import, parse
from modules.models import Enrolment
from tests.factories import (
    EnrolmentFactory,
    StructureFactory,
    TraineeFactory,
    TrainerFactory,
    TrainingSessionFactory,
)

HEADER = "email;prenom;nom;telephone;structure;financeur\n"
GOOD = HEADER + (
    "lucie.bonnet@exemple.fr;Lucie;Bonnet;06 11 22 33 44;CCAS de Laval;TZEE\n"
    "marc.vidal@exemple.fr;Marc;Vidal;;;Employeur\n"
)


def messages(text: str) -> list[str]:
    return [str(error) for error in parse(text)[1]]


def test_parse_reports_each_error_with_its_line_and_column():
    text = HEADER + (
        "pas-une-adresse;Lucie;Bonnet;;;\n"
        "marc@exemple.fr;;Vidal;;;\n"
        "marc@exemple.fr;Marc;Vidal;;;\n"
        "trop;peu\n"
    )
    assert messages(text) == [
        "ligne 2, colonne email : adresse invalide",
        "ligne 3, colonne prenom : valeur obligatoire manquante",
        "ligne 4, colonne email : adresse déjà présente ligne 3",
        "ligne 5 : 2 colonnes au lieu de 6.",
    ]


def test_parse_requires_the_header():
    assert messages("lucie@exemple.fr;Lucie;Bonnet;;;\n")[0].startswith(
        "ligne 1 : colonnes manquantes dans l'en-tête"
    )


def test_parse_accepts_commas_accents_in_header_and_blank_lines():
    text = "Email,Prénom,Nom,Téléphone,Structure,Financeur\n\nlucie@exemple.fr,Lucie,Bonnet,,,\n"
    rows, errors = parse(text)
    assert errors == []
    assert rows[0].line == 3 and rows[0].first_name == "Lucie"


def test_parse_of_an_empty_file():
    assert messages("") == ["ligne 1 : le fichier est vide."]


@pytest.fixture
def session(db):
    StructureFactory(name="CCAS de Laval")
    return TrainingSessionFactory(capacity=5, generate_slots=False)


@pytest.mark.django_db
def test_good_file_creates_accounts_and_enrolments(session):
    report = csv_import(session=session, raw=("\ufeff" + GOOD).encode("utf-8"))
    assert report.ok and report.created_accounts == 2
    lucie = User.objects.get(email="lucie.bonnet@exemple.fr")
    assert not lucie.has_usable_password()
    assert lucie.groups.filter(name="Stagiaire").exists()
    assert lucie.structure.name == "CCAS de Laval"
    enrolment = Enrolment.objects.get(trainee=lucie)
    assert (enrolment.session, enrolment.funder, enrolment.status) == (
        session,
        "TZEE",
        "pre_registered",
    )


@pytest.mark.django_db
def test_an_existing_trainee_is_enrolled_without_a_new_account(session):
    existing = TraineeFactory(email="marc.vidal@exemple.fr", first_name="Marc")
    report = csv_import(session=session, raw=GOOD.encode(), status="confirmed")
    assert report.ok and report.created_accounts == 1
    assert Enrolment.objects.get(trainee=existing).status == "confirmed"


@pytest.mark.django_db
def test_one_bad_line_imports_nothing(session):
    text = GOOD + "x;Jean;Dupont;;Structure inconnue;\n"
    report = csv_import(session=session, raw=text.encode())
    assert [str(e) for e in report.errors] == [
        "ligne 4, colonne email : adresse invalide",
        "ligne 4, colonne structure : structure inconnue « Structure inconnue » : "
        "vérifiez l'orthographe ou demandez à la coordination de la créer",
    ]
    assert not Enrolment.objects.exists()
    assert not User.objects.filter(email__endswith="@exemple.fr", enrolments__isnull=False)
    assert not User.objects.filter(email="lucie.bonnet@exemple.fr").exists()


@pytest.mark.django_db
def test_already_enrolled_and_staff_accounts_are_refused(session):
    EnrolmentFactory(session=session, trainee=TraineeFactory(email="lucie.bonnet@exemple.fr"))
    TrainerFactory(email="marc.vidal@exemple.fr")
    errors = [str(e) for e in check(session, GOOD.encode()).errors]
    assert errors[0].startswith("ligne 2, colonne email : déjà inscrit·e")
    assert errors[1] == "ligne 3, colonne email : ce compte n'est pas un compte de stagiaire"


@pytest.mark.django_db
def test_capacity_is_checked_for_the_whole_file(session):
    EnrolmentFactory.create_batch(4, session=session)
    report = csv_import(session=session, raw=GOOD.encode())
    assert [str(e) for e in report.errors] == [
        "ligne 3 : la session est complète à partir de cette ligne : 5 places, 4 déjà occupées, "
        "1 disponibles pour 2 lignes."
    ]
    assert Enrolment.objects.count() == 4


@pytest.mark.django_db
def test_a_file_not_in_utf8_is_refused_with_its_line(session):
    raw = (HEADER + "lucie@exemple.fr;Lucie;Bonnet;;;\nandre@exemple.fr;André;Rê;;;\n").encode(
        "latin-1"
    )
    assert str(check(session, raw).errors[0]).startswith("ligne 3 : le fichier n'est pas en UTF-8")


# --- The import view: who may use it ----------------------------------------------------------


@pytest.mark.django_db
def test_trainer_imports_into_their_session_and_sees_the_report(client_as, trainer):
    StructureFactory(name="CCAS de Laval")
    session = TrainingSessionFactory(trainers=[trainer], generate_slots=False)
    client = client_as(trainer)
    url = f"/formation/inscriptions/import/{session.pk}/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("stagiaires.csv", (GOOD + "x;;Dupont;;;\n").encode())
    response = client.post(url, {"fichier": bad, "statut": "confirmed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ligne 4, colonne email : adresse invalide" in html
    assert "ligne 4, colonne prenom : valeur obligatoire manquante" in html
    assert "Aucune inscription n&#x27;a été faite" in html
    good = SimpleUploadedFile("stagiaires.csv", GOOD.encode())
    response = client.post(url, {"fichier": good, "statut": "confirmed"}, follow=True)
    assert "2 stagiaire(s) inscrit·e(s)" in response.content.decode()
    assert session.enrolments.filter(status="confirmed").count() == 2


@pytest.mark.django_db
def test_import_of_another_trainers_session_is_a_404(client_as, trainer):
    session = TrainingSessionFactory(trainers=[TrainerFactory()], generate_slots=False)
    assert (
        client_as(trainer).get(f"/formation/inscriptions/import/{session.pk}/").status_code == 404
    )


@pytest.mark.django_db
def test_coordinator_may_import_into_any_session(client_as, coordinator):
    session = TrainingSessionFactory(generate_slots=False)
    assert (
        client_as(coordinator).get(f"/formation/inscriptions/import/{session.pk}/").status_code
        == 200
    )


@pytest.mark.django_db
def test_trainees_and_visitors_cannot_import(client, client_as, trainee):
    session = TrainingSessionFactory(generate_slots=False)
    url = f"/formation/inscriptions/import/{session.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    assert client_as(trainee).get(url).status_code == 403


def test_optional_columns_may_be_left_out_of_the_header():
    from modules.csv_import import parse

    rows, errors = parse("email;prenom;nom\nines@exemple.fr;Inès;Abadie\n")
    assert errors == []
    assert rows[0].email == "ines@exemple.fr"


def test_a_wrong_separator_is_named_in_the_error():
    from modules.csv_import import parse

    _, errors = parse("email|prenom|nom\nines@exemple.fr|Inès|Abadie\n")
    assert "séparateur" in errors[0].message
