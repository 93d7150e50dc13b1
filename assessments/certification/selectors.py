"""Reads for competency results and certification: each returns what a page needs in a fixed
number of queries, whatever the number of trainees.

Evidence comes from two producers through their selectors:
`assessments.selectors.competency_scores_from_attempts` (graded quizzes and final assessment) and
`casestudies.selectors.competency_evidence` (accepted dossier milestones).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from casestudies.selectors import competency_evidence
from lms import shared
from lms.collation import person_key, sorted_people, trainee_names
from modules import access
from modules.models import Attendance, Competency, Enrolment, TrainingSession

from ..models import AssessmentPage, Attempt, CompetencyDecision, CompetencyResult
from ..selectors import competency_scores_from_attempts
from . import numbers, rules, tracker
from .gate import (
    PRESENT,
    ProgrammeRules,
    programme_rules,
    slot_hours,
)
from .models import Certification, NationalTargetSettings

__all__ = ["PRESENT", "ProgrammeRules", "programme_rules"]


def competencies() -> list[Competency]:
    return list(Competency.objects.order_by("code"))


def shared_competencies() -> tuple[Competency, ...]:
    """`competencies()` as every page shares them (`lms.shared`: once per process and state
    of the site; a saved competency moves it). Read only."""
    return shared.shared(
        "certification-competencies", None, lambda: tuple(competencies()),
        generation=shared.generation(),
    )  # fmt: skip


def shared_programme_rules() -> ProgrammeRules:
    """`programme_rules()` as every page shares them (`lms.shared`; publishing the programme
    page moves it). For reads; a write checks the rules it enforces with `programme_rules()`."""
    return shared.shared("programme-rules", None, programme_rules, generation=shared.generation())


# --- Who may do what -----------------------------------------------------------------------


def user_can_read_certification(user, certification: Certification) -> bool:
    """The certified trainee, a trainer of their session, coordinators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if certification.trainee_id == user.pk:
        return True
    return access.manages_session(user, certification.session)


# --- Evidence, hours, results --------------------------------------------------------------


def evidence_for(trainee_ids) -> tuple[dict, dict]:
    """({trainee: {code: [assessment percents]}}, {trainee: {code: [dossier percents]}})."""
    ids = list(trainee_ids)
    if not ids:
        return {}, {}
    return competency_scores_from_attempts(ids), competency_evidence(ids)


def attended_hours(enrolment_ids) -> dict[int, Decimal]:
    """Hours attended (present half-days) per enrolment, in one query."""
    hours: dict[int, Decimal] = defaultdict(Decimal)
    rows = (
        Attendance.objects.filter(enrolment_id__in=list(enrolment_ids), status=PRESENT)
        .values_list("enrolment_id", "slot__date", "slot__start_time", "slot__end_time")
        .order_by()
    )
    for enrolment_id, day, start, end in rows:
        hours[enrolment_id] += slot_hours(day, start, end)
    return {key: rules.round_percent(value) for key, value in hours.items()}


def results_by_trainee(trainee_ids) -> dict[int, dict[str, CompetencyResult]]:
    """{trainee: {code: result}} with the competency loaded (one query)."""
    results: dict[int, dict[str, CompetencyResult]] = defaultdict(dict)
    for result in CompetencyResult.objects.filter(trainee_id__in=list(trainee_ids)).select_related(
        "competency", "validated_by"
    ):
        results[result.trainee_id][result.competency.code] = result
    return results


@dataclass(frozen=True)
class AssessmentOutcome:
    """What certification reads from a trainee's attempts."""

    final_passed: bool | None = None  # None: no graded attempt at a final evaluation yet
    final_percent: Decimal | None = None  # best graded final percent
    pending_corrections: int = 0  # submitted attempts awaiting a trainer's grading


def assessment_outcomes(trainee_ids) -> dict[int, AssessmentOutcome]:
    """{trainee: AssessmentOutcome} from submitted and graded attempts (one query)."""
    rows = (
        Attempt.objects.filter(
            trainee_id__in=list(trainee_ids),
            status__in=(Attempt.Status.SUBMITTED, Attempt.Status.GRADED),
        )
        .values_list("trainee_id", "assessment__kind", "status", "passed", "percent")
        .order_by()
    )
    passed: dict[int, bool] = {}
    best: dict[int, Decimal] = {}
    pending: dict[int, int] = defaultdict(int)
    for trainee_id, kind, status, did_pass, percent in rows:
        if status == Attempt.Status.SUBMITTED:
            pending[trainee_id] += 1
        elif kind == AssessmentPage.Kind.FINAL:
            passed[trainee_id] = passed.get(trainee_id, False) or bool(did_pass)
            if percent is not None and percent > best.get(trainee_id, Decimal(-1)):
                best[trainee_id] = percent
    return {
        trainee_id: AssessmentOutcome(
            final_passed=passed.get(trainee_id),
            final_percent=best.get(trainee_id),
            pending_corrections=pending.get(trainee_id, 0),
        )
        for trainee_id in set(passed) | set(pending)
    }


def valid_certifications_by_trainee(trainee_ids) -> dict[int, Certification]:
    return {
        certification.trainee_id: certification
        for certification in Certification.objects.filter(
            trainee_id__in=list(trainee_ids), status=Certification.Status.VALID
        )
    }


@dataclass
class TraineeRow:
    """One trainee of a session as the Suivi and Certifications screens show them."""

    enrolment: Enrolment
    hours: Decimal
    eligibility: rules.Eligibility
    results: dict[str, CompetencyResult]
    certification: Certification | None
    outcome: AssessmentOutcome = field(default_factory=AssessmentOutcome)
    assessment_scores: dict[str, list] = field(default_factory=dict)
    dossier_scores: dict[str, list] = field(default_factory=dict)
    cells: list = field(default_factory=list)

    @property
    def trainee(self):
        return self.enrolment.trainee

    @property
    def to_validate(self) -> int:
        return sum(
            1
            for result in self.results.values()
            if result.status == CompetencyResult.Status.PROPOSED
            and result.proposal == CompetencyResult.Proposal.REACHED
        )

    @property
    def certifiable(self) -> bool:
        return self.eligibility.eligible and self.certification is None

    @property
    def quiz_count(self) -> int:
        return sum(len(values) for values in self.assessment_scores.values())

    @property
    def dossier_count(self) -> int:
        return sum(len(values) for values in self.dossier_scores.values())

    @property
    def priority(self) -> tuple:
        """Eligible and not yet certified first, then those with competencies to validate."""
        return (
            0 if self.certifiable else 1,
            0 if self.to_validate else 1,
            person_key(self.trainee.last_name, self.trainee.first_name),
            self.enrolment.pk,
        )


def trainee_rows(
    enrolments: list[Enrolment],
    *,
    programme: ProgrammeRules,
    competency_list: list[Competency],
    evidence: tuple[dict, dict] | None = None,
) -> list[TraineeRow]:
    """Rows for enrolments (trainee loaded), sorted by what needs action first.

    Queries: attendance (1), results (1), attempts (1), certifications (1), plus the evidence
    providers' own constant counts when `evidence` is not given.
    """
    trainee_ids = [enrolment.trainee_id for enrolment in enrolments]
    hours = attended_hours([enrolment.pk for enrolment in enrolments])
    results = results_by_trainee(trainee_ids)
    outcomes = assessment_outcomes(trainee_ids)
    certified = valid_certifications_by_trainee(trainee_ids)
    attempts, dossiers = evidence if evidence is not None else evidence_for(trainee_ids)
    codes = [competency.code for competency in competency_list]
    rows = []
    for enrolment in enrolments:
        trainee_results = results.get(enrolment.trainee_id, {})
        validated = [code for code, result in trainee_results.items() if result.is_validated]
        outcome = outcomes.get(enrolment.trainee_id, AssessmentOutcome())
        eligibility = rules.certification_eligibility(
            validated_codes=validated,
            required_codes=codes,
            attended_hours=hours.get(enrolment.pk, Decimal(0)),
            programme_hours=programme.duration_hours,
            attendance_threshold=programme.attendance_threshold,
            final_passed=outcome.final_passed,
            pending_corrections=outcome.pending_corrections,
        )
        row = TraineeRow(
            enrolment=enrolment,
            hours=hours.get(enrolment.pk, Decimal(0)),
            eligibility=eligibility,
            results=trainee_results,
            certification=certified.get(enrolment.trainee_id),
            outcome=outcome,
            assessment_scores=attempts.get(enrolment.trainee_id, {}),
            dossier_scores=dossiers.get(enrolment.trainee_id, {}),
        )
        row.cells = [
            (competency, trainee_results.get(competency.code)) for competency in competency_list
        ]
        rows.append(row)
    rows.sort(key=lambda row: row.priority)
    return rows


def session_enrolments(session: TrainingSession) -> list[Enrolment]:
    """The session's certifiable enrolments, in French alphabetical order (lms.collation)."""
    return sorted_people(
        Enrolment.objects.filter(session=session, status__in=Enrolment.Status.CERTIFIABLE)
        .select_related("trainee", "session")
        .order_by("pk"),
        trainee_names,
    )


def decisions_by_competency(user) -> dict[str, list[CompetencyDecision]]:
    """{code: [decisions, newest first]} about the trainee's competencies (one query)."""
    decisions: dict[str, list[CompetencyDecision]] = {}
    for decision in (
        CompetencyDecision.objects.filter(result__trainee=user)
        .select_related("decided_by", "result__competency")
        .order_by("-decided_at", "-pk")
    ):
        decisions.setdefault(decision.result.competency.code, []).append(decision)
    return decisions


def certifications_of(user) -> list[Certification]:
    """The trainee's certificates, newest first, whatever their status (one query)."""
    return list(
        Certification.objects.filter(trainee=user).select_related("session").order_by("-pk")
    )


def followed_sessions(user):
    """The user's sessions (not cancelled), with first/last day and certifiable trainees
    (people), newest first: a queryset to paginate."""
    return (
        access.managed_sessions(user)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .select_related("territory")
        .annotate(
            first_day=Min("slots__date"),
            last_day=Max("slots__date"),
            trainees=Count(
                "enrolments__trainee",
                filter=Q(enrolments__status__in=Enrolment.Status.CERTIFIABLE),
                distinct=True,
            ),
        )
        .order_by("-week1_start", "name")
    )


def certification_candidates(user, session_id=None) -> list[Enrolment]:
    """Enrolments of the user's sessions whose five competencies are validated and who hold no
    valid certificate (at most 200, oldest sessions first); `trainee_rows` then says which of
    them are certifiable and why the others are not. One query."""
    enrolments = Enrolment.objects.filter(
        session__in=access.managed_sessions(user), status__in=Enrolment.Status.CERTIFIABLE
    )
    if session_id:
        enrolments = enrolments.filter(session_id=session_id)
    found = list(
        enrolments.annotate(
            validated=Count(
                "trainee__competency_results",
                filter=Q(trainee__competency_results__status=CompetencyResult.Status.VALIDATED),
                distinct=True,
            )
        )
        .filter(validated__gte=max(len(competencies()), 1))
        .exclude(trainee__certifications__status=Certification.Status.VALID)
        .select_related("trainee", "session", "session__territory")
        .order_by("session__week1_start", "trainee__last_name", "trainee__first_name")[:200]
    )
    return sorted(
        found,
        key=lambda enrolment: (
            enrolment.session.week1_start,
            person_key(enrolment.trainee.last_name, enrolment.trainee.first_name),
        ),
    )


def certification_evidence(enrolment: Enrolment) -> dict:
    """What the trainer sees before certifying: the row (rules, hours, final evaluation,
    pending corrections), each competency with its result, and the programme's thresholds."""
    programme = programme_rules()
    competency_list = competencies()
    row = trainee_rows([enrolment], programme=programme, competency_list=competency_list)[0]
    return {
        "enrolment": enrolment,
        "row": row,
        "programme": programme,
        "checks": [(check, CHECK_LABELS[check.rule]) for check in row.eligibility.checks],
    }


CHECK_LABELS = {
    rules.RULE_FINAL_PASSED: "Évaluation finale réussie",
    rules.RULE_COMPETENCIES: "Cinq compétences validées",
    rules.RULE_ATTENDANCE: "Assiduité au seuil du programme",
    rules.RULE_NO_PENDING_CORRECTION: "Aucune correction en attente",
}


def find_certification(number: str) -> Certification | None:
    """A certificate by its number (or its pre-2026 sequential number, for staff searches),
    whatever its case and spaces."""
    cleaned = numbers.normalise(number)
    if not cleaned:
        return None
    return (
        Certification.objects.filter(Q(number=cleaned) | Q(legacy_number=cleaned))
        .select_related("trainee", "session", "session__territory", "certified_by", "revoked_by")
        .first()
    )


def trainee_enrolments(user) -> list[Enrolment]:
    """The trainee's enrolments (any status but dropped before starting), newest first."""
    return list(
        Enrolment.objects.filter(trainee=user)
        .exclude(Q(status="pre_registered"))
        .select_related("session", "session__territory")
        .order_by("-session__week1_start", "-pk")
    )


# --- National tracker and public results ---------------------------------------------------

ENDED_ENROLMENT_STATUSES = ("confirmed", "in_training", "completed", "dropped")
SESSION_LAST_DAY_OFFSET = datetime.timedelta(days=4)  # Friday of week 3


def national_target():
    settings = NationalTargetSettings.load()
    return settings.target, settings.deadline


def _scoped(queryset, user, session_path: str):
    """Restrict a queryset to the user's sessions (no filter for coordinators or public)."""
    if user is None:
        return queryset
    return queryset.filter(**{f"{session_path}__in": access.managed_sessions(user)})


def valid_certifications(user):
    """Valid certifications in the user's scope (all of them for `user=None`, the public)."""
    return _scoped(Certification.objects.filter(status=Certification.Status.VALID), user, "session")


def national_trajectory(user, as_of: datetime.date) -> tracker.Trajectory:
    """The tracker's trajectory toward the national target (`tracker.trajectory`): valid
    certifications by year of decision and over the last 12 months. Two queries, plus the
    target setting's."""
    target, deadline = national_target()
    valid = valid_certifications(user)
    # Grouped on the raw date columns (a few hundred distinct dates), then by year in Python:
    # SQLite's year extraction is a per-row Python function, too slow on 11,500 rows.
    by_year: dict[int, int] = defaultdict(int)
    for day, count in (
        valid.values("certified_on")
        .annotate(count=Count("id"))
        .values_list("certified_on", "count")
    ):
        by_year[day.year] += count
    by_year = dict(sorted(by_year.items()))
    last_12 = valid.filter(certified_on__gt=as_of - datetime.timedelta(days=365)).count()
    return tracker.trajectory(
        certified_by_year=by_year,
        last_12_months=last_12,
        target=target,
        deadline=deadline,
        as_of=as_of,
    )


def _enrolments_in_scope(user):
    return _scoped(
        Enrolment.objects.exclude(session__status=TrainingSession.Status.CANCELLED),
        user,
        "session",
    )


def territory_year_rows(
    user, *, trainees: bool = True, certified_by_decision: bool = False
) -> list[dict]:
    """Per territory and year of the sessions' start: sessions, trainees (people, so the same
    person in two sessions counts once; left out with `trainees=False`) and certified people
    (valid certificates). Rows {"territory", "territory_slug", "year", "sessions", "trainees",
    "certified"} by year then territory name. Three queries (two without trainees).

    `certified_by_decision` counts the certified by year of the decision instead (valid
    certificates, as `national_trajectory` counts them per year), so that the rows of a year
    add up to the national figure of that year (the open data's margins)."""
    rows: dict[tuple, dict] = {}

    def add(key, field, count):
        row = rows.setdefault(key, {"sessions": 0, "trainees": 0, "certified": 0})
        row[field] += count

    def count_by_year(queryset, territory: str, day: str, counted):
        """(territory name, slug, year) -> count, grouped on the raw dates, by year in Python."""
        for name, slug, date, count in (
            queryset.values(f"{territory}__name", f"{territory}__slug", day)
            .annotate(count=counted)
            .values_list(f"{territory}__name", f"{territory}__slug", day, "count")
            .order_by()
        ):
            yield (name, slug, date.year), count

    for key, count in count_by_year(_session_scope(user), "territory", "week1_start", Count("id")):
        add(key, "sessions", count)
    if trainees:
        # Distinct (territory, start date, person) rows, grouped by year in Python (see above).
        people: dict[tuple, set] = defaultdict(set)
        for name, slug, start, trainee_id in (
            _enrolments_in_scope(user)
            .exclude(status="pre_registered")
            .values_list(
                "session__territory__name",
                "session__territory__slug",
                "session__week1_start",
                "trainee_id",
            )
            .order_by()
            .distinct()
        ):
            people[(name, slug, start.year)].add(trainee_id)
        for key, trainee_ids in people.items():
            add(key, "trainees", len(trainee_ids))
    certified = (
        count_by_year(valid_certifications(user), "territory", "certified_on", Count("id"))
        if certified_by_decision
        else count_by_year(
            valid_certifications(user),
            "territory",
            "session__week1_start",
            Count("trainee", distinct=True),
        )
    )
    for key, count in certified:
        add(key, "certified", count)
    return _sorted_rows(rows)


def _sorted_rows(rows: dict[tuple, dict]) -> list[dict]:
    return [
        {"territory": name, "territory_slug": slug, "year": year, **values}
        for (name, slug, year), values in sorted(rows.items(), key=lambda i: (i[0][2], i[0][0]))
    ]


def tracker_figures(user, as_of: datetime.date) -> dict:
    """Every figure of the national tracker, in a constant number of queries (nine).

    `user=None` gives the national, public scope (the Résultats page). Figures about trainees
    count distinct people, whatever their number of enrolments: "stagiaires en formation",
    "stagiaires" per territory and year, certified, and the rates, whose base ("ended") is the
    people with an enrolment in a session ended by `as_of`. A person has abandoned when each of
    their enrolments in ended sessions is "dropped" (one completed elsewhere is not an
    abandonment). Only the per-session table counts per session.
    """
    valid = valid_certifications(user)
    trajectory = national_trajectory(user, as_of)
    # Territory × year: sessions, trainees, certified.
    sessions = _session_scope(user)
    by_territory = territory_year_rows(user)
    enrolments = _enrolments_in_scope(user)
    ended_on = as_of - SESSION_LAST_DAY_OFFSET
    ended = Q(status__in=ENDED_ENROLMENT_STATUSES, session__week3_start__lt=ended_on)
    # The same person's other enrolment in an ended session, not dropped.
    stayed_elsewhere = Exists(
        enrolments.filter(trainee_id=OuterRef("trainee_id")).filter(ended).exclude(status="dropped")
    )
    rates = enrolments.aggregate(
        in_training=Count(
            "trainee",
            filter=Q(status="in_training")
            | Q(
                status="confirmed",
                session__week1_start__lte=as_of,
                session__week3_start__gte=ended_on,
            ),
            distinct=True,
        ),
        ended=Count("trainee", filter=ended, distinct=True),
        dropped=Count(
            "trainee",
            filter=Q(status="dropped", session__week3_start__lt=ended_on) & ~stayed_elsewhere,
            distinct=True,
        ),
        completed=Count(
            "trainee",
            filter=Q(status="completed", session__week3_start__lt=ended_on),
            distinct=True,
        ),
    )
    certified_of_ended = (
        valid.filter(session__week3_start__lt=ended_on).values("trainee").distinct().count()
    )
    attendance = _scoped(Attendance.objects.all(), user, "enrolment__session").aggregate(
        present=Count("id", filter=Q(status=PRESENT)),
        recorded=Count("id", filter=Q(status__in=("present", "absent", "excused"))),
    )
    session_rows = list(
        sessions.select_related("territory")
        .annotate(
            trainees=Count(
                "enrolments__trainee",
                filter=~Q(enrolments__status="pre_registered"),
                distinct=True,
            ),
        )
        .order_by("-week1_start", "name")
    )
    certified_by_session = dict(
        valid.values("session_id").annotate(count=Count("id")).values_list("session_id", "count")
    )
    for session in session_rows:
        session.certified = certified_by_session.get(session.pk, 0)

    def rate(part, whole):
        return rules.round_percent(Decimal(part) * 100 / whole) if whole else None

    return {
        "trajectory": trajectory,
        "chart": tracker.chart(trajectory),
        "by_territory": by_territory,
        "sessions": session_rows,
        "in_training": rates["in_training"],
        "ended": rates["ended"],
        "dropped": rates["dropped"],
        "completed": rates["completed"],
        "certified_of_ended": certified_of_ended,
        "success_rate": rate(certified_of_ended, rates["ended"]),
        "abandon_rate": rate(rates["dropped"], rates["ended"]),
        "completion_rate": rate(rates["ended"] - rates["dropped"], rates["ended"]),
        "attendance_rate": rate(attendance["present"], attendance["recorded"]),
        "attendance_recorded": attendance["recorded"],
        "sessions_held": sum(
            1 for session in session_rows if session.week3_start < as_of - SESSION_LAST_DAY_OFFSET
        ),
    }


def _session_scope(user):
    sessions = TrainingSession.objects.all() if user is None else access.managed_sessions(user)
    return sessions.exclude(status=TrainingSession.Status.CANCELLED)


def reached_to_validate(session: TrainingSession) -> list[CompetencyResult]:
    """The competency results of the session's trainees that the rule proposes "atteinte" and
    nobody decided yet, with their evidence (levels and counts), trainees not yet certified.
    In French order of the trainees, then by competency code. Two queries."""
    enrolments = session_enrolments(session)
    order = {enrolment.trainee_id: index for index, enrolment in enumerate(enrolments)}
    results = (
        CompetencyResult.objects.filter(
            trainee_id__in=list(order),
            status=CompetencyResult.Status.PROPOSED,
            proposal=CompetencyResult.Proposal.REACHED,
        )
        .exclude(
            trainee__certifications__status=Certification.Status.VALID,
        )
        .select_related("trainee", "competency")
    )
    return sorted(results, key=lambda result: (order[result.trainee_id], result.competency.code))
