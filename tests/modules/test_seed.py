import datetime

from wagtail.models import Page

import pytest

from lms.seed import seed as seed_lms
from modules.calendar import Timing, session_timing, training_days
from modules.models import (
    Competency,
    Enrolment,
    ModulePage,
    ProgrammePage,
    SessionCalendarPage,
    SessionSlot,
    TimetableSlot,
    TrainingSession,
)
from modules.seed import seed_all

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime.date(2026, 11, 25)


def counts():
    return {
        "pages": Page.objects.count(),
        "timetable": TimetableSlot.objects.count(),
        "sessions": TrainingSession.objects.count(),
        "slots": SessionSlot.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "slot_modules": SessionSlot.modules.through.objects.count(),
    }


@pytest.fixture
def seeded(db):
    seed_lms()
    seed_all(today=WEDNESDAY)


def test_seed_builds_the_programme_tree_at_the_documented_urls(seeded):
    programme = ProgrammePage.objects.get()
    assert programme.live and programme.url == "/programme/"
    assert SessionCalendarPage.objects.get().url == "/programme/sessions/"
    numbers = list(ModulePage.objects.live().child_of(programme).values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, 13))
    assert all(module.body for module in ModulePage.objects.all())
    assert ModulePage.objects.filter(working_title=True).count() == 12


def test_seed_fills_competency_descriptions_and_the_timetable(seeded):
    assert not Competency.objects.filter(description="").exists()
    slots = TimetableSlot.objects.prefetch_related("modules")
    plan = {(slot.day, slot.half): [m.number for m in slot.modules.all()] for slot in slots}
    assert len(plan) == 30
    assert plan[(1, "am")] == [1]
    assert plan[(15, "pm")] == [12]


def test_seed_runs_exactly_one_session_today_the_demonstration(seeded):
    running = [
        session
        for session in TrainingSession.objects.all()
        if session_timing(training_days(session.week_starts), WEDNESDAY) == Timing.IN_PROGRESS
    ]
    assert [session.slug for session in running] == ["demonstration-carcassonne"]
    demo = running[0]
    assert WEDNESDAY in training_days(demo.week_starts)
    assert demo.slots.count() == 30
    assert demo.trainers.filter(email="formateur@ensemblier.example").exists()
    enrolments = demo.enrolments.select_related("trainee")
    assert enrolments.count() == 16
    main = enrolments.get(trainee__email="stagiaire@ensemblier.example")
    assert main.status == Enrolment.Status.IN_TRAINING


def test_seed_spreads_sessions_over_this_year_and_the_next(seeded):
    years = {}
    for session in TrainingSession.objects.exclude(slug="demonstration-carcassonne"):
        years.setdefault(int(session.slug[:4]), set()).add(session.territory_id)
    assert set(years) == {2026, 2027}
    assert all(len(territories) >= 6 for territories in years.values())


def test_seed_is_idempotent(seeded):
    before = counts()
    seed_lms()
    seed_all(today=WEDNESDAY)
    assert counts() == before


def test_seed_on_a_weekend_still_has_the_demo_in_progress(db):
    saturday = datetime.date(2026, 11, 28)
    seed_lms()
    seed_all(today=saturday)
    demo = TrainingSession.objects.get(slug="demonstration-carcassonne")
    assert session_timing(training_days(demo.week_starts), saturday) == Timing.IN_PROGRESS
