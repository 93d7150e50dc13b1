"""National tracker maths: pure functions on counts and dates (no ORM).

- cumulative certified by year;
- current pace = certifications over the last 12 months (per month: that count / 12);
- needed pace = certifications still needed / months left until the deadline (and × 12 per
  year); months are counted as days / 30.4375 (the mean Gregorian month);
- projected date at the current pace (None when the pace is zero or the date is more than a
  century away);
- the chart: cumulative actual (end of each year, and today for the current year) against the
  straight line from today's total to the target at the deadline, as SVG coordinates.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from lms.formats import format_number

DAYS_PER_MONTH = Decimal("30.4375")
MAX_PROJECTION_DAYS = 100 * 365


def months_between(start: datetime.date, end: datetime.date) -> Decimal:
    return Decimal((end - start).days) / DAYS_PER_MONTH


def _one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class YearRow:
    year: int
    certified: int
    cumulative: int
    needed_cumulative: int | None  # on the needed line at the end of the year (from now on)


@dataclass(frozen=True)
class Trajectory:
    target: int
    deadline: datetime.date
    as_of: datetime.date
    total: int
    remaining: int
    months_left: Decimal
    last_12_months: int
    current_per_month: Decimal
    needed_per_month: Decimal | None
    years: list[YearRow]
    projected_date: datetime.date | None

    @property
    def current_per_year(self) -> int:
        return self.last_12_months

    @property
    def needed_per_year(self) -> int | None:
        if self.needed_per_month is None:
            return None
        return int((self.needed_per_month * 12).to_integral_value(rounding=ROUND_CEILING))

    @property
    def reached(self) -> bool:
        return self.remaining == 0

    @property
    def on_track(self) -> bool:
        if self.reached:
            return True
        return self.needed_per_month is not None and self.current_per_month >= self.needed_per_month

    @property
    def percent(self) -> Decimal:
        return _one_place(Decimal(min(self.total, self.target)) * 100 / Decimal(self.target))

    @property
    def pace_ratio(self) -> Decimal | None:
        """Current pace as a percent of the needed pace."""
        if not self.needed_per_month:
            return None
        return _one_place(self.current_per_month * 100 / self.needed_per_month)


def trajectory(
    *,
    certified_by_year: dict[int, int],
    last_12_months: int,
    target: int,
    deadline: datetime.date,
    as_of: datetime.date,
) -> Trajectory:
    total = sum(certified_by_year.values())
    remaining = max(0, target - total)
    months_left = max(Decimal(0), months_between(as_of, deadline))
    current_per_month = _one_place(Decimal(last_12_months) / 12)
    if remaining == 0:
        needed_per_month = Decimal(0)
    elif months_left > 0:
        needed_per_month = _one_place(Decimal(remaining) / months_left)
    else:
        needed_per_month = None  # the deadline has passed
    first_year = min([*certified_by_year, as_of.year])
    rows, cumulative = [], 0
    for year in range(first_year, max(deadline.year, as_of.year) + 1):
        count = certified_by_year.get(year, 0)
        cumulative += count
        needed = None
        if year >= as_of.year and year <= deadline.year:
            end = min(datetime.date(year, 12, 31), deadline)
            if remaining == 0 or months_left == 0:
                needed = target
            else:
                share = min(Decimal(1), months_between(as_of, end) / months_left)
                needed = min(target, int(total + (Decimal(remaining) * share).to_integral_value()))
        rows.append(
            YearRow(
                year=year,
                certified=count if year <= as_of.year else 0,
                cumulative=cumulative if year <= as_of.year else 0,
                needed_cumulative=needed,
            )
        )
    if remaining == 0:
        projected = as_of
    elif last_12_months > 0:
        days = Decimal(remaining) / (Decimal(last_12_months) / 12) * DAYS_PER_MONTH
        # Beyond a century the projection means nothing (and would overflow dates).
        projected = (
            as_of + datetime.timedelta(days=int(days.to_integral_value(ROUND_CEILING)))
            if days <= MAX_PROJECTION_DAYS
            else None
        )
    else:
        projected = None
    return Trajectory(
        target=target,
        deadline=deadline,
        as_of=as_of,
        total=total,
        remaining=remaining,
        months_left=_one_place(months_left),
        last_12_months=last_12_months,
        current_per_month=current_per_month,
        needed_per_month=needed_per_month,
        years=rows,
        projected_date=projected,
    )


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    actual_points: str
    needed_points: str
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    target_y: float
    left: int
    bottom: int
    right: int
    top: int


def _fraction_of_year(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def chart(data: Trajectory, *, width: int = 720, height: int = 320) -> Chart:
    """SVG coordinates of the two lines: actual cumulative, and needed from today on."""
    left, right, top, bottom = 64, width - 16, 16, height - 40
    first = data.years[0].year
    last = data.years[-1].year + 1
    y_max = max(data.target, data.total, 1)

    def x(point: float) -> float:
        return round(left + (point - first) / (last - first) * (right - left), 1)

    def y(value: float) -> float:
        return round(bottom - value / y_max * (bottom - top), 1)

    actual = [(x(first), y(0))]
    for row in data.years:
        if row.year < data.as_of.year:
            actual.append((x(row.year + 1), y(row.cumulative)))
    actual.append((x(_fraction_of_year(data.as_of)), y(data.total)))
    needed = [(x(_fraction_of_year(data.as_of)), y(data.total))]
    needed.append((x(_fraction_of_year(max(data.deadline, data.as_of))), y(data.target)))
    step = max(1, round((last - first) / 8))
    x_ticks = [(x(year), str(year)) for year in range(first, last + 1, step)]
    y_ticks = []
    for index in range(5):
        value = y_max * index / 4
        y_ticks.append((y(value), format_number(int(value), 0)))
    return Chart(
        width=width,
        height=height,
        actual_points=" ".join(f"{a},{b}" for a, b in actual),
        needed_points=" ".join(f"{a},{b}" for a, b in needed),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target_y=y(data.target),
        left=left,
        bottom=bottom,
        right=right,
        top=top,
    )
