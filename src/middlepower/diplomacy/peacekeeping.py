"""Uniformed contributions to UN peacekeeping per state-year: the yearly mean of IPI's monthly figures.

IPI's per-country files (store table ``ipi_peacekeeping``) run from November 1990 to March 2014
and list a country only in the months it contributed. The yearly mean of a state is the sum of its
monthly troops (police, experts) over the months the IPI series covers in that year, divided by
that number of months: a covered month without the state counts as zero. 1990 has two covered
months (November, December) and 2014 three (January-March), so their means describe part of the
year; ``months`` says how many. **The series ends in 2014**: every use of it says so.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.sources.ipi import IPI_FIRST_MONTH, IPI_LAST_MONTH
from middlepower.warehouse import check_iso3, open_store

FIRST_YEAR, LAST_YEAR = IPI_FIRST_MONTH.year, IPI_LAST_MONTH.year
"""Years with IPI per-country figures; the first and last hold only the months from IPI_FIRST_MONTH and
to IPI_LAST_MONTH (:mod:`middlepower.sources.ipi`)."""
SERIES_END = f"{IPI_LAST_MONTH:%B %Y}"
"""The last month of the series, as the outputs name it ('March 2014')."""
PARTIAL_YEARS = (f"{IPI_FIRST_MONTH:%Y}: {IPI_FIRST_MONTH:%B}-December; "
                 f"{IPI_LAST_MONTH:%Y}: January-{IPI_LAST_MONTH:%B}")
"""The months the first and last years hold ("1990: November-December; 2014: January-March")."""

STATE_YEAR_SQL = """
WITH covered AS (SELECT year(date) AS year, count(DISTINCT date) AS months FROM ipi_peacekeeping GROUP BY 1),
     sums AS (SELECT iso3, year(date) AS year, sum(coalesce(troops, 0)) AS troops,
                     sum(coalesce(police, 0)) AS police, sum(coalesce(experts, 0)) AS experts
              FROM ipi_peacekeeping WHERE iso3 IS NOT NULL GROUP BY iso3, year(date))
SELECT s.iso3, s.year, s.troops / c.months AS troops, s.police / c.months AS police,
       s.experts / c.months AS experts, (s.troops + s.police + s.experts) / c.months AS total, c.months
FROM sums s JOIN covered c USING (year)
ORDER BY s.iso3, s.year
"""


def state_years(db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per contributing state and year, 1990-2014.

    Columns: ``iso3``, ``year``, ``troops``, ``police``, ``experts``, ``total`` (yearly means of the
    monthly figures, persons), ``months`` (months of the year the IPI series covers: 12, except 2
    in 1990 and 3 in 2014). A state absent from a year contributed nothing that year.
    """
    with open_store(db) as store:
        return store.query(STATE_YEAR_SQL)


def monthly(db: Path | str | None = None, *, iso3: str | None = None) -> pd.DataFrame:
    """Return the monthly figures: iso3, country (IPI's name), date, troops, police, experts (NA = none).

    ``iso3`` (any case) keeps one state's rows; DataError for a code that is no state.
    """
    iso3 = None if iso3 is None else check_iso3(iso3, db)
    with open_store(db) as store:
        return store.query(
            "SELECT iso3, country, CAST(date AS DATE) AS date, troops, police, experts FROM ipi_peacekeeping "
            "WHERE (? IS NULL OR iso3 = ?) ORDER BY iso3, date", [iso3, iso3])
