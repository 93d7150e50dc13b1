"""Writes on dossiers: open, autosave one field, submit a milestone, decide on a submission."""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.choices import require_choice
from lms.notifications.services import after_commit
from lms.text import NUL_MESSAGE, has_nul, without_nul
from modules.access import work_enrolment

from . import grading, tasks
from .compare import FieldFeedback, bareme_rules, check_feedback, compare_milestone
from .forms import MilestoneForm, form_class_for
from .milestones import MILESTONE_ORDER, Milestone
from .models import (
    EDITABLE_STATUSES,
    Dossier,
    DossierField,
    DossierMilestone,
    MilestoneStatus,
    Submission,
)
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
    """What is stored for a field: a list for checkbox groups, a string otherwise; NUL
    characters removed (PostgreSQL cannot store them, lms.text)."""
    if form_class.is_multi(name):
        return [without_nul(str(v)) for v in values]
    return without_nul(str(values[-1])) if values else ""


@dataclass(frozen=True)
class FieldConflict:
    """The field changed elsewhere (another tab or device) since the version the client had."""

    stored_value: object  # str, or list[str] for checkbox groups
    stored_version: int
    stored_at: datetime.datetime


@dataclass(frozen=True)
class SaveOutcome:
    saved_at: datetime.datetime | None
    errors: list[str]
    version: int = 0  # the field's version after the save (or the stored one on a conflict)
    conflict: FieldConflict | None = None


@transaction.atomic
def dossier_field_save(
    *, dossier, milestone: str, name: str, values: list[str], version: int | None = None
) -> SaveOutcome:
    """Store one field exactly as typed (even invalid) and return its validation errors.

    `version` is the field's version the client last saw (0 for a field it saw empty); when it
    is not the stored one and the value differs from the stored value, nothing is written and
    the outcome carries a FieldConflict (two tabs editing the same field). `version=None`
    skips the check (last write wins). The same value is never a conflict and is not rewritten.

    The milestone row is locked first (SELECT … FOR UPDATE on PostgreSQL), so a save and a
    submission of the same milestone are serialised: once submitted, a milestone's fields are
    never rewritten (MilestoneLocked). Two small reads (the locked milestone's status, then the
    field) and one write — plus the dossier's last activity, at most once a minute
    (`ACTIVITY_STEP`) — so the autosave's query count stays constant. (Two simple queries cost
    the app less than one with four subqueries: query building is most of an autosave's CPU.)
    """
    form_class = form_class_for(milestone)
    if name not in form_class.base_fields:
        raise KeyError(name)
    status = next(
        iter(
            DossierMilestone.objects.select_for_update()
            .filter(dossier=dossier, milestone=milestone)
            .order_by()  # one row: no ordering, so no join to the dossier (nor lock on it)
            .values_list("status", flat=True)
        ),
        None,
    )
    if status not in EDITABLE_STATUSES:
        raise MilestoneLocked(milestone)
    fields = DossierField.objects.filter(dossier=dossier, milestone=milestone, name=name)
    row = next(iter(fields.values("pk", "version", "value", "updated_at")), None)
    value = normalise_value(form_class, name, values)
    errors = form_class.validate_one(name, value)
    if has_nul(values):
        errors = [NUL_MESSAGE, *errors]
    stored = row is not None
    current = row["version"] if stored else 0
    if stored and row["value"] == value:
        return SaveOutcome(saved_at=row["updated_at"], errors=errors, version=current)
    if stored and version is not None and version != current:
        conflict = FieldConflict(row["value"], current, row["updated_at"])
        return SaveOutcome(saved_at=None, errors=[], version=current, conflict=conflict)
    now = timezone.now()
    # The field is read after the lock is granted, so saves of this milestone are serialised;
    # should a write slip in all the same (a database that does not lock rows), the update
    # names the version it read and the insert meets the unique constraint.
    if stored:
        written = DossierField.objects.filter(pk=row["pk"], version=current).update(
            value=value, version=current + 1, updated_at=now
        )
    else:
        try:
            with transaction.atomic():
                DossierField.objects.create(
                    dossier=dossier, milestone=milestone, name=name, value=value, updated_at=now
                )
            written = 1
        except IntegrityError:
            written = 0
    if not written:
        return _save_after_race(fields, value, version, errors, now)
    _touch_activity(dossier, now)
    return SaveOutcome(saved_at=now, errors=errors, version=current + 1)


# The dossier's "dernière activité" is shown to the minute (Mes dossiers, the review list):
# an autosave every few seconds while typing rewrites it at most once a minute.
ACTIVITY_STEP = datetime.timedelta(minutes=1)


def _touch_activity(dossier, now: datetime.datetime) -> None:
    last = dossier.last_activity_at
    if last is None or not (now - ACTIVITY_STEP < last <= now):
        Dossier.objects.filter(pk=dossier.pk).update(last_activity_at=now)
        dossier.last_activity_at = now


def _save_after_race(fields, value, version: int | None, errors, now) -> SaveOutcome:
    """The field was written by another transaction since this one read it: decide again on
    the committed row (same value: saved; a version named: conflict; none: last write wins)."""
    fresh = fields.values("version", "value", "updated_at").get()
    if fresh["value"] == value:
        return SaveOutcome(saved_at=fresh["updated_at"], errors=errors, version=fresh["version"])
    if version is not None:
        conflict = FieldConflict(fresh["value"], fresh["version"], fresh["updated_at"])
        return SaveOutcome(saved_at=None, errors=[], version=fresh["version"], conflict=conflict)
    fields.update(value=value, version=fresh["version"] + 1, updated_at=now)
    return SaveOutcome(saved_at=now, errors=errors, version=fresh["version"] + 1)


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
def milestone_submit(*, dossier, milestone: str) -> SubmitOutcome:
    """Validate every stored field of the milestone; when valid, create a Submission for review.

    The milestone row is locked before the answers are read, so the submission holds exactly
    the answers stored when it was made (a concurrent autosave lands before, or is refused).
    A second submission racing the first waits for the lock and raises MilestoneLocked.
    """
    milestone = Milestone(milestone)
    state = DossierMilestone.objects.select_for_update().get(dossier=dossier, milestone=milestone)
    if not state.is_editable:
        raise MilestoneLocked(milestone)
    answers = dict(
        DossierField.objects.filter(dossier=dossier, milestone=milestone).values_list(
            "name", "value"
        )
    )
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
    state.automatic_score = grading.scored_agreement(_agreements(state))
    state.save(update_fields=["status", "automatic_score", "updated_at"])
    Dossier.objects.filter(pk=dossier.pk).update(last_activity_at=now)
    after_commit(tasks.notify_milestone_submitted, submission.pk)
    return SubmitOutcome(form=form, submission=submission)


def _agreements(state: DossierMilestone) -> list:
    """Each submission's agreement with the simulator (percent or None), oldest first."""
    return list(
        state.submissions.order_by("submitted_at", "pk").values_list("automatic_score", flat=True)
    )


@transaction.atomic
def submission_decide(
    *, submission, trainer, decision: str, comment: str, rubric_points: dict[str, int]
) -> Submission:
    """Accept or send back a submitted milestone; the decision and scores are kept. A milestone
    may be sent back without the rubric (`rubric_points` empty): it then has no score.

    The score's agreement part is the milestone's FIRST compared submission's agreement
    (grading.scored_agreement), not this submission's: a resubmission after a send-back, made
    once the expected values were shown, improves the rubric part only.
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    state = DossierMilestone.objects.select_for_update().get(pk=submission.dossier_milestone_id)
    if submission.is_decided or state.status != MilestoneStatus.SUBMITTED:
        raise PermissionDenied("Cette soumission a déjà fait l'objet d'une décision.")
    require_choice(decision, Submission.Decision, field="decision", what="une décision connue")
    criteria = rubric_for(state.milestone)
    if decision == Submission.Decision.SENT_BACK and not rubric_points:
        # Sent back with a comment only: no grid, no score (the next submission is graded).
        rubric = score = None
    else:
        rubric = grading.rubric_score(rubric_points, criteria)
        score = grading.milestone_score(grading.scored_agreement(_agreements(state)), rubric)
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
    after_commit(tasks.notify_milestone_decided, submission.pk)
    return submission
