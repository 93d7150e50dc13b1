"""The extension point of the attendance screen (`modules.trainee_notes`): providers registered
by the apps to the right of `modules`, asked only for those who manage the session."""

import pytest

from modules import trainee_notes
from modules.trainee_notes import TraineeNote

from .attendance_support import TODAY, enrol, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    calls = []

    def notes(user, trainee_ids, on):
        calls.append((user, list(trainee_ids), on))
        return {
            trainee_id: [TraineeNote("Note", f"pour {trainee_id}")] for trainee_id in trainee_ids
        }

    notes.calls = calls
    trainee_notes.register_trainee_note_provider(notes)
    yield notes
    trainee_notes.unregister_trainee_note_provider(notes)


def test_a_provider_is_asked_once_for_all_the_listed_trainees(provider, trainer, trainee):
    session = make_session(trainers=[trainer])
    enrol(session, trainee)
    notes = trainee_notes.notes_for(trainer, session, [trainee.pk, trainee.pk], TODAY)
    assert notes[trainee.pk][-1] == TraineeNote("Note", f"pour {trainee.pk}")
    assert provider.calls == [(trainer, [trainee.pk], TODAY)]


def test_nobody_outside_the_session_gets_notes_and_the_provider_is_not_asked(
    provider, trainer, other_trainee, trainee
):
    session = make_session(trainers=[trainer])
    enrol(session, trainee)
    assert trainee_notes.notes_for(other_trainee, session, [trainee.pk], TODAY) == {}
    assert provider.calls == []


def test_notes_about_people_not_listed_are_dropped_and_a_broken_provider_is_skipped(
    provider, trainer, trainee, other_trainee
):
    def broken(user, trainee_ids, on):
        raise RuntimeError("boom")

    def nosy(user, trainee_ids, on):
        return {other_trainee.pk: [TraineeNote("Note", "not listed")]}

    session = make_session(trainers=[trainer])
    enrol(session, trainee)
    trainee_notes.register_trainee_note_provider(broken)
    trainee_notes.register_trainee_note_provider(nosy)
    try:
        notes = trainee_notes.notes_for(trainer, session, [trainee.pk], TODAY)
    finally:
        trainee_notes.unregister_trainee_note_provider(broken)
        trainee_notes.unregister_trainee_note_provider(nosy)
    assert set(notes) == {trainee.pk}
    assert TraineeNote("Note", f"pour {trainee.pk}") in notes[trainee.pk]


def test_no_query_when_nobody_is_listed(provider, trainer, django_assert_num_queries):
    session = make_session(trainers=[trainer])
    with django_assert_num_queries(0):
        assert trainee_notes.notes_for(trainer, session, [], TODAY) == {}
