"""Writes of the quality app: keyword-only `<noun>_<verb>` functions, atomic. Nothing of the
register is deleted: accommodations are ended, complaints closed."""

import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.notifications import kinds
from lms.notifications.services import notify
from lms.roles import Role
from lms.text import without_nul
from modules import access
from modules.models import Enrolment, TrainingSession

from . import rules
from .models import (
    Accommodation,
    Complaint,
    ComplaintStep,
    EvidencePack,
    ImprovementAction,
    SurveyAnswer,
    SurveyInvitation,
    SurveyPage,
    SurveyResponse,
)
from .rules import ComplaintStatus

ACCOMMODATION_FIELDS = (
    "time_factor",
    "alternative_format",
    "room_note",
    "confidential_note",
    "consent_on",
    "starts_on",
)


def _require_referent(user):
    if not access.records_accommodations(user):
        raise PermissionDenied("Réservé au ou à la référent·e handicap.")


def _refuse_own(by, trainee_id, field: str | None = None):
    """Nobody grants or changes their own accommodation (a referent, or an administrator, who
    is also a trainee): another referent records it."""
    if by.pk == trainee_id:
        message = "Un aménagement vous concernant est enregistré par un·e autre référent·e."
        raise ValidationError({field or NON_FIELD_ERRORS: message})


@transaction.atomic
def accommodation_record(*, by, trainee, **values) -> Accommodation:
    """A new accommodation for `trainee`, recorded by the disability referent `by`."""
    _require_referent(by)
    _refuse_own(by, getattr(trainee, "pk", None), "trainee")
    accommodation = Accommodation(trainee=trainee, recorded_by=by)
    for field in ACCOMMODATION_FIELDS:
        if field in values:
            setattr(accommodation, field, values[field])
    accommodation.full_clean()
    accommodation.save()
    return accommodation


@transaction.atomic
def accommodation_update(*, by, accommodation: Accommodation, **values) -> Accommodation:
    _require_referent(by)
    _refuse_own(by, accommodation.trainee_id)
    locked = Accommodation.objects.select_for_update().get(pk=accommodation.pk)
    for field in ACCOMMODATION_FIELDS:
        if field in values:
            setattr(locked, field, values[field])
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def accommodation_end(
    *, by, accommodation: Accommodation, on: datetime.date, reason: str
) -> Accommodation:
    """End an accommodation on `on` (it no longer applies from that day); kept in the register."""
    _require_referent(by)
    locked = Accommodation.objects.select_for_update().get(pk=accommodation.pk)
    if locked.ended_on is None or on < locked.ended_on:
        locked.ended_on = max(on, locked.starts_on)
        locked.end_reason = reason
        locked.save(update_fields=["ended_on", "end_reason", "updated_at"])
    return locked


# --- Complaints ----------------------------------------------------------------------------------


class ComplaintError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


STEP_DATE_FIELD = {
    ComplaintStatus.ACKNOWLEDGED: "acknowledged_at",
    ComplaintStatus.ANALYSED: "analysed_at",
    ComplaintStatus.ANSWERED: "answered_at",
    ComplaintStatus.CLOSED: "closed_at",
}


def _handlers():
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=Role.COORDINATOR.value).distinct()


@transaction.atomic
def complaint_file(
    *,
    by,
    kind: str,
    filer_name: str,
    filer_email: str,
    filer_role: str,
    subject: str,
    description: str,
    session=None,
    now=None,
) -> Complaint:
    """Record a complaint or an incident (`by` is the account, None for a visitor) and tell the
    coordination."""
    now = now or timezone.now()
    account = by if getattr(by, "is_authenticated", False) else None
    complaint = Complaint(
        kind=kind,
        filed_by=account,
        filer_name=without_nul(filer_name).strip(),
        filer_email=filer_email.strip(),
        filer_role=filer_role,
        session=session,
        subject=without_nul(subject).strip(),
        description=without_nul(description).strip(),
    )
    complaint.full_clean()
    complaint.save()
    ComplaintStep.objects.create(
        complaint=complaint, status=ComplaintStatus.FILED, at=complaint.filed_at, by=account
    )
    url = reverse("quality:complaint", args=[complaint.pk])
    for handler in _handlers():
        notify(
            handler,
            kinds.COMPLAINT_FILED,
            title=f"{complaint.get_kind_display()} n° {complaint.reference} : {complaint.subject}",
            url=url,
        )
    return complaint


@transaction.atomic
def complaint_advance(*, by, complaint: Complaint, status: str, note: str = "", now=None):
    """Take the next handling step of `complaint` (acknowledge, analyse, answer, close), dated
    now and signed by `by`. Analysis and answer need their text (`rules`)."""
    if not access.handles_complaints(by):
        raise PermissionDenied
    now = now or timezone.now()
    note = without_nul(note).strip()
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    refusal = rules.complaint_step_refusal(locked.status, status, note)
    if refusal:
        raise ComplaintError(refusal)
    target = ComplaintStatus(status)
    locked.status = target
    setattr(locked, STEP_DATE_FIELD[target], now)
    if target == ComplaintStatus.ANALYSED:
        locked.analysis = note
    elif target == ComplaintStatus.ANSWERED:
        locked.answer = note
    locked.save()
    ComplaintStep.objects.create(complaint=locked, status=target, at=now, by=by, note=note)
    if target == ComplaintStatus.ANSWERED and locked.filed_by_id:
        notify(
            locked.filed_by,
            kinds.COMPLAINT_ANSWERED,
            title=f"Votre {locked.get_kind_display().lower()} n° {locked.reference} a une réponse",
            url=reverse("quality:complaint", args=[locked.pk]),
        )
    return locked


@transaction.atomic
def improvement_action_add(
    *, by, complaint: Complaint, description: str, owner: str = "", due_on=None
) -> ImprovementAction:
    if not access.handles_complaints(by):
        raise PermissionDenied
    action = ImprovementAction(
        complaint=complaint,
        description=without_nul(description).strip(),
        owner=without_nul(owner).strip(),
        due_on=due_on,
        decided_by=by,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def improvement_action_done(*, by, action: ImprovementAction, on: datetime.date):
    if not access.handles_complaints(by):
        raise PermissionDenied
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if locked.done_on is None:
        locked.done_on = on
        locked.save(update_fields=["done_on"])
    return locked


# --- Surveys -------------------------------------------------------------------------------------


class SurveyError(Exception):
    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


SURVEYED_STATUSES = ("confirmed", "in_training", "completed")


@transaction.atomic
def survey_invitations_create(*, today: datetime.date) -> int:
    """Invite every trainee of a session not cancelled (confirmed, in training or completed) to
    each live survey whose window is open on `today`. Idempotent; returns the number created."""
    surveys = list(SurveyPage.objects.live().specific())
    if not surveys:
        return 0
    enrolments = (
        Enrolment.objects.filter(status__in=SURVEYED_STATUSES)
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .filter(session__week1_start__lte=today)
        .select_related("session")
        .only("pk", "session__week1_start", "session__week2_start", "session__week3_start")
    )
    new = []
    for enrolment in enrolments:
        session = enrolment.session
        starts = (session.week1_start, session.week2_start, session.week3_start)
        for survey in surveys:
            for window in rules.survey_windows(
                survey.moment,
                starts,
                open_days=survey.open_days,
                follow_up_delay_days=survey.follow_up_delay_days,
            ):
                if window.opens_on <= today <= window.closes_on:
                    new.append(
                        SurveyInvitation(
                            survey=survey,
                            enrolment=enrolment,
                            week=window.week,
                            opens_on=window.opens_on,
                            closes_on=window.closes_on,
                        )
                    )
    before = SurveyInvitation.objects.count()
    SurveyInvitation.objects.bulk_create(new, ignore_conflicts=True)
    return SurveyInvitation.objects.count() - before


def survey_reminders_send(*, today: datetime.date) -> int:
    """Invite (see above), then send the message of each invitation due today (`rules.
    reminder_due`) through `notify`: the first when it opens, then a reminder every few days
    until answered or closed. Returns the number of messages."""
    survey_invitations_create(today=today)
    candidates = (
        SurveyInvitation.objects.filter(
            answered_at__isnull=True, opens_on__lte=today, closes_on__gte=today
        )
        .select_related("survey", "enrolment__trainee", "enrolment__session")
        .order_by("pk")
    )
    sent = 0
    for invitation in candidates:
        if not rules.reminder_due(
            opens_on=invitation.opens_on,
            closes_on=invitation.closes_on,
            answered=False,
            reminders_sent=invitation.reminders_sent,
            last_reminded_on=invitation.last_reminded_on,
            today=today,
        ):
            continue
        with transaction.atomic():
            first = invitation.last_reminded_on is None
            claimed = SurveyInvitation.objects.filter(
                pk=invitation.pk,
                answered_at__isnull=True,
                last_reminded_on=invitation.last_reminded_on,
            ).update(
                last_reminded_on=today,
                reminders_sent=invitation.reminders_sent + (0 if first else 1),
            )
            if not claimed:  # answered or reminded meanwhile (another worker)
                continue
            session = invitation.enrolment.session
            week = f", semaine {invitation.week}" if invitation.week else ""
            notify(
                invitation.enrolment.trainee,
                kinds.SURVEY_DUE,
                title=(
                    "Un questionnaire de satisfaction vous attend"
                    if first
                    else "Rappel : votre avis sur la formation nous manque"
                ),
                url=reverse("quality:survey_answer", args=[invitation.pk]),
                body=(
                    f"{invitation.survey.title} — {session.name}{week}. "
                    f"Ouvert jusqu'au {invitation.closes_on:%d/%m/%Y}. Cinq minutes suffisent."
                ),
            )
            sent += 1
    return sent


def survey_specs(survey) -> list:
    return [
        rules.QuestionSpec(
            key=question.pk,
            kind=question.kind,
            required=question.required,
            options=tuple(question.choice_list),
        )
        for question in survey.questions.all()
    ]


@transaction.atomic
def survey_answer(
    *, trainee, invitation: SurveyInvitation, values: dict, anonymous: bool, today=None
) -> list[SurveyResponse]:
    """Record the trainee's answers to `invitation`, once. With `anonymous`, the answers to the
    questions that allow it are kept without the person (a response with no respondent); the
    others in a named response."""
    today = today or timezone.localdate()
    locked = (
        SurveyInvitation.objects.select_for_update()
        .select_related("enrolment", "survey")
        .get(pk=invitation.pk)
    )
    if locked.enrolment.trainee_id != trainee.pk:
        raise PermissionDenied
    if locked.answered_at is not None:
        raise SurveyError("Vous avez déjà répondu à ce questionnaire : merci !")
    if not (locked.opens_on <= today <= locked.closes_on):
        raise SurveyError("Ce questionnaire n'est pas ouvert aujourd'hui.")
    survey = locked.survey.specific
    questions = {question.pk: question for question in survey.questions.all()}
    answers, errors = rules.clean_survey_answers(survey_specs(survey), values)
    if errors:
        raise SurveyError("Vérifiez les réponses signalées.", errors)
    responses: dict[bool, SurveyResponse] = {}

    def response_for(hidden: bool) -> SurveyResponse:
        if hidden not in responses:
            responses[hidden] = SurveyResponse.objects.create(
                survey=survey,
                session_id=locked.enrolment.session_id,
                week=locked.week,
                moment=survey.moment,
                respondent=None if hidden else trainee,
                submitted_on=today,
            )
        return responses[hidden]

    rows = []
    for key, (score, text) in answers.items():
        question = questions[key]
        hidden = anonymous and question.anonymous_allowed
        rows.append(
            SurveyAnswer(
                response=response_for(hidden),
                question=question,
                question_text=question.text,
                kind=question.kind,
                measure=question.measure,
                score=score,
                value=text,
            )
        )
    SurveyAnswer.objects.bulk_create(rows)
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answered_at"])
    return list(responses.values())


# --- Evidence packs ------------------------------------------------------------------------------


# A pack still "en préparation" after this long is taken as lost (worker stopped): a new request
# builds another one.
PENDING_PACK_REUSED_FOR = datetime.timedelta(minutes=30)


@transaction.atomic
def evidence_pack_request(*, by, session, as_of: datetime.date | None = None) -> EvidencePack:
    """Ask for the evidence pack of `session` (its trainers and the coordination): recorded now,
    built by the background worker (`tasks.build_evidence_pack`) once committed. When the same
    pack is already being built, that one is returned (`already_requested` set on it)."""
    if not access.manages_session(by, session):
        raise PermissionDenied
    as_of = as_of or timezone.localdate()
    # A second click (or a colleague's) while the same pack is being built gets that one: no
    # second build, no second notification e-mail. The session row is locked so that two app
    # servers do not both find none.
    TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
    pending = (
        EvidencePack.objects.filter(
            session=session,
            as_of=as_of,
            status=EvidencePack.Status.PENDING,
            requested_at__gte=timezone.now() - PENDING_PACK_REUSED_FOR,
        )
        .defer("content")
        .first()
    )
    if pending is not None:
        pending.already_requested = True
        return pending
    pack = EvidencePack.objects.create(session=session, as_of=as_of, requested_by=by)
    from .tasks import build_evidence_pack

    transaction.on_commit(partial(build_evidence_pack.enqueue, pack.pk), robust=True)
    return pack


def evidence_pack_build(*, pack_id: int) -> EvidencePack:
    """Build the ZIP of a requested pack (idempotent: a ready pack is left as it is) and tell the
    person who asked."""
    from . import pack as builder

    pack = EvidencePack.objects.select_related("session", "requested_by").get(pk=pack_id)
    if pack.status == EvidencePack.Status.READY:
        return pack
    try:
        content = builder.build_pack(pack.session, as_of=pack.as_of)
    except Exception as error:
        EvidencePack.objects.filter(pk=pack.pk).update(
            status=EvidencePack.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        EvidencePack.objects.filter(pk=pack.pk).update(
            status=EvidencePack.Status.READY,
            content=content,
            size=len(content),
            sha256=builder.sha256(content),
            finished_at=timezone.now(),
            error="",
        )
        notify(
            pack.requested_by,
            kinds.EVIDENCE_PACK_READY,
            title=f"Le dossier de preuves de la session {pack.session.name} est prêt",
            url=reverse("quality:session", args=[pack.session_id]),
        )
    pack.refresh_from_db()
    return pack
