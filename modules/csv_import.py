"""Enrolment of trainees from a CSV file: check every line first, import all or nothing.

Columns: email;prenom;nom;telephone;structure;financeur (";" or "," as delimiter, UTF-8 with or
without BOM, header line required, column names without accents or case). Every error names its
line and column, in French: "ligne 4, colonne email : adresse invalide".

Decisions: an unknown structure is an error (no structure is created from a file: a typo would
create a duplicate); an e-mail that belongs to an existing trainee enrols that trainee (their
name is not changed); an e-mail of a trainer or coordinator is refused.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from lms.models import Structure, User
from lms.roles import Role

from .models import Enrolment, TrainingSession
from .services.enrolment import enrolment_create

COLUMNS = ["email", "prenom", "nom", "telephone", "structure", "financeur"]
REQUIRED = {"email", "prenom", "nom"}
MAX_BYTES = 1_000_000
MAX_LENGTHS = {"prenom": 150, "nom": 150, "telephone": 30, "financeur": 200, "email": 254}


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


@dataclass
class CsvReport:
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[CsvError] = field(default_factory=list)
    created_accounts: int = 0
    enrolments: list[Enrolment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_by_line(self) -> dict[int, list[CsvError]]:
        grouped: dict[int, list[CsvError]] = {}
        for error in self.errors:
            grouped.setdefault(error.line, []).append(error)
        return grouped


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c))


class CsvFileError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.error = CsvError(line, None, message)


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise CsvFileError(1, "le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvFileError(
            line,
            "le fichier n'est pas en UTF-8 (enregistrez-le en « CSV UTF-8 » depuis votre tableur).",
        ) from error


def parse(text: str) -> tuple[list[CsvRow], list[CsvError]]:
    """Read and check the lines on their own (no database): header, columns, e-mail, names,
    lengths, duplicates within the file."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        return [], [CsvError(1, None, "le fichier est vide.")]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[CsvRow] = []
    errors: list[CsvError] = []
    header: list[str] | None = None
    seen: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if header is None:
            header = [_normalise(value) for value in values]
            missing = [name for name in COLUMNS if name in REQUIRED and name not in header]
            if missing:
                hint = (
                    " Vérifiez le séparateur : point-virgule ou virgule."
                    if len(header) == 1
                    else ""
                )
                return [], [
                    CsvError(
                        line,
                        None,
                        "colonnes manquantes dans l'en-tête : "
                        + ", ".join(missing)
                        + f" (attendu : {';'.join(COLUMNS)}, les trois dernières facultatives)."
                        + hint,
                    )
                ]
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
        email = data.get("email", "").lower()
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
    if header is not None and not rows and not errors:
        errors.append(CsvError(reader.line_num or 1, None, "aucune ligne de stagiaire."))
    return rows, errors


def check_against_database(session: TrainingSession, rows: list[CsvRow]) -> list[CsvError]:
    """Structures, existing accounts, existing enrolments, the session's capacity (3 queries)."""
    errors = []
    structures = {_normalise(s.name): s for s in Structure.objects.all()}
    emails = [row.email for row in rows if row.email]
    users = {
        user.email.lower(): user
        for user in User.objects.filter(email__in=emails).prefetch_related("groups")
    }
    enrolled = set(
        Enrolment.objects.filter(session=session, trainee__email__in=emails).values_list(
            "trainee__email", flat=True
        )
    )
    active = session.enrolments.filter(status__in=Enrolment.Status.ACTIVE).count()
    for row in rows:
        if row.structure_name:
            row.structure = structures.get(_normalise(row.structure_name))
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
                errors.append(
                    CsvError(row.line, "email", f"déjà inscrit·e à la session « {session} »")
                )
    left = session.capacity - active
    if len(rows) > left:
        overflow = rows[max(left, 0)]
        errors.append(
            CsvError(
                overflow.line,
                None,
                f"la session est complète à partir de cette ligne : {session.capacity} places, "
                f"{active} déjà occupées, {max(left, 0)} disponibles pour {len(rows)} lignes.",
            )
        )
    return errors


def check(session: TrainingSession, raw: bytes) -> CsvReport:
    report = CsvReport()
    try:
        text = decode(raw)
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
    *, session: TrainingSession, raw: bytes, status: str = Enrolment.Status.PRE_REGISTERED
) -> CsvReport:
    """Check the whole file; if every line is right, create the missing trainee accounts
    (unusable password: they use "mot de passe oublié") and the enrolments, in one transaction.
    """
    # Lock the session: the capacity check and the enrolments see the same seats.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    report = check(session, raw)
    if not report.ok:
        return report
    trainees = Group.objects.get(name=Role.TRAINEE.value)
    for row in report.rows:
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
    return report
