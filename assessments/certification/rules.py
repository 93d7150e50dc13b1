"""Competency levels and certification eligibility: pure rules, no ORM.

Competency level (per trainee and competency)
    Inputs: the percents of the trainee's graded assessment attempts (quizzes and final
    assessment) for that competency, the percents of their accepted dossier milestones for
    that competency, and the programme's threshold (`competency_pass_percent`).

    - assessment level = mean of the assessment percents; dossier level = mean of the dossier
      percents;
    - level = 50 % assessment level + 50 % dossier level; when one source has no evidence the
      other counts fully; with no evidence at all the competency is "non évaluée" (no level);
    - every percent is clamped to 0–100 and the level is rounded to 0.1 (half up);
    - proposal: "atteinte" when level ≥ threshold, "en cours" otherwise.

    The level is a weighted mean of means, so it stays within 0–100 and a higher score never
    lowers it (both are property-tested). The proposal is only a proposal: a trainer validates
    or invalidates it, and that decision is what certification reads.

Access to the final evaluation (`final_evaluation_access`)
    The programme page states it (ProgrammePage "Règles de certification", one field for both):
    - attendance to date ≥ the programme's threshold (`attendance_threshold_percent`, 80 by
      default): hours of the half-days signed "présent" / hours of the session's half-days held
      so far × 100, rounded to 0.1;
    - the positioning test done (submitted), when the programme has one.

Eligibility for certification (`certification_eligibility`)
    - the final evaluation passed (a graded attempt reached its pass mark);
    - each required competency (C1–C5) validated by a trainer;
    - attendance ≥ the threshold over the whole programme: hours attended (present half-days)
      / programme hours × 100, rounded to 0.1, compared with `attendance_threshold_percent`;
    - no correction pending (no submitted attempt awaiting a trainer's grading).

Each rule gives a `RuleCheck` saying whether it is met and, when not, by how much (percentage
points or a count) in a French sentence; the screens show those sentences.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from lms.formats import format_number

HUNDRED = Decimal("100")
ONE_PLACE = Decimal("0.1")
ASSESSMENT_WEIGHT = Decimal("0.5")
DOSSIER_WEIGHT = Decimal("0.5")

REACHED = "reached"
IN_PROGRESS = "in_progress"
NOT_ASSESSED = "not_assessed"

PROPOSAL_LABELS = {
    REACHED: "Atteinte",
    IN_PROGRESS: "En cours",
    NOT_ASSESSED: "Non évaluée",
}


def round_percent(value: Decimal) -> Decimal:
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _clamp(value) -> Decimal:
    number = Decimal(value)
    return max(Decimal(0), min(HUNDRED, number))


def mean(values: Iterable) -> Decimal | None:
    numbers = [_clamp(value) for value in values]
    if not numbers:
        return None
    return sum(numbers, Decimal(0)) / len(numbers)


@dataclass(frozen=True)
class CompetencyLevel:
    """The computed level of one competency and how it was reached."""

    level: Decimal | None
    assessment_level: Decimal | None
    assessment_count: int
    dossier_level: Decimal | None
    dossier_count: int
    proposal: str

    @property
    def proposal_label(self) -> str:
        return PROPOSAL_LABELS[self.proposal]


def competency_level(
    assessment_percents: Sequence, dossier_percents: Sequence, threshold
) -> CompetencyLevel:
    """Apply the rule described in the module docstring."""
    assessment = mean(assessment_percents)
    dossier = mean(dossier_percents)
    if assessment is None and dossier is None:
        level = None
    elif dossier is None:
        level = assessment
    elif assessment is None:
        level = dossier
    else:
        level = assessment * ASSESSMENT_WEIGHT + dossier * DOSSIER_WEIGHT
    if level is None:
        proposal = NOT_ASSESSED
    else:
        level = round_percent(level)
        proposal = REACHED if level >= Decimal(threshold) else IN_PROGRESS
    return CompetencyLevel(
        level=level,
        assessment_level=round_percent(assessment) if assessment is not None else None,
        assessment_count=len(assessment_percents),
        dossier_level=round_percent(dossier) if dossier is not None else None,
        dossier_count=len(dossier_percents),
        proposal=proposal,
    )


def attendance_percent(attended_hours, programme_hours) -> Decimal:
    """Hours attended over the programme's hours, in percent (0 when the programme has none)."""
    programme = Decimal(programme_hours)
    if programme <= 0:
        return Decimal(0)
    return round_percent(min(HUNDRED, Decimal(attended_hours) / programme * HUNDRED))


# Stable keys of the certification rules, in the order the screens list them.
RULE_ATTENDANCE_TO_DATE = "attendance_to_date"
RULE_POSITIONING = "positioning"
RULE_FINAL_PASSED = "final_passed"
RULE_COMPETENCIES = "competencies"
RULE_ATTENDANCE = "attendance"
RULE_NO_PENDING_CORRECTION = "no_pending_correction"


@dataclass(frozen=True)
class RuleCheck:
    """One rule applied to one trainee.

    `shortfall` says by how much a failed rule is missed: percentage points for attendance,
    a count for competencies and corrections, None for yes/no rules (and for met rules).
    `message` is the French sentence shown to the trainee or the trainer (empty when met).
    """

    rule: str
    met: bool
    message: str = ""
    shortfall: Decimal | None = None


def _attendance_check(rule: str, percent: Decimal, threshold, what: str) -> RuleCheck:
    required = Decimal(threshold)
    if percent >= required:
        return RuleCheck(rule, True)
    missing = round_percent(required - percent)
    return RuleCheck(
        rule,
        False,
        f"{what} de {format_percent(percent)} %, sous le seuil de {format_percent(required)} % "
        f"du programme (il manque {format_percent(missing)} point"
        f"{'s' if missing >= 2 else ''}).",
        missing,
    )


@dataclass(frozen=True)
class FinalAccess:
    """Whether a trainee may start the final evaluation, and why not."""

    attendance_percent: Decimal
    checks: tuple[RuleCheck, ...]

    @property
    def allowed(self) -> bool:
        return all(check.met for check in self.checks)

    @property
    def failed(self) -> tuple[RuleCheck, ...]:
        return tuple(check for check in self.checks if not check.met)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(check.message for check in self.failed)


def final_evaluation_access(
    *,
    attended_hours,
    held_hours,
    attendance_threshold,
    positioning_required: bool,
    positioning_done: bool,
) -> FinalAccess:
    """May the trainee start the final evaluation? (rules in the module docstring)

    `attended_hours`: hours of the half-days held so far that the trainee signed "présent";
    `held_hours`: hours of the session's half-days held so far (0 before the first one, which
    gives 0 %); `attendance_threshold`: percent (0–100). Never raises for non-negative inputs.
    """
    percent = attendance_percent(attended_hours, held_hours)
    checks = [
        _attendance_check(
            RULE_ATTENDANCE_TO_DATE, percent, attendance_threshold, "Assiduité à ce jour"
        )
    ]
    if positioning_required and not positioning_done:
        checks.append(
            RuleCheck(
                RULE_POSITIONING,
                False,
                "Le test de positionnement n'a pas été passé : faites-le d'abord.",
            )
        )
    else:
        checks.append(RuleCheck(RULE_POSITIONING, True))
    return FinalAccess(attendance_percent=percent, checks=tuple(checks))


@dataclass(frozen=True)
class Eligibility:
    """Certification eligibility: every check, and the summary the screens use."""

    eligible: bool
    attendance_percent: Decimal
    missing_competencies: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())
    checks: tuple[RuleCheck, ...] = ()
    final_passed: bool | None = None
    pending_corrections: int = 0

    def check(self, rule: str) -> RuleCheck | None:
        return next((check for check in self.checks if check.rule == rule), None)


def certification_eligibility(
    *,
    validated_codes: Iterable[str],
    required_codes: Iterable[str],
    attended_hours,
    programme_hours,
    attendance_threshold,
    final_passed: bool | None,
    pending_corrections: int = 0,
) -> Eligibility:
    """Is the trainee certifiable? (rules in the module docstring)

    `final_passed`: True when a graded attempt at the final evaluation reached its pass mark,
    False when graded attempts exist and none did, None when none is graded yet.
    `pending_corrections`: submitted attempts awaiting a trainer's grading.
    Hours are decimals (or ints); `attendance_threshold` a percent (0–100).
    """
    validated = set(validated_codes)
    required = sorted(set(required_codes))
    missing = tuple(code for code in required if code not in validated)
    percent = attendance_percent(attended_hours, programme_hours)
    checks = []
    if final_passed:
        checks.append(RuleCheck(RULE_FINAL_PASSED, True))
    elif final_passed is None:
        checks.append(
            RuleCheck(RULE_FINAL_PASSED, False, "L'évaluation finale n'est pas encore réussie.")
        )
    else:
        checks.append(RuleCheck(RULE_FINAL_PASSED, False, "L'évaluation finale n'est pas réussie."))
    if not required:
        checks.append(
            RuleCheck(
                RULE_COMPETENCIES, False, "Aucune compétence n'est définie pour le programme."
            )
        )
    elif missing:
        checks.append(
            RuleCheck(
                RULE_COMPETENCIES,
                False,
                "Compétences non validées : " + ", ".join(missing) + ".",
                Decimal(len(missing)),
            )
        )
    else:
        checks.append(RuleCheck(RULE_COMPETENCIES, True))
    checks.append(_attendance_check(RULE_ATTENDANCE, percent, attendance_threshold, "Assiduité"))
    if pending_corrections > 0:
        checks.append(
            RuleCheck(
                RULE_NO_PENDING_CORRECTION,
                False,
                f"{pending_corrections} évaluation{'s' if pending_corrections > 1 else ''} "
                f"en attente de correction.",
                Decimal(pending_corrections),
            )
        )
    else:
        checks.append(RuleCheck(RULE_NO_PENDING_CORRECTION, True))
    reasons = tuple(check.message for check in checks if not check.met)
    return Eligibility(
        eligible=not reasons,
        attendance_percent=percent,
        missing_competencies=missing,
        reasons=reasons,
        checks=tuple(checks),
        final_passed=final_passed,
        pending_corrections=pending_corrections,
    )


def format_percent(value: Decimal) -> str:
    """French display: "82,5" or "80"."""
    return format_number(round_percent(value))
