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

Eligibility for certification
    A trainee is eligible when each of the required competencies (C1–C5) is validated by a
    trainer and their attendance reaches the programme's threshold:
    attendance percent = hours attended (present half-days) / programme hours × 100, rounded
    to 0.1, compared with `attendance_threshold_percent`.
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


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    attendance_percent: Decimal
    missing_competencies: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())


def certification_eligibility(
    *,
    validated_codes: Iterable[str],
    required_codes: Iterable[str],
    attended_hours,
    programme_hours,
    attendance_threshold,
) -> Eligibility:
    """Eligible when every required competency is validated and attendance reaches the threshold."""
    validated = set(validated_codes)
    required = sorted(set(required_codes))
    missing = tuple(code for code in required if code not in validated)
    percent = attendance_percent(attended_hours, programme_hours)
    reasons = []
    if not required:
        reasons.append("Aucune compétence n'est définie pour le programme.")
    if missing:
        reasons.append("Compétences non validées : " + ", ".join(missing) + ".")
    if percent < Decimal(attendance_threshold):
        reasons.append(
            f"Assiduité de {format_percent(percent)} %, "
            f"inférieure au seuil de {attendance_threshold} %."
        )
    return Eligibility(
        eligible=not reasons,
        attendance_percent=percent,
        missing_competencies=missing,
        reasons=tuple(reasons),
    )


def format_percent(value: Decimal) -> str:
    """French display: "82,5" or "80"."""
    return format_number(round_percent(value))
