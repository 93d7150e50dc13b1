"""Seed the programme, its 12 modules, the timetable, the session calendar and demo sessions.

Idempotent: what exists is left alone (pages by type/number, sessions by slug, accounts by
e-mail, enrolments by trainee and session). Dates of demo sessions are relative to the day the
seed runs: the demonstration session is in its second week today (see fixtures/sessions.yaml).
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

import yaml

from lms.formats import format_month
from lms.models import HomePage, Structure, Territory, User
from lms.roles import Role

from .calendar import (
    Timing,
    demo_week_starts,
    nth_monday,
    session_timing,
    spaced_week_starts,
    training_days,
)
from .models import (
    Competency,
    Enrolment,
    ModulePage,
    ProgrammePage,
    SessionCalendarPage,
    TimetableSlot,
    TrainingSession,
)
from .models.programme import HalfDay
from .services.enrolment import enrolment_create
from .services.sessions import session_generate_slots

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PROGRAMME_FILE = FIXTURES / "programme" / "programme.yaml"
MODULES_DIR = FIXTURES / "programme" / "modules"
SESSIONS_FILE = FIXTURES / "sessions.yaml"

PROGRAMME_TEXT_FIELDS = [
    "intro",
    "objectives",
    "audience",
    "prerequisites",
    "teaching_methods",
    "evaluation_methods",
    "accessibility",
    "disability_contact",
    "funding",
    "contacts",
]
SESSIONS_INTRO = (
    "Chaque session réunit une quarantaine de professionnels d'un territoire pendant trois "
    "semaines de cinq jours, pas forcément consécutives. Abonnez-vous au calendrier d'une "
    "session (format iCal) pour l'ajouter à votre agenda."
)


class SeedError(Exception):
    """A seed file is wrong: the message names the file and the entry."""


def _load(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise SeedError(
            f"{path.relative_to(settings.BASE_DIR)} : YAML invalide ({error})"
        ) from error


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def local_today() -> datetime.date:
    return timezone.localdate()


# --- Programme and modules ---------------------------------------------------------------------


def module_body(entries: list[dict], source: str) -> list[tuple[str, object]]:
    """The module YAML's body entries as StreamField data."""
    body = []
    for index, entry in enumerate(entries, start=1):
        kind = entry.get("type")
        if kind == "markdown":
            body.append(("markdown", entry["value"]))
        elif kind == "callout":
            body.append(
                (
                    "callout",
                    {
                        "variant": entry.get("variant", "info"),
                        "title": entry.get("title", ""),
                        "text": entry["text"],
                    },
                )
            )
        else:
            raise SeedError(f"{source}, body[{index}] : type de bloc inconnu « {kind} ».")
    return body


def sources_markdown(sources: list[dict]) -> str:
    return "\n".join(f"- [{item['title']}]({item['url']})" for item in sources or [])


def seed_competencies(data: dict) -> None:
    for item in data.get("competencies", []):
        numbers = item["modules"]
        competency, created = Competency.objects.get_or_create(
            code=item["code"],
            defaults={
                "title": item["title"],
                "description": item.get("description", ""),
                "first_module": min(numbers),
                "last_module": max(numbers),
            },
        )
        if not created and not competency.description and item.get("description"):
            competency.description = item["description"]
            competency.save(update_fields=["description"])


def seed_programme(stdout=None) -> ProgrammePage | None:
    home = HomePage.objects.first()
    if home is None:
        _say(stdout, "  pas de page d'accueil : programme non créé")
        return None
    data = _load(PROGRAMME_FILE)
    seed_competencies(data)
    programme = ProgrammePage.objects.first()
    if programme is None:
        programme = ProgrammePage(
            title=data["title"],
            slug="programme",
            duration_days=data.get("duration_days", 15),
            duration_hours=Decimal(str(data.get("duration_hours", 105))),
            attendance_threshold_percent=data.get("attendance_threshold_percent", 80),
            **{field: data.get(field) or "" for field in PROGRAMME_TEXT_FIELDS},
        )
        home.add_child(instance=programme)
        programme.save_revision().publish()
        _say(stdout, "  programme créé : /programme/")
    seed_modules(programme, stdout)
    seed_timetable(programme, data.get("timetable", []), stdout)
    seed_calendar_page(programme, stdout)
    return programme


def seed_modules(programme: ProgrammePage, stdout=None) -> None:
    existing = set(ModulePage.objects.values_list("number", flat=True))
    competencies = {c.code: c for c in Competency.objects.all()}
    for path in sorted(MODULES_DIR.glob("module-*.yaml")):
        data = _load(path)
        if data["number"] in existing:
            continue
        source = str(path.relative_to(settings.BASE_DIR))
        module = ModulePage(
            title=data["title"],
            slug=f"module-{data['number']}",
            number=data["number"],
            working_title=bool(data.get("working_title")),
            duration_hours=Decimal(str(data["duration_hours"])),
            competency=competencies[data["competency"]],
            summary=data["summary"].strip(),
            learning_outcomes="\n".join(data.get("learning_outcomes", [])),
            body=module_body(data.get("body", []), source),
            trainer_notes=(data.get("trainer_notes") or "").strip(),
            sources=sources_markdown(data.get("sources", [])),
        )
        programme.add_child(instance=module)
        module.save_revision().publish()
        _say(stdout, f"  module {data['number']} créé")


def seed_timetable(programme: ProgrammePage, rows: list[dict], stdout=None) -> None:
    if TimetableSlot.objects.filter(programme=programme).exists():
        return
    modules = {page.number: page for page in ModulePage.objects.all()}
    slots = []
    for row in rows:
        for half, key in ((HalfDay.MORNING, "morning"), (HalfDay.AFTERNOON, "afternoon")):
            slots.append(
                TimetableSlot(
                    day=row["day"],
                    half=half,
                    sort_order=len(slots),
                    modules=[modules[n] for n in row.get(key, []) if n in modules],
                )
            )
    programme = ProgrammePage.objects.get(pk=programme.pk)
    programme.timetable = slots
    programme.save_revision().publish()
    _say(stdout, f"  emploi du temps : {len(slots)} demi-journées")


def seed_calendar_page(programme: ProgrammePage, stdout=None) -> SessionCalendarPage:
    calendar = SessionCalendarPage.objects.first()
    if calendar is None:
        calendar = SessionCalendarPage(
            title="Calendrier des sessions", slug="sessions", intro=SESSIONS_INTRO
        )
        programme.add_child(instance=calendar)
        calendar.save_revision().publish()
        _say(stdout, "  calendrier des sessions créé : /programme/sessions/")
    return calendar


# --- Sessions, trainers, trainees --------------------------------------------------------------


def _account(item: dict, role: Role) -> User:
    user = User.objects.filter(email__iexact=item["email"]).first()
    if user is not None:
        return user
    structure = Structure.objects.filter(name=item.get("structure")).first()
    territory = Territory.objects.filter(slug=item.get("territory")).first()
    if territory is None and structure is not None:
        territory = structure.territory
    user = User.objects.create_user(
        email=item["email"],
        password=None,  # unusable: the person sets one with "mot de passe oublié"
        first_name=item["first_name"],
        last_name=item["last_name"],
        structure=structure,
        territory=territory,
    )
    user.groups.add(Group.objects.get(name=role.value))
    return user


def planned_week_starts(entry: dict, today: datetime.date) -> list[datetime.date]:
    """A listed session's week starts, moved 8 weeks later if it would be running today."""
    start = nth_monday(today.year + entry["year"], entry["month"], entry.get("week", 1))
    starts = spaced_week_starts(start, entry.get("gaps", (0, 0)))
    if session_timing(training_days(starts), today) == Timing.IN_PROGRESS:
        starts = [day + datetime.timedelta(weeks=8) for day in starts]
    return starts


def _create_session(*, name, slug, territory, venue, starts, capacity, status, trainers):
    session = TrainingSession(
        name=name,
        slug=slug,
        territory=territory,
        venue=venue,
        week1_start=starts[0],
        week2_start=starts[1],
        week3_start=starts[2],
        capacity=capacity,
        status=status,
    )
    session.full_clean()
    session.save()
    session.trainers.set(trainers)
    session_generate_slots(session=session)
    return session


def seed_sessions(stdout=None, today: datetime.date | None = None) -> TrainingSession | None:
    today = today or local_today()
    data = _load(SESSIONS_FILE)
    trainers_by_email = {
        item["email"]: _account(item, Role.TRAINER) for item in data.get("extra_trainers", [])
    }
    for user in User.objects.filter(groups__name=Role.TRAINER.value):
        trainers_by_email.setdefault(user.email, user)
    territories = {t.slug: t for t in Territory.objects.all()}

    def trainers_of(emails):
        return [trainers_by_email[e] for e in emails if e in trainers_by_email]

    created = 0
    for entry in data.get("sessions", []):
        territory = territories[entry["territory"]]
        # The slug names the planned month, so a re-run on another day finds the session.
        slug = f"{today.year + entry['year']}-{entry['month']:02d}-{territory.slug}"
        starts = planned_week_starts(entry, today)
        if TrainingSession.objects.filter(slug=slug).exists():
            continue
        timing = session_timing(training_days(starts), today)
        _create_session(
            name=f"{territory.name} — {format_month(starts[0])}",
            slug=slug,
            territory=territory,
            venue=entry["venue"],
            starts=starts,
            capacity=entry.get("capacity", 40),
            status=(
                TrainingSession.Status.OPEN
                if timing == Timing.UPCOMING
                else TrainingSession.Status.CLOSED
            ),
            trainers=trainers_of(entry.get("trainers", [])),
        )
        created += 1
    if created:
        _say(stdout, f"  {created} sessions créées")
    return seed_demo_session(data["demo"], today, trainers_of, territories, stdout)


def seed_demo_session(demo, today, trainers_of, territories, stdout=None):
    session = TrainingSession.objects.filter(slug=demo["slug"]).first()
    if session is None:
        session = _create_session(
            name=demo["name"],
            slug=demo["slug"],
            territory=territories[demo["territory"]],
            venue=demo["venue"],
            starts=demo_week_starts(today),
            capacity=demo.get("capacity", 40),
            status=TrainingSession.Status.CLOSED,
            trainers=trainers_of(demo.get("trainers", [])),
        )
        session.slots.update(room=demo.get("room", ""))
        _say(stdout, f"  session de démonstration en cours : {session.name}")
    people = []
    main_trainee = User.objects.filter(email__iexact=demo.get("trainee", "")).first()
    if main_trainee is not None:
        people.append(main_trainee)
    people += [_account(item, Role.TRAINEE) for item in demo.get("trainees", [])]
    enrolled = set(session.enrolments.values_list("trainee_id", flat=True))
    for person in people:
        if person.pk in enrolled:
            continue
        enrolment_create(
            session=session,
            trainee=person,
            funder=demo.get("funder", ""),
            status=Enrolment.Status.IN_TRAINING,
        )
    return session


@transaction.atomic
def seed_all(stdout=None, today: datetime.date | None = None) -> None:
    programme = seed_programme(stdout)
    if programme is not None:
        seed_sessions(stdout, today=today)


def seed(stdout=None) -> None:
    seed_all(stdout)
    # The attendance part (another module of this app) seeds the demo signatures.
    from .seed_attendance import seed_attendance

    seed_attendance(stdout)
