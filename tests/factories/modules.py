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
