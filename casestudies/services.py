"""Writes on dossiers: open, autosave one field, submit a milestone, decide on a submission."""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from modules.access import work_enrolment

from . import grading
from .compare import FieldFeedback, bareme_rules, check_feedback, compare_milestone
from .forms import MilestoneForm, form_class_for
from .milestones import MILESTONE_ORDER, Milestone
from .models import Dossier, DossierField, DossierMilestone, MilestoneStatus, Submission
from .rubrics import rubric_for
from .simulator import SituationError
from .situations import simulate_case

logger = logging.getLogger(__name__)


class MilestoneLocked(Exception):
    """The milestone is submitted or validated: its answers are frozen."""


class CheckLimitReached(Exception):
    """The trainee has used every simulator check the case study allows for this milestone."""


@transaction.atomic
def dossier_open(*, trainee, case_study) -> Dossier:
    """The trainee's dossier on `case_study`, created with its three milestones if needed.

    A new dossier belongs to the trainee's current enrolment (`modules.access.work_enrolment`):
    the trainers of that session follow it, those of the trainee's other sessions do not.
    """
    dossier, created = Dossier.objects.get_or_create(
        trainee=trainee,
        case_study=case_study,
        defaults={"enrolment": work_enrolment(trainee, timezone.localdate())},
    )
    if created:
        DossierMilestone.objects.bulk_create(
            [DossierMilestone(dossier=dossier, milestone=m) for m in MILESTONE_ORDER]
        )
    return dossier


def normalise_value(form_class: type[MilestoneForm], name: str, values: list[str]):
    """What is stored for a field: a list for checkbox groups, a string otherwise."""
    if form_class.is_multi(name):
        return [str(v) for v in values]
    return str(values[-1]) if values else ""


@dataclass(frozen=True)
class SaveOutcome:
    saved_at: object
    errors: list[str]


@transaction.atomic
def dossier_field_save(*, dossier, milestone: str, name: str, values: list[str]) -> SaveOutcome:
    """Store one field exactly as typed (even invalid) and return its validation errors.

    One upsert per field (unique dossier × milestone × name), so concurrent autosaves of
    different fields never overwrite each other; the last write of one field wins.
    """
    form_class = form_class_for(milestone)
    if name not in form_class.base_fields:
        raise KeyError(name)
    status = (
        DossierMilestone.objects.filter(dossier=dossier, milestone=milestone)
        .values_list("status", flat=True)
        .first()
    )
    if status not in (MilestoneStatus.IN_PROGRESS, MilestoneStatus.SENT_BACK):
        raise MilestoneLocked(milestone)
    value = normalise_value(form_class, name, values)
    now = timezone.now()
    DossierField.objects.bulk_create(
        [
            DossierField(
                dossier=dossier, milestone=milestone, name=name, value=value, updated_at=now
            )
        ],
        update_conflicts=True,
        unique_fields=["dossier", "milestone", "name"],
        update_fields=["value", "updated_at"],
    )
    Dossier.objects.filter(pk=dossier.pk).update(last_activity_at=now)
    return SaveOutcome(saved_at=now, errors=form_class.validate_one(name, value))


def simulator_comparison(dossier, milestone: str, answers: dict):
    """The field-by-field comparison of `answers` with the simulator, on the filing date.

    A situation that no longer passes the simulator's contract (edited outside the admin's
    validation) gives no comparison rather than an error: the trainer's rubric still grades.
    """
    case = dossier.case_study
    try:
        result = simulate_case(case.situation, filed_on=case.filed_on)
    except SituationError:
        logger.warning("Case study %s has an invalid situation", case.pk, exc_info=True)
        return []
    return compare_milestone(milestone, answers, result, case.situation)


@dataclass(frozen=True)
class CheckOutcome:
    feedback: list[FieldFeedback]
    remaining: int | None  # checks left before submission; None when the case sets no limit


def checks_remaining(state: DossierMilestone, limit: int | None) -> int | None:
    """Checks left on a milestone under the case study's limit (None: unlimited), never < 0."""
    return None if limit is None else max(0, limit - state.checks_used)


@transaction.atomic
def milestone_check(*, dossier, milestone: str, answers: dict) -> CheckOutcome:
    """The trainee's check of an editable milestone: agreement field by field, no answer.

    Counts one use of the case study's `simulator_check_limit` (per dossier and milestone,
    under a row lock so that parallel checks cannot exceed it); a check that compares nothing
    (milestone not checked by the simulator, invalid situation) is not counted.
    Raises MilestoneLocked (submitted or validated) or CheckLimitReached.
    """
    limit = dossier.case_study.simulator_check_limit
    state = DossierMilestone.objects.select_for_update().get(dossier=dossier, milestone=milestone)
    if not state.is_editable:
        raise MilestoneLocked(milestone)
    if checks_remaining(state, limit) == 0:
        raise CheckLimitReached(milestone)
    comparisons = simulator_comparison(dossier, milestone, answers)
    if comparisons:
        state.checks_used += 1
        DossierMilestone.objects.filter(pk=state.pk).update(checks_used=state.checks_used)
    labels = {name: f.label for name, f in form_class_for(milestone).base_fields.items()}
    rules = bareme_rules(dossier.case_study.filed_on)
    return CheckOutcome(
        feedback=check_feedback(comparisons, answers, labels, rules),
        remaining=checks_remaining(state, limit),
    )


@dataclass(frozen=True)
class SubmitOutcome:
    form: MilestoneForm
    submission: Submission | None


@transaction.atomic
def milestone_submit(*, dossier, milestone: str, answers: dict) -> SubmitOutcome:
    """Validate every field of the milestone; when valid, create a Submission for review."""
    milestone = Milestone(milestone)
    state = DossierMilestone.objects.select_for_update().get(dossier=dossier, milestone=milestone)
    if not state.is_editable:
        raise MilestoneLocked(milestone)
    form = form_class_for(milestone).from_values(answers)
    if not form.is_valid():
        return SubmitOutcome(form=form, submission=None)
    comparisons = simulator_comparison(dossier, milestone, answers)
    automatic = grading.automatic_score([c.ok for c in comparisons])
    now = timezone.now()
    submission = Submission.objects.create(
        dossier_milestone=state,
        submitted_at=now,
        answers=answers,
        comparison=[c.to_dict() for c in comparisons],
        automatic_score=automatic,
    )
    state.status = MilestoneStatus.SUBMITTED
    state.automatic_score = automatic
    state.save(update_fields=["status", "automatic_score", "updated_at"])
    Dossier.objects.filter(pk=dossier.pk).update(last_activity_at=now)
    return SubmitOutcome(form=form, submission=submission)


@transaction.atomic
def submission_decide(
    *, submission, trainer, decision: str, comment: str, rubric_points: dict[str, int]
) -> Submission:
    """Accept or send back a submitted milestone; the decision and scores are kept."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    state = DossierMilestone.objects.select_for_update().get(pk=submission.dossier_milestone_id)
    if submission.is_decided or state.status != MilestoneStatus.SUBMITTED:
        raise PermissionDenied("Cette soumission a déjà fait l'objet d'une décision.")
    if decision not in Submission.Decision.values:
        raise ValueError(decision)
    criteria = rubric_for(state.milestone)
    rubric = grading.rubric_score(rubric_points, criteria)
    score = grading.milestone_score(submission.automatic_score, rubric)
    submission.decision = decision
    submission.decided_by = trainer
    submission.decided_at = timezone.now()
    submission.comment = comment
    submission.rubric_points = rubric_points
    submission.rubric_score = rubric
    submission.score = score
    submission.save()
    state.rubric_score = rubric
    if decision == Submission.Decision.ACCEPTED:
        state.status = MilestoneStatus.VALIDATED
        state.score = score
    else:
        state.status = MilestoneStatus.SENT_BACK
        state.score = None
    state.save(update_fields=["status", "rubric_score", "score", "updated_at"])
    return submission
