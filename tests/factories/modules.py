import datetime

import factory

from modules.models import Enrolment, TrainingSession
from modules.services.sessions import session_generate_slots

from .lms import TerritoryFactory, TraineeFactory


def monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A session whose three consecutive weeks start on the Monday on or after `week1_start`.

    Its 30 slots are generated (with the programme's timetable when one exists).
    """

    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    territory = factory.SubFactory(TerritoryFactory)
    venue = "Maison des associations, Laval"
    week1_start = factory.LazyFunction(lambda: monday_on_or_after(datetime.date.today()))
    week2_start = factory.LazyAttribute(lambda o: o.week1_start + datetime.timedelta(days=7))
    week3_start = factory.LazyAttribute(lambda o: o.week1_start + datetime.timedelta(days=14))
    capacity = 40
    status = TrainingSession.Status.OPEN

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)

    @factory.post_generation
    def generate_slots(self, create, extracted, **kwargs):
        if create and extracted is not False:
            session_generate_slots(session=self)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    session = factory.SubFactory(TrainingSessionFactory)
    trainee = factory.SubFactory(TraineeFactory)
    status = Enrolment.Status.IN_TRAINING
    structure = factory.SelfAttribute("trainee.structure")


def build_programme(home, *, with_calendar: bool = True):
    """A live programme with 12 modules (the seed's competencies and timetable), built fast:
    pages are added live without revisions. Returns the ProgrammePage."""
    from modules.models import (
        Competency,
        ModulePage,
        ProgrammePage,
        SessionCalendarPage,
        TimetableSlot,
    )

    programme = ProgrammePage(
        title="Formation Ensemblier Solidaire",
        slug="programme",
        intro="La formation **Ensemblier Solidaire**.",
        objectives="Objectifs publics.",
        audience="Travailleurs sociaux.",
        prerequisites="Aucun diplôme technique.",
        evaluation_methods="Quiz et études de cas.",
        accessibility="Salles accessibles.",
        disability_contact="referent-handicap@ensemblier.example",
        funding="Programme TZEE.",
        contacts="formation@ensemblier.example",
    )
    home.add_child(instance=programme)
    competencies = {c.code: c for c in Competency.objects.all()}
    modules = {}
    for number in range(1, 13):
        code = next(c for c in competencies.values() if c.first_module <= number <= c.last_module)
        module = ModulePage(
            title=f"Titre du module {number}",
            slug=f"module-{number}",
            number=number,
            working_title=True,
            duration_hours=7,
            competency=competencies[code.code],
            summary=f"Résumé public du module {number}.",
            learning_outcomes="Expliquer une chose\nCalculer une autre",
            body=[
                ("markdown", f"Contenu complet réservé du module {number}."),
                ("callout", {"variant": "info", "title": "À retenir", "text": "Encadré."}),
            ],
            trainer_notes=f"Note secrète pour formateurs {number}.",
        )
        programme.add_child(instance=module)
        modules[number] = module
    from django.conf import settings

    import yaml

    path = settings.BASE_DIR / "fixtures" / "programme" / "programme.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["timetable"]
    for row in rows:
        for half, key in (("am", "morning"), ("pm", "afternoon")):
            slot = TimetableSlot(programme=programme, day=row["day"], half=half)
            slot.save()
            slot.modules.add(*[modules[n] for n in row[key]])
            slot.modules.commit()
    if with_calendar:
        programme.add_child(
            instance=SessionCalendarPage(title="Calendrier des sessions", slug="sessions")
        )
    return ProgrammePage.objects.get(pk=programme.pk)
