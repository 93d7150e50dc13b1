"""Accommodations on the trainer's attendance screen (émargement), through the extension point
`modules.trainee_notes`: the room note and the adapted format, never the confidential note, for
those who manage the session only, in constant queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.quality.hooks import accommodation_notes
from modules import trainee_notes
from tests.factories import AccommodationFactory, TrainerFactory
from tests.modules.attendance_support import TODAY, enrol, enrol_group, make_session, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer):
    return make_session(trainers=[trainer])


def screen_url(target):
    return f"/formateur/creneaux/{target.pk}/emargement/"


def test_the_trainer_sees_the_room_note_and_format_never_the_confidential_note(
    client_as, session, trainer, trainee, other_trainee
):
    enrol(session, trainee)
    enrol(session, other_trainee)
    AccommodationFactory(
        trainee=trainee,
        room_note="Place près de la porte, salle au rez-de-chaussée",
        alternative_format="Sujets en gros caractères",
        confidential_note="Maladie chronique (secret)",
    )
    html = client_as(trainer).get(screen_url(slot(session, 7))).content.decode()
    assert "Place près de la porte, salle au rez-de-chaussée" in html
    assert "Format adapté :</strong> Sujets en gros caractères" in html
    assert "Maladie chronique" not in html
    assert html.count('class="trainee-notes"') == 1  # the other trainee has none


def test_only_the_accommodations_in_force_on_the_half_day_are_shown(
    client_as, session, trainer, trainee, other_trainee
):
    enrol(session, trainee)
    enrol(session, other_trainee)
    AccommodationFactory(
        trainee=trainee, room_note="Terminé avant", ended_on=TODAY - datetime.timedelta(days=1)
    )
    AccommodationFactory(
        trainee=other_trainee, room_note="Pas encore", starts_on=TODAY + datetime.timedelta(days=1)
    )
    html = client_as(trainer).get(screen_url(slot(session, 7))).content.decode()
    assert "Terminé avant" not in html
    assert "Pas encore" not in html
    assert 'class="trainee-notes"' not in html


def test_the_coordination_sees_them_and_another_trainer_opens_nothing(
    client_as, coordinator, session, trainee
):
    enrol(session, trainee)
    AccommodationFactory(trainee=trainee, room_note="Table réglable en hauteur")
    morning = slot(session, 7)
    assert (
        "Table réglable en hauteur"
        in client_as(coordinator).get(screen_url(morning)).content.decode()
    )
    response = client_as(TrainerFactory()).get(screen_url(morning))
    assert response.status_code == 403
    assert b"Table r" not in response.content


def test_the_extension_point_asks_nothing_for_a_reader_who_does_not_manage_the_session(
    session, trainee
):
    enrol(session, trainee)
    AccommodationFactory(trainee=trainee, room_note="Salle accessible")
    stranger = TrainerFactory()
    assert trainee_notes.notes_for(stranger, session, [trainee.pk], TODAY) == {}
    # The provider filters through modules.access by itself too (defence in depth).
    assert accommodation_notes(stranger, [trainee.pk], TODAY) == {}


def _screen_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_screen_keeps_constant_queries_whatever_the_number_of_accommodations(
    client_as, session, trainer
):
    morning = slot(session, 7)
    client = client_as(trainer)
    group = enrol_group(session, 3)
    AccommodationFactory(trainee=group[0].trainee)
    small = _screen_queries(client, screen_url(morning))
    for enrolment in enrol_group(session, 12):
        AccommodationFactory(trainee=enrolment.trainee)
    large = _screen_queries(client, screen_url(morning))
    assert large == small
    assert client.get(screen_url(morning)).content.decode().count('class="trainee-notes"') == 13
