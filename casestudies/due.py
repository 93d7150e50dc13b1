"""What the trainee's "Aujourd'hui" page lists as due from their dossiers."""

from .milestones import MILESTONE_ORDER
from .models import MilestoneStatus
from .selectors import milestones_in_order, pending_dossier_items


def dossier_due_items(user, enrolment, today) -> list[dict]:
    """A milestone sent back comes first; otherwise the next milestone still to submit."""
    items = []
    for dossier in pending_dossier_items(user):
        milestones = milestones_in_order(dossier)
        sent_back = [m for m in milestones if m.status == MilestoneStatus.SENT_BACK]
        in_progress = [m for m in milestones if m.status == MilestoneStatus.IN_PROGRESS]
        target = (sent_back or in_progress or [None])[0]
        if target is None:
            continue
        due_label = "à corriger" if target.status == MilestoneStatus.SENT_BACK else "à soumettre"
        items.append(
            {
                "label": f"Dossier « {dossier.case_study.title} » : "
                f"jalon {target.get_milestone_display()}",
                "url": f"{dossier.get_absolute_url()}?jalon={target.milestone}",
                "due_label": due_label,
                "order": (0 if sent_back else 1, MILESTONE_ORDER.index(target.milestone)),
            }
        )
    items.sort(key=lambda item: item.pop("order"))
    return items
