"""The aggregate figures the API publishes: the national tracker's (every certified person,
consenting or not, as counts only), read by the tracker's own selectors and maths
(`assessments.certification.selectors`, `.tracker`), with small counts kept secret
(`rules.secret_cells`)."""

import datetime

from ..certification import selectors as tracker_selectors
from . import rules


def public_figures(as_of: datetime.date, *, territory: str | None = None) -> dict:
    """National trajectory, certified per year and per territory and year. The cells count
    valid certificates by year of decision, as the per-year figures do, so that a year's cells
    add up to its published figure; secrecy (`rules.secrecy`) is decided on the whole table with
    the years as margins: a small cell is hidden with a second one of its year, or its year's
    figure is hidden with another's (and the running totals between them, and the last 12
    months when they straddle a hidden year). `territory` (a slug)
    only filters the rows shown, so a filter reveals nothing more. Five queries (target setting,
    two for the trajectory, two for the table)."""
    trajectory = tracker_selectors.national_trajectory(None, as_of)
    rows = tracker_selectors.territory_year_rows(None, trainees=False, certified_by_decision=True)
    counts = {(row["territory_slug"], row["year"]): row["certified"] for row in rows}
    years = [year for year in trajectory.years if year.year <= as_of.year]
    margins = {year.year: [key for key in counts if key[1] == year.year] for year in years}
    secret = rules.secrecy(counts, margins)
    # A running total between two hidden years would give the first one's figure away.
    hidden_years = sorted(secret.margins)
    running_hidden = range(hidden_years[0], hidden_years[-1]) if hidden_years else range(0)
    # The last 12 months straddle this year and the last: with either hidden, their count (and
    # the projected date drawn from it) could be that year's figure.
    window_hidden = bool(secret.margins & {as_of.year, as_of.year - 1})
    table = [
        {
            "territoire": {"slug": row["territory_slug"], "nom": row["territory"]},
            "annee": row["year"],
            "sessions": row["sessions"],
            "certifies": None
            if (row["territory_slug"], row["year"]) in secret.cells
            else row["certified"],
            "secret": (row["territory_slug"], row["year"]) in secret.cells,
        }
        for row in rows
        if territory is None or row["territory_slug"] == territory
    ]
    return {
        "date": as_of,
        "objectif": trajectory.target,
        "echeance": trajectory.deadline,
        "certifies": trajectory.total,
        "restant": trajectory.remaining,
        "derniers_12_mois": None if window_hidden else trajectory.last_12_months,
        "rythme_necessaire_par_an": trajectory.needed_per_year,
        "date_projetee": None if window_hidden else trajectory.projected_date,
        "par_annee": [
            {
                "annee": year.year,
                "certifies": None if year.year in secret.margins else year.certified,
                "cumul": None if year.year in running_hidden else year.cumulative,
                "secret": year.year in secret.margins,
            }
            for year in years
        ],
        "par_territoire": table,
        "seuil_secret": rules.SECRECY_THRESHOLD,
    }
