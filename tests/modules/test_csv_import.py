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
def test_staff_accounts_are_refused(session):
    TrainerFactory(email="marc.vidal@exemple.fr")
    errors = [str(e) for e in check(session, GOOD.encode()).errors]
    assert errors == ["ligne 3, colonne email : ce compte n'est pas un compte de stagiaire"]


@pytest.mark.django_db
def test_reimporting_enrols_the_new_people_and_lists_the_others_as_already_enrolled(session):
    csv_import(session=session, raw=GOOD.encode(), status="confirmed")
    more = GOOD + "ines.abadie@exemple.fr;Inès;Abadie;;;\n"
    report = csv_import(session=session, raw=more.encode())
    assert report.ok
    assert [e.trainee.email for e in report.enrolments] == ["ines.abadie@exemple.fr"]
    assert [(row.line, row.already_enrolled) for row in report.already_enrolled] == [
        (2, "Confirmé·e"),
        (3, "Confirmé·e"),
    ]
    assert session.enrolments.count() == 3


@pytest.mark.django_db
def test_people_already_enrolled_take_no_seat_in_the_capacity_check(session):
    csv_import(session=session, raw=GOOD.encode())
    EnrolmentFactory.create_batch(2, session=session)  # 4 of 5 seats taken
    more = GOOD + "ines.abadie@exemple.fr;Inès;Abadie;;;\n"
    report = csv_import(session=session, raw=more.encode())
    assert report.ok and len(report.enrolments) == 1


@pytest.mark.django_db
def test_capacity_is_checked_for_the_whole_file(session):
    EnrolmentFactory.create_batch(4, session=session)
    report = csv_import(session=session, raw=GOOD.encode())
    assert [str(e) for e in report.errors] == [
        "ligne 3 : la session est complète à partir de cette ligne : 5 places, 4 déjà occupées, "
        "1 disponibles pour 2 nouvelles inscriptions."
    ]
    assert Enrolment.objects.count() == 4


# --- Files as people make them (issue 11, kind 8) ---------------------------------------------


@pytest.mark.django_db
def test_a_windows_1252_file_is_read_with_its_accents(session):
    raw = (HEADER + "lucie@exemple.fr;Lucie;Bonnet;;;\nandre@exemple.fr;André;Rê;;;\n").encode(
        "cp1252"
    )
    report = check(session, raw)
    assert report.ok and report.encoding == "Windows-1252"
    assert (report.rows[1].first_name, report.rows[1].last_name) == ("André", "Rê")


@pytest.mark.django_db
def test_a_utf16_file_with_tabs_as_excel_saves_unicode_text_is_read(session):
    raw = ("email\tprenom\tnom\r\nlucie@exemple.fr\tLucie\tBœuf\r\n").encode("utf-16")
    report = check(session, raw)
    assert report.ok and report.encoding == "UTF-16"
    assert report.rows[0].last_name == "Bœuf"


@pytest.mark.django_db
def test_a_binary_file_is_refused_with_the_accepted_encodings(session):
    report = check(session, bytes(range(256)) * 4)
    assert report.errors[0].message.startswith("encodage du fichier non reconnu (acceptés : UTF-8")


def test_carriage_return_only_line_endings_are_read():
    rows, errors = parse(GOOD.replace("\n", "\r"))
    assert errors == []
    assert [(row.line, row.last_name) for row in rows] == [(2, "Bonnet"), (3, "Vidal")]


def test_excel_sep_line_is_accepted_and_counted_in_line_numbers():
    rows, errors = parse(
        "sep=,\r\nemail,prenom,nom\r\nlucie@exemple.fr,Lucie,Bonnet\r\nx,Marc,Vidal\r\n"
    )
    assert [row.first_name for row in rows] == ["Lucie", "Marc"]
    assert [str(error) for error in errors] == ["ligne 4, colonne email : adresse invalide"]


def test_the_delimiter_is_found_even_when_values_contain_the_other_one():
    rows, errors = parse(
        'email,prenom,nom,structure\nlucie@exemple.fr,Lucie,Bonnet,"CCAS; Laval"\n'
    )
    assert errors == [] and rows[0].structure_name == "CCAS; Laval"


def test_a_nul_byte_is_an_error_with_its_line_and_column_not_a_crash():
    _, errors = parse(HEADER + "lucie@exemple.fr;Lu\x00cie;Bonnet;;;\n")
    assert [str(error) for error in errors] == [
        "ligne 2, colonne prenom : caractère de contrôle (octet nul, saut de page…) refusé"
    ]


def test_an_unclosed_quote_is_an_error_not_a_crash():
    _, errors = parse(HEADER + 'lucie@exemple.fr;"Lucie;Bonnet;;;\n')
    assert errors and errors[0].line >= 2


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+33", "-1", "@SUM(A1)", "\t=1+1"])
def test_spreadsheet_formulas_are_refused_in_names_with_line_and_column(name):
    _, errors = parse(HEADER + f"lucie@exemple.fr;Lucie;{name};;;\n")
    assert len(errors) == 1
    assert str(errors[0]).startswith("ligne 2, colonne nom : commence par « ")
    assert "formule" in errors[0].message


def test_a_phone_number_may_start_with_plus():
    rows, errors = parse(HEADER + "lucie@exemple.fr;Lucie;Bonnet;+33 6 11 22 33 44;;\n")
    assert errors == [] and rows[0].phone == "+33 6 11 22 33 44"


def test_the_example_file_is_utf8_with_bom_and_parses():
    from pathlib import Path

    raw = (Path(__file__).resolve().parents[2] / "fixtures" / "enrolment-example.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows, errors = parse(raw.decode("utf-8-sig"))
    assert errors == [] and rows


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


@pytest.mark.django_db
def test_reimport_view_lists_people_already_enrolled(client_as, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    StructureFactory(name="CCAS de Laval")
    session = TrainingSessionFactory(trainers=[trainer], generate_slots=False)
    client = client_as(trainer)
    url = f"/formation/inscriptions/import/{session.pk}/"
    client.post(url, {"fichier": SimpleUploadedFile("a.csv", GOOD.encode()), "statut": "confirmed"})
    more = GOOD + "ines.abadie@exemple.fr;Inès;Abadie;;;\n"
    response = client.post(
        url,
        {"fichier": SimpleUploadedFile("a.csv", more.encode("cp1252")), "statut": "confirmed"},
        follow=True,
    )
    html = response.content.decode()
    assert "1 stagiaire(s) inscrit·e(s)" in html
    assert "2 personne(s) déjà inscrite(s)" in html
    assert "Lucie Bonnet (ligne 2, Confirmé·e)" in html
    assert session.enrolments.count() == 3


@pytest.mark.django_db
def test_import_view_with_cr_only_line_endings_is_not_a_500(client_as, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = TrainingSessionFactory(trainers=[trainer], generate_slots=False)
    raw = ("sep=;\r" + GOOD.replace("\n", "\r").replace("CCAS de Laval", "")).encode("cp1252")
    response = client_as(trainer).post(
        f"/formation/inscriptions/import/{session.pk}/",
        {"fichier": SimpleUploadedFile("mac.csv", raw), "statut": "confirmed"},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 stagiaire(s) inscrit·e(s)" in response.content.decode()


@pytest.mark.django_db
def test_import_page_says_which_encodings_it_accepts_and_sorts_names_the_french_way(
    client_as, trainer
):
    session = TrainingSessionFactory(trainers=[trainer], generate_slots=False)
    for last_name in ["Zola", "émile", "Eymard", "de Gaulle", "Durand"]:
        EnrolmentFactory(session=session, trainee=TraineeFactory(last_name=last_name))
    html = client_as(trainer).get(f"/formation/inscriptions/import/{session.pk}/").content.decode()
    assert "Windows-1252" in html and "UTF-8" in html
    positions = [html.index(name) for name in ["de Gaulle", "Durand", "émile", "Eymard", "Zola"]]
    assert positions == sorted(positions)
