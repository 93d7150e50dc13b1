"""What other apps tell the trainer about each trainee on the attendance screen (émargement).

`modules` cannot import the apps to its right (import-linter layers: assessments → casestudies
→ modules → lms). An app that knows something the trainer must apply in the room (the quality
app's accommodations: a room note, an adapted format) registers a provider from its
`AppConfig.ready()`:

    from modules.trainee_notes import TraineeNote, register_trainee_note_provider

    def accommodation_notes(user, trainee_ids, on):
        return {trainee_id: [TraineeNote("Aménagement", "Salle en rez-de-chaussée")]}

    register_trainee_note_provider(accommodation_notes)

`provider(user, trainee_ids, on)` receives the reader, the ids of the trainees listed and the
day of the half-day; it returns {trainee_id: [TraineeNote, …]} with what `user` may read
(it filters through `modules.access` itself), in a constant number of queries (one, typically).
`notes_for` asks the providers only for a reader who manages the session; a provider that
fails is skipped (logged), never breaking the screen.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import access
from .models import TrainingSession

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TraineeNote:
    label: str  # what kind of note, e.g. "Salle et installation"
    text: str


NoteProvider = Callable[[object, list[int], datetime.date], dict[int, list[TraineeNote]]]

_providers: list[NoteProvider] = []


def register_trainee_note_provider(provider: NoteProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def unregister_trainee_note_provider(provider: NoteProvider) -> None:
    """Remove a provider (for tests)."""
    if provider in _providers:
        _providers.remove(provider)


def notes_for(
    user, session: TrainingSession, trainee_ids: Iterable[int], on: datetime.date
) -> dict[int, list[TraineeNote]]:
    """The notes of every registered provider for the trainees of `session` listed, merged by
    trainee in registration order. Nothing for a reader who does not manage the session, and no
    query at all when nobody is listed."""
    wanted = set(trainee_ids)
    ids = sorted(wanted)
    if not ids or not _providers or not access.manages_session(user, session):
        return {}
    merged: dict[int, list[TraineeNote]] = {}
    for provider in _providers:
        try:
            notes = provider(user, ids, on)
        except Exception:  # a broken provider must not break the attendance screen
            logger.exception("Trainee note provider %r failed", provider)
            continue
        for trainee_id, items in notes.items():
            if trainee_id in wanted and items:
                merged.setdefault(trainee_id, []).extend(items)
    return merged
