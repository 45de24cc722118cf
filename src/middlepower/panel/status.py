"""Power status and geography: COW major powers, Maoz global/regional powers, borders and coasts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.frame import join_columns
from middlepower.warehouse import open_store


def add_majors(frame: pd.DataFrame, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with power-status flags added (booleans).

    ``cow_major``: COW major power at any point of the year (COW v2016, spells to 2016; NA after
    2016, since the list is not updated). ``maoz_global`` / ``maoz_regional``: global or regional
    power in Maoz (2010), spells to 2019; NA after 2019.
    """
    with open_store(db) as store:
        flags = store.query(
            """
            SELECT s.iso3, s.year,
                   CASE WHEN s.year > 2016 THEN NULL ELSE bool_or(m.ccode IS NOT NULL) END AS cow_major,
                   CASE WHEN s.year > 2019 THEN NULL ELSE bool_or(g.ccode IS NOT NULL) END AS maoz_global,
                   CASE WHEN s.year > 2019 THEN NULL ELSE bool_or(r.ccode IS NOT NULL) END AS maoz_regional
            FROM state_years s
            LEFT JOIN cow_majors m ON m.ccode = s.ccode AND s.year BETWEEN m.start_year AND m.end_year
            LEFT JOIN maoz_powers g ON g.ccode = s.ccode AND g.kind = 'global'
                 AND s.year BETWEEN year(g.start_date) AND coalesce(year(g.end_date), 2019)
            LEFT JOIN maoz_powers r ON r.ccode = s.ccode AND r.kind = 'regional'
                 AND s.year BETWEEN year(r.start_date) AND coalesce(year(r.end_date), 2019)
            GROUP BY s.iso3, s.year
            """
        )
    return join_columns(frame, flags, "add_majors")


def add_geography(frame: pd.DataFrame, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with time-invariant geography added (today's borders).

    ``landlocked`` (bool), ``land_borders`` (number of land neighbours), ``area_km2``, ``region``
    and ``subregion`` (UN sub-region), from mledoze/countries 5.1.0 and the crosswalk. The same
    values are given for every year, so they describe today's map, not historical borders.
    """
    with open_store(db) as store:
        geo = store.query(
            """
            SELECT s.iso3, s.year, c.landlocked,
                   CASE WHEN c.iso3 IS NULL THEN NULL
                        WHEN c.borders IS NULL OR c.borders = '' THEN 0
                        ELSE len(string_split(c.borders, ',')) END AS land_borders,
                   c.area_km2, x.region, x.subregion
            FROM state_years s
            LEFT JOIN countries c ON c.iso3 = s.iso3
            LEFT JOIN crosswalk x ON x.ccode = s.ccode
            """
        )
    return join_columns(frame, geo, "add_geography")
