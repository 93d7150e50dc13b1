"""Start-up registrations of the quality app (imported from QualityConfig.ready()): menu
entries, the disability referent's landing page, and the accommodations shown to the trainers on
the attendance screen."""

from lms.navigation import NavItem, register_landing, register_nav_item
from lms.roles import Role, is_disability_referent, is_staff_role, is_trainee
from modules import access
from modules.trainee_notes import TraineeNote, register_trainee_note_provider

from .selectors import accommodations_in_force


def _is_trainee(user):
    return is_trainee(user)


def _is_referent_only(user):
    """The referent's menu entry; staff reach accommodations from the Qualité page."""
    return is_disability_referent(user) and not is_staff_role(user)


register_nav_item(NavItem("Avis et aménagements", "quality:mine", _is_trainee, order=35))
register_nav_item(NavItem("Qualité", "quality:dashboard", is_staff_role, order=75))
register_nav_item(NavItem("Aménagements", "quality:accommodations", _is_referent_only, order=80))
register_landing(Role.DISABILITY_REFERENT, "quality:accommodations")


def accommodation_notes(user, trainee_ids, on):
    """For the trainer's attendance screen (`modules.trainee_notes`): what the trainers apply
    in the room for each listed trainee with an accommodation in force on `on` — the room note
    and the adapted format, never the confidential note nor the time factor (the assessments
    apply it themselves). Rows filtered by `modules.access.visible_accommodations`; one query."""
    rows = access.visible_accommodations(
        user, accommodations_in_force(trainee_ids, on).select_related(None)
    ).values_list("trainee_id", "room_note", "alternative_format")
    notes: dict[int, list[TraineeNote]] = {}
    for trainee_id, room_note, alternative_format in rows:
        items = notes.setdefault(trainee_id, [])
        if room_note:
            items.append(TraineeNote("Salle et installation", room_note))
        if alternative_format:
            items.append(TraineeNote("Format adapté", alternative_format))
    return notes


register_trainee_note_provider(accommodation_notes)
