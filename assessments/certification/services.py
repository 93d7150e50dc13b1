"""Writes for competency results and certifications (keyword-only, atomic).

- `competency_results_refresh` recomputes the levels of many trainees in a constant number of
  queries (bulk create / bulk update); a trainer's decision is kept when the level moves.
- `competency_validate` records a trainer's decision and appends it to the history.
- `certification_create` checks eligibility inside the same transaction and numbers the
  certificate from a per-year counter incremented with a single UPDATE, so that concurrent
  certifications never share a number (the UPDATE is the transaction's first write: it takes the
  row lock on PostgreSQL and the write lock on SQLite before anything else is read).
- `certification_revoke` keeps the certificate, marks it revoked, with who, when and why.
- `certification_reissue` replaces a valid certificate after the holder's name changed: a new
  number, the same certification date, the name as it is now; the old one is marked superseded
  and points to the new one (both stay verifiable).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from lms.notifications.services import after_commit
from modules import access
from modules.models import Enrolment, SessionSlot

from ..models import CompetencyDecision, CompetencyResult
from . import numbers, rules, tasks
from . import selectors as reads
from .models import CertificateNumberCounter, Certification


@dataclass(frozen=True)
class CertificationError(Exception):
    """A refused action, with the French message shown to the user."""

    message: str
    field: str | None = None

    def __str__(self):
        return self.message


# --- Competency results ------------------------------------------------------------------------

COMPUTED_FIELDS = (
    "computed_level",
    "assessment_level",
    "assessment_count",
    "dossier_level",
    "dossier_count",
    "proposal",
)


def competency_results_refresh(*, trainees) -> dict[int, dict[str, CompetencyResult]]:
    """Recompute every competency level of `trainees` (users or ids) from the evidence, and
    store what changed.

    Read first, outside any transaction (the programme and competencies as every page shares
    them, `lms.shared`): when the stored results already say what the evidence gives — most
    visits of "Mon parcours" and of the trainers' follow-up —, nothing is written and no
    transaction is opened (on SQLite a transaction takes the database's write lock). Otherwise
    the results are recomputed and written in one transaction (`_refresh_and_store`), from
    fresh reads. Queries: programme and competencies (shared), evidence (the producers' own
    constant counts), existing results; then, only when something changed, the same reads
    again, one bulk insert and one bulk update; never per trainee.
    """
    trainee_ids = sorted({getattr(trainee, "pk", trainee) for trainee in trainees})
    if not trainee_ids:
        return {}
    existing, to_create, to_update = _results_planned(
        trainee_ids, reads.shared_programme_rules(), reads.shared_competencies()
    )
    if not to_create and not to_update:
        return existing
    return _refresh_and_store(trainee_ids)


@transaction.atomic
def _refresh_and_store(trainee_ids) -> dict[int, dict[str, CompetencyResult]]:
    existing, to_create, to_update = _results_planned(
        trainee_ids, reads.programme_rules(), reads.competencies()
    )
    if to_create:
        CompetencyResult.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        CompetencyResult.objects.bulk_update(
            to_update, [*COMPUTED_FIELDS, "computed_at"], batch_size=500
        )
    return existing


def _results_planned(trainee_ids, programme, competency_list):
    """(results by trainee and code with the computed fields set, new results to insert,
    stored results whose computed fields changed); nothing written."""
    attempts, dossiers = reads.evidence_for(trainee_ids)
    existing = reads.results_by_trainee(trainee_ids)
    now = timezone.now()
    to_create, to_update = [], []
    for trainee_id in trainee_ids:
        for competency in competency_list:
            computed = rules.competency_level(
                attempts.get(trainee_id, {}).get(competency.code, []),
                dossiers.get(trainee_id, {}).get(competency.code, []),
                programme.pass_percent,
            )
            values = {
                "computed_level": computed.level,
                "assessment_level": computed.assessment_level,
                "assessment_count": computed.assessment_count,
                "dossier_level": computed.dossier_level,
                "dossier_count": computed.dossier_count,
                "proposal": computed.proposal,
            }
            result = existing.get(trainee_id, {}).get(competency.code)
            if result is None:
                result = CompetencyResult(
                    trainee_id=trainee_id, competency=competency, computed_at=now, **values
                )
                to_create.append(result)
                existing.setdefault(trainee_id, {})[competency.code] = result
            elif any(getattr(result, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(result, name, value)
                result.computed_at = now
                to_update.append(result)
    return existing, to_create, to_update


@transaction.atomic
def competency_validate(
    *, result: CompetencyResult, user, decision: str, comment: str = ""
) -> CompetencyResult:
    """Validate or invalidate a competency; the decision is appended to the history.

    Allowed to a trainer of one of the trainee's sessions and to coordinators. A comment is
    required to invalidate, and to validate a level below the programme's threshold. A
    competency with no evidence cannot be validated; decisions are frozen once the trainee is
    certified (revoke the certificate first).
    """
    if not access.follows_trainee(user, result.trainee_id):
        raise PermissionDenied("Vous ne suivez pas ce ou cette stagiaire.")
    if decision not in CompetencyDecision.Decision.values:
        raise CertificationError("Décision inconnue.", "decision")
    comment = (comment or "").strip()
    result = (
        CompetencyResult.objects.select_for_update().select_related("competency").get(pk=result.pk)
    )
    if Certification.objects.filter(
        trainee_id=result.trainee_id, status=Certification.Status.VALID
    ).exists():
        raise CertificationError(
            "Ce ou cette stagiaire est déjà certifié·e : révoquez la certification "
            "avant de modifier une compétence."
        )
    threshold = reads.programme_rules().pass_percent
    if decision == CompetencyDecision.Decision.INVALIDATED and not comment:
        raise CertificationError(
            "Expliquez en quelques mots pourquoi la compétence n'est pas validée.", "comment"
        )
    if decision == CompetencyDecision.Decision.VALIDATED:
        if result.computed_level is None:
            raise CertificationError(
                "Aucune évaluation ni aucun dossier n'établit encore cette compétence."
            )
        if result.computed_level < threshold and not comment:
            raise CertificationError(
                f"Le niveau calculé ({rules.format_percent(result.computed_level)} %) est "
                f"sous le seuil de {threshold} % : justifiez la validation par un commentaire.",
                "comment",
            )
    now = timezone.now()
    result.status = decision
    result.validated_by = user
    result.validated_at = now
    result.comment = comment
    result.save(update_fields=["status", "validated_by", "validated_at", "comment"])
    recorded = CompetencyDecision.objects.create(
        result=result,
        decided_by=user,
        decision=decision,
        comment=comment,
        level_at_decision=result.computed_level,
    )
    after_commit(tasks.notify_competency_decided, recorded.pk)
    return result


@dataclass(frozen=True)
class BulkValidation:
    """What a bulk validation did: the results validated, and how many of the chosen ones had
    changed since the page was shown (decided by someone else, level moved, trainee certified)
    and were left alone."""

    validated: list
    skipped: int


@transaction.atomic
def competencies_validate_reached(
    *, session, user, result_ids, comment: str = ""
) -> BulkValidation:
    """Validate, in one decision, the chosen competency results of `session` that the rule
    proposes "atteinte" (level at or above the programme's threshold) and nobody decided yet.

    Allowed to the session's trainers and to coordinators (`modules.access`). Only results that
    are still proposed "atteinte" when the rows are locked are validated: a result decided
    meanwhile, whose level fell, or whose trainee got certified, is skipped and counted. One
    comment for all; each validation is appended to the history. Constant number of queries.
    """
    if not access.manages_session(user, session):
        raise PermissionDenied("Vous n'encadrez pas cette session.")
    wanted = {int(pk) for pk in result_ids}
    if not wanted:
        raise CertificationError("Cochez au moins une compétence à valider.", "results")
    comment = (comment or "").strip()
    threshold = reads.programme_rules().pass_percent
    trainee_ids = [enrolment.trainee_id for enrolment in reads.session_enrolments(session)]
    results = list(
        CompetencyResult.objects.select_for_update()
        .filter(
            pk__in=wanted,
            trainee_id__in=trainee_ids,
            status=CompetencyResult.Status.PROPOSED,
            proposal=CompetencyResult.Proposal.REACHED,
            computed_level__gte=threshold,
        )
        .exclude(trainee__certifications__status=Certification.Status.VALID)
        .order_by("pk")
    )
    now = timezone.now()
    for result in results:
        result.status = CompetencyResult.Status.VALIDATED
        result.validated_by = user
        result.validated_at = now
        result.comment = comment
    CompetencyResult.objects.bulk_update(
        results, ["status", "validated_by", "validated_at", "comment"], batch_size=500
    )
    CompetencyDecision.objects.bulk_create(
        [
            CompetencyDecision(
                result=result,
                decided_by=user,
                decided_at=now,
                decision=CompetencyDecision.Decision.VALIDATED,
                comment=comment,
                level_at_decision=result.computed_level,
            )
            for result in results
        ],
        batch_size=500,
    )
    return BulkValidation(validated=results, skipped=len(wanted) - len(results))


# --- Certification -----------------------------------------------------------------------------


def next_certificate_number(
    year: int, *, counter=CertificateNumberCounter, prefix: str = numbers.PREFIX
) -> str:
    """The next number of `year`, e.g. "ENS-2026-00123-K7QF" (`numbers`); call inside a
    transaction. `counter` is a model with `year` (primary key) and `last_value`: the
    awareness attestations count in their own series with the same scheme ("SEN-…").

    The counter is incremented by one UPDATE first (the lock is taken before anything is read);
    the row is created on first use of a year.
    """
    updated = counter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    if not updated:
        try:
            with transaction.atomic():
                counter.objects.create(year=year, last_value=1)
        except IntegrityError:
            counter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    value = counter.objects.filter(year=year).values_list("last_value", flat=True)[0]
    return numbers.format_number(year, value, numbers.random_check(), prefix=prefix)


def certificate_contents(enrolment: Enrolment) -> dict:
    """What a certificate of `enrolment` certifies today (two queries)."""
    session = enrolment.session
    days = SessionSlot.objects.filter(session=session).aggregate(
        first=Min("date"), last=Max("date")
    )
    return {
        "holder_name": enrolment.trainee.get_full_name(),
        "programme_title": reads.programme_rules().title,
        "session_name": session.name,
        "session_first_day": days["first"] or session.week1_start,
        "session_last_day": days["last"] or session.week3_start + datetime.timedelta(days=4),
        "competencies": [
            [competency.code, competency.title] for competency in reads.competencies()
        ],
    }


def _check_can_certify(user, session) -> None:
    if not access.manages_session(user, session):
        raise PermissionDenied("Seuls les formateurs de la session et la coordination certifient.")


def certification_create(*, enrolment: Enrolment, user, today=None) -> Certification:
    """Certify the trainee of `enrolment` when eligible; refuses a second valid certification."""
    _check_can_certify(user, enrolment.session)
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            number = next_certificate_number(today.year)
            enrolment = (
                Enrolment.objects.select_for_update()
                .select_related("session", "trainee")
                .get(pk=enrolment.pk)
            )
            if enrolment.status not in Enrolment.Status.CERTIFIABLE:
                raise CertificationError(
                    "Cette inscription n'est pas en cours ou terminée : pas de certification."
                )
            if Certification.objects.filter(
                trainee_id=enrolment.trainee_id, status=Certification.Status.VALID
            ).exists():
                raise CertificationError("Ce ou cette stagiaire est déjà certifié·e.")
            row = reads.trainee_rows(
                [enrolment],
                programme=reads.programme_rules(),
                competency_list=reads.competencies(),
                evidence=({}, {}),
            )[0]
            if not row.eligibility.eligible:
                raise CertificationError(
                    "Pas encore certifiable : " + " ".join(row.eligibility.reasons)
                )
            certification = Certification.objects.create(
                number=number,
                trainee_id=enrolment.trainee_id,
                enrolment=enrolment,
                session=enrolment.session,
                territory_id=enrolment.session.territory_id,
                certified_on=today,
                certified_by=user,
                attended_hours=row.hours,
                issued_on=today,
                **certificate_contents(enrolment),
            )
            after_commit(tasks.notify_certificate_issued, certification.pk)
            return certification
    except IntegrityError as error:
        # Two certifiers at once: the partial unique constraint let only one through.
        raise CertificationError("Ce ou cette stagiaire est déjà certifié·e.") from error


@transaction.atomic
def certification_revoke(*, certification: Certification, user, reason: str) -> Certification:
    _check_can_certify(user, certification.session)
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError("Indiquez le motif de la révocation.", "reason")
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.is_superseded:
        raise CertificationError("Ce certificat a été remplacé : révoquez le nouveau.")
    if certification.status != Certification.Status.VALID:
        raise CertificationError("Ce certificat est déjà révoqué.")
    certification.status = Certification.Status.REVOKED
    certification.revoked_reason = reason
    certification.revoked_by = user
    certification.revoked_at = timezone.now()
    certification.save(update_fields=["status", "revoked_reason", "revoked_by", "revoked_at"])
    return certification


# What a reissue keeps from the certificate it replaces (everything but the name and the number).
KEPT_ON_REISSUE = (
    "trainee_id",
    "enrolment_id",
    "session_id",
    "territory_id",
    "certified_on",
    "certified_by_id",
    "attended_hours",
    "programme_title",
    "session_name",
    "session_first_day",
    "session_last_day",
    "competencies",
)


def certification_reissue(
    *, certification: Certification, user, reason: str = "", today=None
) -> Certification:
    """Reissue a valid certificate with the holder's name as it is now (after a name change).

    The new certificate gets a new number of the current year, the same certification date,
    session, programme, competencies and hours; the old one becomes "superseded", points to the
    new one and stays verifiable (its page says it was replaced and by which number). Refused
    when the certificate is not valid or the name has not changed. Raises CertificationError
    (French message) or PermissionDenied.
    """
    _check_can_certify(user, certification.session)
    today = today or timezone.localdate()
    with transaction.atomic():
        number = next_certificate_number(today.year)
        old = (
            Certification.objects.select_for_update()
            .select_related("trainee")
            .get(pk=certification.pk)
        )
        if not old.is_valid:
            raise CertificationError("Seul un certificat valide peut être réémis.")
        name = old.trainee.get_full_name()
        if name == old.holder_name:
            raise CertificationError(
                "Le nom du ou de la titulaire n'a pas changé : rien à réémettre."
            )
        now = timezone.now()
        old.status = Certification.Status.SUPERSEDED
        old.superseded_at = now
        old.save(update_fields=["status", "superseded_at"])
        new = Certification.objects.create(
            **{field: getattr(old, field) for field in KEPT_ON_REISSUE},
            number=number,
            reissued_by=user,
            holder_name=name,
            issued_on=today,
            reissue_reason=(reason or "").strip() or "Changement de nom du ou de la titulaire.",
        )
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        after_commit(tasks.notify_certificate_issued, new.pk)
        return new
