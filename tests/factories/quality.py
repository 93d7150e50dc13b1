import datetime
from decimal import Decimal

import factory

from assessments.quality.models import Accommodation
from lms.roles import Role

from .lms import TraineeFactory, UserFactory, with_role

__all__ = ["AccommodationFactory", "DisabilityReferentFactory"]


class DisabilityReferentFactory(UserFactory):
    role = with_role(Role.DISABILITY_REFERENT)


class AccommodationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accommodation

    trainee = factory.SubFactory(TraineeFactory)
    time_factor = Decimal("1.50")
    alternative_format = "Sujets en gros caractères"
    room_note = "Salle en rez-de-chaussée"
    confidential_note = "Fatigabilité (note du référent)"
    consent_on = datetime.date(2026, 1, 5)
    starts_on = datetime.date(2026, 1, 5)
    recorded_by = factory.SubFactory(DisabilityReferentFactory)
