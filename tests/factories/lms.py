"""factory_boy factories for every model the tests build (smoke-tested in test_factories)."""

from django.contrib.auth.models import Group

import factory

from lms.models import Structure, Territory, User
from lms.roles import Role

DEFAULT_PASSWORD = "mot-de-passe-test-2026"


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.Sequence(lambda n: f"territoire-{n}")
    departments = "01"


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = Structure.Kind.ASSOCIATION
    territory = factory.SubFactory(TerritoryFactory)
    city = "Laval"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    structure = factory.SubFactory(StructureFactory)
    territory = factory.SelfAttribute("structure.territory")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


def with_role(role: Role):
    """A post-generation declaration that puts the user in `role`'s group."""

    def add_group(user, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=role.value)
            user.groups.add(group)

    return factory.PostGeneration(add_group)


class TraineeFactory(UserFactory):
    role = with_role(Role.TRAINEE)


class TrainerFactory(UserFactory):
    role = with_role(Role.TRAINER)


class CoordinatorFactory(UserFactory):
    role = with_role(Role.COORDINATOR)
