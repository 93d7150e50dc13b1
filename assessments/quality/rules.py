"""Pure rules of the quality loop: no ORM query, plain values in, plain values out (the
complaint statuses are Django `TextChoices`, a plain str enum, so that models share them)."""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import TextChoices

# --- Accommodations ------------------------------------------------------------------------------

MAX_TIME_FACTOR = Decimal("3.00")


def is_in_force(starts_on: datetime.date, ended_on: datetime.date | None, day: datetime.date):
    """An accommodation applies from its first day until the day before it was ended."""
    return starts_on <= day and (ended_on is None or day < ended_on)


def time_allowed(minutes: int, factor: Decimal) -> datetime.timedelta:
    """The time a trainee has for an assessment limited to `minutes`, with the time factor of
    their accommodation (1 without), rounded up to the whole second: never less than granted."""
    if factor < 1:
        factor = Decimal(1)
    seconds = Decimal(minutes) * 60 * factor
    return datetime.timedelta(seconds=math.ceil(seconds))


def combined_factor(factors) -> Decimal:
    """Several accommodations in force: the most generous time factor applies (1 without)."""
    return max((Decimal(factor) for factor in factors), default=Decimal(1))


# --- Complaints ----------------------------------------------------------------------------------


class ComplaintStatus(TextChoices):
    FILED = "filed", "Déposée"
    ACKNOWLEDGED = "acknowledged", "Réception accusée"
    ANALYSED = "analysed", "Analysée"
    ANSWERED = "answered", "Réponse apportée"
    CLOSED = "closed", "Clôturée"


COMPLAINT_FLOW = (
    ComplaintStatus.FILED,
    ComplaintStatus.ACKNOWLEDGED,
    ComplaintStatus.ANALYSED,
    ComplaintStatus.ANSWERED,
    ComplaintStatus.CLOSED,
)
# What the person handling must write at each step (the register keeps the reasoning).
COMPLAINT_NOTE_REQUIRED = {
    ComplaintStatus.ANALYSED: "Écrivez l'analyse : causes, personnes entendues.",
    ComplaintStatus.ANSWERED: "Écrivez la réponse apportée à la personne.",
}


def next_complaint_status(current: str) -> ComplaintStatus | None:
    """The one step that follows `current` (None once closed): handling goes in order, so that
    each date of the register exists and none is skipped."""
    index = COMPLAINT_FLOW.index(ComplaintStatus(current))
    return COMPLAINT_FLOW[index + 1] if index + 1 < len(COMPLAINT_FLOW) else None


def complaint_step_refusal(current: str, target: str, note: str) -> str | None:
    """Why moving a complaint from `current` to `target` with `note` is refused (French), or
    None when it is allowed."""
    if next_complaint_status(current) != target:
        return "Cette étape n'est pas la suivante : la réclamation a peut-être déjà avancé."
    if target in COMPLAINT_NOTE_REQUIRED and not note.strip():
        return COMPLAINT_NOTE_REQUIRED[ComplaintStatus(target)]
    return None


# --- Surveys -------------------------------------------------------------------------------------


class Moment(TextChoices):
    WEEK = "week", "À chaud, à la fin de chaque semaine"
    SESSION_END = "session_end", "À chaud, à la fin de la session"
    FOLLOW_UP = "follow_up", "À froid, quelques mois après"


HOT_MOMENTS = (Moment.WEEK, Moment.SESSION_END)


class QuestionKind(TextChoices):
    SCALE = "scale", "Échelle de 1 à 5"
    CHOICE = "choice", "Choix"
    TEXT = "text", "Texte libre"


class Measure(TextChoices):
    CONTENT = "content", "Contenu"
    TRAINERS = "trainers", "Formateurs"
    ORGANISATION = "organisation", "Organisation"
    USEFULNESS = "usefulness", "Utilité"
    FIELD = "field", "Pratique sur le terrain"


SCALE_MIN, SCALE_MAX = 1, 5
SATISFIED_FROM = 4  # "satisfait·e" or "très satisfait·e" on the 1–5 scale
REMINDER_EVERY_DAYS = 3
MAX_REMINDERS = 3  # after the first message: four messages at most, then nothing


@dataclass(frozen=True)
class Window:
    """When one survey is asked: for week `week` (None: the whole session), from `opens_on` to
    `closes_on` included."""

    week: int | None
    opens_on: datetime.date
    closes_on: datetime.date


def survey_windows(
    moment: str,
    week_starts: tuple[datetime.date, datetime.date, datetime.date],
    *,
    open_days: int,
    follow_up_delay_days: int,
) -> list[Window]:
    """When a survey of `moment` is asked in a session whose weeks start on `week_starts`.

    À chaud each week: the Friday of weeks 1 and 2 (the Friday of week 3 is the end of the
    session, asked by the end-of-session survey, so that nobody gets two on the last day).
    À chaud at the end: the last Friday. À froid: `follow_up_delay_days` after the last day.
    """
    fridays = [start + datetime.timedelta(days=4) for start in week_starts]
    last_day = fridays[-1]
    span = datetime.timedelta(days=open_days - 1)
    if moment == Moment.WEEK:
        return [Window(n, fridays[n - 1], fridays[n - 1] + span) for n in (1, 2)]
    if moment == Moment.SESSION_END:
        return [Window(None, last_day, last_day + span)]
    opens = last_day + datetime.timedelta(days=follow_up_delay_days)
    return [Window(None, opens, opens + span)]


def reminder_due(
    *,
    opens_on: datetime.date,
    closes_on: datetime.date,
    answered: bool,
    reminders_sent: int,
    last_reminded_on: datetime.date | None,
    today: datetime.date,
) -> bool:
    """Whether an invitation gets a message today: open, not answered, first message on the
    opening day or later, then one every REMINDER_EVERY_DAYS, MAX_REMINDERS at most."""
    if answered or not (opens_on <= today <= closes_on):
        return False
    if last_reminded_on is None:
        return True
    if reminders_sent >= MAX_REMINDERS:
        return False
    return (today - last_reminded_on).days >= REMINDER_EVERY_DAYS


@dataclass(frozen=True)
class ScaleSummary:
    """Scores 1–5: how many answers, their mean, the share at 4 or 5, the count per score."""

    count: int
    mean: Decimal | None
    satisfied_percent: Decimal | None
    distribution: tuple[int, int, int, int, int]

    @property
    def mean_percent(self) -> Decimal | None:
        """The mean as a share of the scale's top (for bars)."""
        return None if self.mean is None else (self.mean / SCALE_MAX * 100).quantize(Decimal("1"))


def summarise_scores(scores) -> ScaleSummary:
    counts = [0] * SCALE_MAX
    for score in scores:
        if score is not None and SCALE_MIN <= int(score) <= SCALE_MAX:
            counts[int(score) - 1] += 1
    total = sum(counts)
    if not total:
        return ScaleSummary(0, None, None, tuple(counts))
    mean = Decimal(sum((i + 1) * c for i, c in enumerate(counts))) / total
    satisfied = Decimal(sum(counts[SATISFIED_FROM - 1 :]) * 100) / total
    return ScaleSummary(
        total,
        mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        satisfied.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        tuple(counts),
    )


def count_choices(values, options: list[str]) -> list[tuple[str, int]]:
    """Each option with the number of answers that chose it (options first, in their order,
    then any other answer given, alphabetically)."""
    counts: dict[str, int] = dict.fromkeys(options, 0)
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    extra = sorted(key for key in counts if key not in options)
    return [(option, counts[option]) for option in [*options, *extra]]


@dataclass(frozen=True)
class QuestionSpec:
    key: int
    kind: str
    required: bool
    options: tuple[str, ...] = ()


SCALE_ERROR = "Choisissez une note de 1 à 5."
CHOICE_ERROR = "Choisissez une des propositions."
REQUIRED_ERROR = "Cette question demande une réponse."
TEXT_LIMIT = 5000


def clean_survey_answers(specs: list[QuestionSpec], raw: dict) -> tuple[dict, dict]:
    """What the trainee sent (`raw`: question key → text) read against the questions.

    Returns (answers, errors): answers maps a key to (score or None, text), only for questions
    answered; errors maps a key to a French message. Nothing unknown is kept."""
    answers: dict[int, tuple[int | None, str]] = {}
    errors: dict[int, str] = {}
    for spec in specs:
        text = str(raw.get(spec.key) or "").replace("\x00", "").strip()
        if not text:
            if spec.required:
                errors[spec.key] = REQUIRED_ERROR
            continue
        if spec.kind == QuestionKind.SCALE:
            if not (text.isascii() and text.isdigit() and SCALE_MIN <= int(text) <= SCALE_MAX):
                errors[spec.key] = SCALE_ERROR
                continue
            answers[spec.key] = (int(text), "")
        elif spec.kind == QuestionKind.CHOICE:
            if text not in spec.options:
                errors[spec.key] = CHOICE_ERROR
                continue
            answers[spec.key] = (None, text)
        else:
            answers[spec.key] = (None, text[:TEXT_LIMIT])
    return answers, errors


# --- Public results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One published figure with what stands behind it: the value (None: not enough data), its
    unit, the number behind it and what that number counts, and the period it covers."""

    key: str
    label: str
    value: Decimal | int | None
    unit: str
    base: int
    base_label: str
    period_start: datetime.date | None
    period_end: datetime.date


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


SATISFACTION_PERIOD_DAYS = 365


def counted(count: int, singular: str, plural: str) -> str:
    """The noun for `count` in French: singular for 0 and 1."""
    return singular if count <= 1 else plural


def public_figures(
    *,
    as_of: datetime.date,
    first_session_start: datetime.date | None,
    trained: int,
    success_rate: Decimal | None,
    attendance_rate: Decimal | None,
    half_days_recorded: int,
    hot: ScaleSummary,
    hot_questionnaires: int,
    cold: ScaleSummary,
    cold_questionnaires: int,
) -> list[Figure]:
    """The figures of the public "Résultats" page (Qualiopi indicator 2), each with its base
    and period. Training figures cover every session since the first one; satisfaction the
    answers of the last 12 months (what the trainees say of the training as it is now)."""
    since = as_of - datetime.timedelta(days=SATISFACTION_PERIOD_DAYS - 1)
    return [
        Figure(
            "trained", "stagiaires formé·es (sessions terminées)", trained, "", trained,
            counted(trained, "personne", "personnes"), first_session_start, as_of,
        ),
        Figure(
            "success", "de réussite à la certification", success_rate, "%", trained,
            counted(trained, "stagiaire formé·e", "stagiaires formé·es"),
            first_session_start, as_of,
        ),
        Figure(
            "attendance", "d'assiduité (demi-journées de présence)", attendance_rate, "%",
            half_days_recorded,
            counted(half_days_recorded, "demi-journée émargée", "demi-journées émargées"),
            first_session_start, as_of,
        ),
        Figure(
            "satisfaction_hot", "de satisfaction à chaud (stagiaires qui notent 4 ou 5 sur 5)",
            hot.satisfied_percent, "%", hot_questionnaires,
            counted(hot_questionnaires, "questionnaire rempli", "questionnaires remplis"), since,
            as_of,
        ),
        Figure(
            "satisfaction_cold",
            "de satisfaction à froid, quelques mois après (notes de 4 ou 5 sur 5)",
            cold.satisfied_percent, "%", cold_questionnaires,
            counted(cold_questionnaires, "questionnaire rempli", "questionnaires remplis"), since,
            as_of,
        ),
    ]  # fmt: skip
