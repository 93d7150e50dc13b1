"""Shared set-up for the attendance tests: a frozen clock and a session around a given day.

No freezegun: the attendance code reads the time through `modules.clock.now`, which the tests
monkeypatch (this also reaches the live server thread of the browser tests).
"""

import datetime
from zoneinfo import ZoneInfo

from wagtail.models import Page

from modules.models import Competency, ModulePage, ProgrammePage, SessionSlot
from tests.factories import EnrolmentFactory, TrainingSessionFactory

PARIS = ZoneInfo("Europe/Paris")
# Tuesday of week 2 of a session starting on Monday 2 March 2026: "Semaine 2 · Jour 7".
WEEK1 = datetime.date(2026, 3, 2)
TODAY = datetime.date(2026, 3, 10)


def paris(day: datetime.date, hour: int = 9, minute: int = 4) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def freeze(monkeypatch, moment: datetime.datetime) -> datetime.datetime:
    monkeypatch.setattr("modules.clock.now", lambda: moment)
    return moment


def make_session(*, week1: datetime.date = WEEK1, trainers=(), **kwargs):
    return TrainingSessionFactory(
        week1_start=week1,
        week2_start=week1 + datetime.timedelta(days=7),
        week3_start=week1 + datetime.timedelta(days=14),
        trainers=list(trainers),
        **kwargs,
    )


def enrol(session, trainee=None, **kwargs):
    if trainee is not None:
        kwargs["trainee"] = trainee
    return EnrolmentFactory(session=session, **kwargs)


def enrol_group(session, count: int):
    return EnrolmentFactory.create_batch(count, session=session)


def slot(session, day_number: int, half: str = "am") -> SessionSlot:
    return session.slots.get(day_number=day_number, half=half)


def make_programme(home_page) -> ProgrammePage:
    programme = ProgrammePage.objects.first()
    if programme is None:
        programme = ProgrammePage(title="Programme", slug="programme")
        home_page.add_child(instance=programme)
        programme.save_revision().publish()
    return programme


def make_module(programme: ProgrammePage, number: int, **fields) -> ModulePage:
    existing = ModulePage.objects.filter(number=number).first()
    if existing is not None:
        return existing
    competency = Competency.objects.filter(
        first_module__lte=number, last_module__gte=number
    ).first()
    page = ModulePage(
        title=fields.pop("title", f"Module de test {number}"),
        slug=f"module-{number}",
        number=number,
        duration_hours=7,
        competency=competency,
        summary=fields.pop("summary", f"Résumé public du module {number}."),
        learning_outcomes="Repérer la situation du ménage",
        **fields,
    )
    programme.add_child(instance=page)
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def attach_modules(session, modules_by_slot: dict[tuple[int, str], list[ModulePage]]):
    for (day_number, half), modules in modules_by_slot.items():
        slot(session, day_number, half).modules.set(modules)
