"""The aggregate figures the API publishes: the national tracker's (every certified person,
consenting or not, as counts only), read by the tracker's own selectors and maths
(`assessments.certification.selectors`, `.tracker`), with small counts kept secret
(`rules.secret_cells`)."""

import datetime

from ..certification import selectors as tracker_selectors
from . import rules


def public_figures(as_of: datetime.date, *, territory: str | None = None) -> dict:
    """National trajectory and per-territory-and-year counts. `territory` (a slug) only filters
    the rows shown: secrecy is decided on the whole table, so a filter reveals nothing more.
    Five queries (target setting, two for the trajectory, two for the table)."""
    trajectory = tracker_selectors.national_trajectory(None, as_of)
    rows = tracker_selectors.territory_year_rows(None, trainees=False)
    counts = {(row["territory_slug"], row["year"]): row["certified"] for row in rows}
    # The certified per year are published too (`par_annee`): each year is a margin.
    years = {year for _slug, year in counts}
    hidden = rules.secret_cells(
        counts, margins=[[key for key in counts if key[1] == year] for year in years]
    )
    table = [
        {
            "territoire": {"slug": row["territory_slug"], "nom": row["territory"]},
            "annee": row["year"],
            "sessions": row["sessions"],
            "certifies": None
            if (row["territory_slug"], row["year"]) in hidden
            else row["certified"],
            "secret": (row["territory_slug"], row["year"]) in hidden,
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
        "derniers_12_mois": trajectory.last_12_months,
        "rythme_necessaire_par_an": trajectory.needed_per_year,
        "date_projetee": trajectory.projected_date,
        "par_annee": [
            {"annee": year.year, "certifies": year.certified, "cumul": year.cumulative}
            for year in trajectory.years
            if year.year <= as_of.year
        ],
        "par_territoire": table,
        "seuil_secret": rules.SECRECY_THRESHOLD,
    }
