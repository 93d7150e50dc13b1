"""Enrolment of trainees from a CSV file: check every line first, import all or nothing.

Columns: email;prenom;nom;telephone;structure;financeur (";", "," or tab as delimiter, Excel's
`sep=;` first line accepted, CR, LF or CRLF line endings, header line required, column names
without accents or case). Encodings: see `lms.csvfiles.read_text` (UTF-8, UTF-16, Windows-1252,
ISO-8859-1). Every error names its line and column, in French: "ligne 4, colonne email :
adresse invalide".

Decisions: an unknown structure is an error (no structure is created from a file: a typo would
create a duplicate); an e-mail that belongs to an existing trainee enrols that trainee (their
name is not changed); an e-mail of a trainer or coordinator is refused; a person already
enrolled in the session is listed as "déjà inscrit·e" and skipped, so that a file can be imported
again after new lines were added; a first name, last name or funder that a spreadsheet would run
as a formula (`=`, `+`, `-`, `@`, see `lms.csvfiles`) is refused.
"""

import csv
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from lms.csvfiles import (
    ACCEPTED_ENCODINGS_LABEL,
    UndecodableFile,
    fold,
    looks_like_formula,
    read_text,
    reader,
    sniff_layout,
)
from lms.identity import normalise_email
from lms.models import Structure, User
from lms.notifications.services import invite
from lms.roles import Role

from .models import Enrolment, TrainingSession
from .services.enrolment import enrolment_create

COLUMNS = ["email", "prenom", "nom", "telephone", "structure", "financeur"]
REQUIRED = {"email", "prenom", "nom"}
MAX_BYTES = 1_000_000
MAX_LENGTHS = {"prenom": 150, "nom": 150, "telephone": 30, "financeur": 200, "email": 254}
# Free text stored and later exported: no spreadsheet formula in it (a phone number may start
# with "+", a structure must match an existing one).
NO_FORMULA = ("prenom", "nom", "financeur")


@dataclass(frozen=True)
class CsvError:
    line: int
    column: str | None
    message: str

    def __str__(self):
        if self.column:
            return f"ligne {self.line}, colonne {self.column} : {self.message}"
        return f"ligne {self.line} : {self.message}"


@dataclass
class CsvRow:
    line: int
    email: str
    first_name: str
    last_name: str
    phone: str
    structure_name: str
    funder: str
    structure: Structure | None = None
    user: User | None = None
    already_enrolled: str = ""  # the status label of this person's enrolment in the session


@dataclass
class CsvReport:
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[CsvError] = field(default_factory=list)
    created_accounts: int = 0
    enrolments: list[Enrolment] = field(default_factory=list)
    encoding: str = ""

    @property
    def already_enrolled(self) -> list[CsvRow]:
        return [row for row in self.rows if row.already_enrolled]

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_by_line(self) -> dict[int, list[CsvError]]:
        grouped: dict[int, list[CsvError]] = {}
        for error in self.errors:
            grouped.setdefault(error.line, []).append(error)
        return grouped


class CsvFileError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.error = CsvError(line, None, message)


def decode(raw: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding; `CsvFileError` when too big or unreadable."""
    if len(raw) > MAX_BYTES:
        raise CsvFileError(1, "le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers.")
    try:
        decoded = read_text(raw)
    except UndecodableFile as error:
        raise CsvFileError(
            error.line,
            f"encodage du fichier non reconnu (acceptés : {ACCEPTED_ENCODINGS_LABEL}) : "
            "enregistrez-le en « CSV UTF-8 » depuis votre tableur.",
        ) from error
    return decoded.text, decoded.encoding


def parse(text: str) -> tuple[list[CsvRow], list[CsvError]]:
    """Read and check the lines on their own (no database): header, columns, e-mail, names,
    lengths, duplicates within the file."""
    if not text.strip():
        return [], [CsvError(1, None, "le fichier est vide.")]
    lines = reader(text, sniff_layout(text, expected=frozenset(COLUMNS)))
    rows: list[CsvRow] = []
    errors: list[CsvError] = []
    try:
        header = _parse_lines(lines, rows, errors)
    except csv.Error as error:
        # A NUL byte, an unclosed quote at the end of the file…: say where, import nothing.
        return [], [CsvError(lines.line_num or 1, None, f"ligne illisible ({error}).")]
    if header is not None and not rows and not errors:
        errors.append(CsvError(lines.line_num or 1, None, "aucune ligne de stagiaire."))
    return rows, errors


def _parse_lines(lines, rows: list[CsvRow], errors: list[CsvError]) -> list[str] | None:
    """Fill `rows` and `errors` from the reader's lines; return the header (None if none)."""
    header: list[str] | None = None
    seen: dict[str, int] = {}
    for values in lines:
        line = lines.line_num
        if not any(value.strip() for value in values):
            continue
        if header is None:
            header = [fold(value) for value in values]
            missing = [name for name in COLUMNS if name in REQUIRED and name not in header]
            if missing:
                hint = (
                    " Vérifiez le séparateur : point-virgule, virgule ou tabulation."
                    if len(header) == 1
                    else ""
                )
                errors.append(
                    CsvError(
                        line,
                        None,
                        "colonnes manquantes dans l'en-tête : "
                        + ", ".join(missing)
                        + f" (attendu : {';'.join(COLUMNS)}, les trois dernières facultatives)."
                        + hint,
                    )
                )
                return None
            continue
        if len(values) != len(header):
            errors.append(CsvError(line, None, f"{len(values)} colonnes au lieu de {len(header)}."))
            continue
        data = {name: value.strip() for name, value in zip(header, values, strict=True)}
        row_errors = []
        for name in COLUMNS:
            if name in REQUIRED and not data.get(name):
                row_errors.append(CsvError(line, name, "valeur obligatoire manquante"))
            elif name in MAX_LENGTHS and len(data.get(name, "")) > MAX_LENGTHS[name]:
                row_errors.append(
                    CsvError(line, name, f"trop long ({MAX_LENGTHS[name]} caractères au plus)")
                )
            elif any(ord(char) < 32 for char in data.get(name, "")):
                row_errors.append(
                    CsvError(line, name, "caractère de contrôle (octet nul, saut de page…) refusé")
                )
            elif name in NO_FORMULA and looks_like_formula(data.get(name, "")):
                row_errors.append(
                    CsvError(
                        line,
                        name,
                        f"commence par « {data[name][0]} » : un tableur le lirait comme une "
                        "formule, retirez ce caractère",
                    )
                )
        email = normalise_email(data.get("email", ""))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_errors.append(CsvError(line, "email", "adresse invalide"))
            else:
                if email in seen:
                    row_errors.append(
                        CsvError(line, "email", f"adresse déjà présente ligne {seen[email]}")
                    )
                else:
                    seen[email] = line
        errors.extend(row_errors)
        rows.append(
            CsvRow(
                line=line,
                email=email,
                first_name=data.get("prenom", ""),
                last_name=data.get("nom", ""),
                phone=data.get("telephone", ""),
                structure_name=data.get("structure", ""),
                funder=data.get("financeur", ""),
            )
        )
    return header


def check_against_database(session: TrainingSession, rows: list[CsvRow]) -> list[CsvError]:
    """Structures, existing accounts, existing enrolments, the session's capacity (3 queries)."""
    errors = []
    structures = {fold(s.name): s for s in Structure.objects.all()}
    emails = [row.email for row in rows if row.email]
    users = {
        user.email.lower(): user
        for user in User.objects.filter(email__in=emails).prefetch_related("groups")
    }
    enrolled = {
        email.lower(): Enrolment.Status(status).label
        for email, status in Enrolment.objects.filter(
            session=session, trainee__email__in=emails
        ).values_list("trainee__email", "status")
    }
    active = session.enrolments.filter(status__in=Enrolment.Status.ACTIVE).count()
    for row in rows:
        if row.structure_name:
            row.structure = structures.get(fold(row.structure_name))
            if row.structure is None:
                errors.append(
                    CsvError(
                        row.line,
                        "structure",
                        f"structure inconnue « {row.structure_name} » : vérifiez l'orthographe "
                        "ou demandez à la coordination de la créer",
                    )
                )
        row.user = users.get(row.email)
        if row.user is not None:
            group_names = {group.name for group in row.user.groups.all()}
            if row.user.is_superuser or Role.TRAINEE.value not in group_names:
                errors.append(
                    CsvError(row.line, "email", "ce compte n'est pas un compte de stagiaire")
                )
            elif row.email in enrolled:
                row.already_enrolled = enrolled[row.email]
    new_rows = [row for row in rows if not row.already_enrolled]
    left = session.capacity - active
    if len(new_rows) > left:
        overflow = new_rows[max(left, 0)]
        errors.append(
            CsvError(
                overflow.line,
                None,
                f"la session est complète à partir de cette ligne : {session.capacity} places, "
                f"{active} déjà occupées, {max(left, 0)} disponibles pour {len(new_rows)} "
                "nouvelles inscriptions.",
            )
        )
    return errors


def check(session: TrainingSession, raw: bytes) -> CsvReport:
    report = CsvReport()
    try:
        text, report.encoding = decode(raw)
    except CsvFileError as error:
        report.errors.append(error.error)
        return report
    report.rows, report.errors = parse(text)
    if report.rows:
        report.errors += check_against_database(session, report.rows)
    report.errors.sort(key=lambda error: error.line)
    return report


@transaction.atomic
def csv_import(
    *,
    session: TrainingSession,
    raw: bytes,
    status: str = Enrolment.Status.PRE_REGISTERED,
    by=None,
) -> CsvReport:
    """Check the whole file; if every line is right, create the missing trainee accounts
    (unusable password) and the enrolments, in one transaction. Once it commits, each new
    account gets the welcome e-mail with its link to choose a password (`by`: who imported).
    People already enrolled in the session are skipped and listed in `report.already_enrolled`.
    """
    # Lock the session: the capacity check and the enrolments see the same seats.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    report = check(session, raw)
    if not report.ok:
        return report
    trainees = Group.objects.get(name=Role.TRAINEE.value)
    created = []
    for row in report.rows:
        if row.already_enrolled:
            continue
        user = row.user
        if user is None:
            user = User.objects.create_user(
                email=row.email,
                password=None,
                first_name=row.first_name,
                last_name=row.last_name,
                phone=row.phone,
                structure=row.structure,
                territory=row.structure.territory if row.structure else session.territory,
            )
            user.groups.add(trainees)
            created.append(user)
            report.created_accounts += 1
        report.enrolments.append(
            enrolment_create(
                session=session,
                trainee=user,
                funder=row.funder,
                status=status,
                structure=row.structure or user.structure,
            )
        )
    invite(created, sent_by=by, session_name=session.name)
    return report
