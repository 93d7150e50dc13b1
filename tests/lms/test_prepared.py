"""Queries compiled once (lms.prepared): the same rows as the ORM, one query each time."""

import pytest

from lms.models import User
from lms.notifications.models import Notification
from lms.notifications.selectors import unread_count
from lms.prepared import Prepared
from lms.roles import Role, may_access_admin, user_roles

pytestmark = pytest.mark.django_db


def _names(user_id):
    return (
        User.objects.filter(pk=user_id)
        .values_list("email", "groups__name")
        .order_by("groups__name")
    )


def test_rows_are_the_orms_for_each_argument(trainee, trainer, django_assert_num_queries):
    prepared = Prepared(_names)
    for person in (trainee, trainer, trainee):
        with django_assert_num_queries(1):
            rows = prepared.rows(person.pk)
        assert rows == list(_names(person.pk))
    assert prepared.rows(-1) == []


def test_a_query_whose_placeholder_is_not_found_once_runs_through_the_orm(trainee):
    def twice(user_id):
        return User.objects.filter(pk=user_id).exclude(pk=user_id).values_list("email")

    prepared = Prepared(twice)
    assert prepared.rows(trainee.pk) == []
    assert prepared._compiled["default"] is None  # not compiled: the ORM ran it


def test_the_wrong_number_of_arguments_is_refused(trainee):
    with pytest.raises(TypeError):
        Prepared(_names).rows(trainee.pk, trainee.pk)
    with pytest.raises(ValueError):
        Prepared(_names, arguments=0)


def test_roles_and_unread_count_are_each_persons_own(trainee, other_trainee, trainer):
    Notification.objects.create(recipient=trainee, kind="info", title="Un", url="/")
    Notification.objects.create(recipient=trainee, kind="info", title="Deux", url="/")
    Notification.objects.create(recipient=other_trainee, kind="info", title="Trois", url="/")
    read = Notification.objects.create(recipient=other_trainee, kind="info", title="Lue", url="/")
    read.read_at = read.created_at
    read.save()
    assert unread_count(trainee) == 2
    assert unread_count(other_trainee) == 1
    assert unread_count(trainer) == 0
    fresh = [User.objects.get(pk=person.pk) for person in (trainee, trainer, other_trainee)]
    assert [user_roles(person) for person in fresh] == [
        {Role.TRAINEE},
        {Role.TRAINER},
        {Role.TRAINEE},
    ]
    assert [may_access_admin(person) for person in fresh] == [False, True, False]
