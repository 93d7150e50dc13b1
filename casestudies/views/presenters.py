"""Display helpers shared by the dossier and review pages (labels, answers as text)."""

from lms.formats import format_time

from .. import grading
from ..forms import form_class_for
from ..milestones import MILESTONE_ORDER
from ..models import MilestoneStatus
from ..services import normalise_value

STATUS_BADGES = {
    MilestoneStatus.IN_PROGRESS: "",
    MilestoneStatus.SUBMITTED: "badge-warning",
    MilestoneStatus.SENT_BACK: "badge-danger",
    MilestoneStatus.VALIDATED: "badge-success",
}


def scored_submission(submissions: list):
    """The submission (oldest first in `submissions`) whose agreement counts in the score.

    The one grading.scored_agreement takes: the first with an agreement; None if none has one.
    """
    scored = grading.scored_agreement(s.automatic_score for s in submissions)
    if scored is None:
        return None
    return next(s for s in submissions if s.automatic_score is not None)


def time_label(moment) -> str:
    """'10 h 32' in Paris time."""
    return format_time(moment)


def status_badge(status) -> str:
    return STATUS_BADGES.get(status, "")


def milestone_tabs(dossier, states, current) -> list[dict]:
    tabs = []
    for number, milestone in enumerate(MILESTONE_ORDER, start=1):
        state = states.get(milestone)
        tabs.append(
            {
                "number": number,
                "value": milestone.value,
                "label": milestone.label,
                "url": f"{dossier.get_absolute_url()}?jalon={milestone.value}",
                "status": state.get_status_display() if state else "",
                "badge": status_badge(state.status) if state else "",
                "current": milestone == current,
            }
        )
    return tabs


def answers_for_display(milestone, answers: dict) -> list[dict]:
    """[{label, text}] for each field of the milestone, choices shown by their labels."""
    form_class = form_class_for(milestone)
    rows = []
    for name, field in form_class.base_fields.items():
        raw = answers.get(name, "")
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(raw, list):
            text = [str(choices.get(v, v)) for v in raw]
        elif field.__class__.__name__ == "BooleanField":
            text = "Oui" if raw else "Non"
        else:
            text = str(choices.get(raw, raw)) if raw else ""
        rows.append(
            {"name": name, "label": field.label, "text": text, "multi": isinstance(raw, list)}
        )
    return rows


def field_text(milestone, name: str, value) -> str:
    """A stored or typed value of one field as the person reads it (choices by their labels)."""
    row = next(r for r in answers_for_display(milestone, {name: value}) if r["name"] == name)
    return ", ".join(row["text"]) if row["multi"] else row["text"]


def conflict_context(milestone, name: str, conflict, mine_values) -> dict:
    """What the page shows of a concurrent edit of one field: both texts, so the person chooses.

    `conflict` is a services.FieldConflict; `mine_values` the values this tab posted (None when
    they are in the field itself, after a full-form post)."""
    form_class = form_class_for(milestone)
    mine = None
    if mine_values is not None:
        mine = field_text(milestone, name, normalise_value(form_class, name, mine_values))
    stored = conflict.stored_value
    return {
        "name": name,
        "script_id": f"conflit-{name}",
        "label": form_class.base_fields[name].label,
        "stored_text": field_text(milestone, name, stored),
        "stored_values": stored if isinstance(stored, list) else [stored],
        "stored_version": conflict.stored_version,
        "stored_at": time_label(conflict.stored_at),
        "mine_text": mine,
    }
