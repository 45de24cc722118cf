"""Power status and geography: COW major powers, Maoz global/regional powers, borders and coasts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column
from middlepower.sources.cow import COW_MAJORS_LAST_YEAR, MAOZ_LAST_YEAR
from middlepower.warehouse import open_store


@verb(derived=(
    Column("cow_major", "true/false", f"COW major power at any point of the year; NA after {COW_MAJORS_LAST_YEAR}",
           upstream="cow_majors spells", sources=("cow_majors",)),
    Column("maoz_global", "true/false", f"global power in Maoz (2010) that year; NA after {MAOZ_LAST_YEAR}",
           upstream="maoz_powers kind = 'global'", sources=("maoz_powers",)),
    Column("maoz_regional", "true/false", f"regional power in Maoz (2010) that year; NA after {MAOZ_LAST_YEAR}",
           upstream="maoz_powers kind = 'regional'", sources=("maoz_powers",)),
))
def add_majors(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with power-status flags added (booleans)."""
    with open_store(db) as store:
        flags = store.query(
            f"""
            SELECT s.iso3, s.year,
                   CASE WHEN s.year > {COW_MAJORS_LAST_YEAR} THEN NULL ELSE bool_or(m.ccode IS NOT NULL) END
                       AS cow_major,
                   CASE WHEN s.year > {MAOZ_LAST_YEAR} THEN NULL ELSE bool_or(g.ccode IS NOT NULL) END AS maoz_global,
                   CASE WHEN s.year > {MAOZ_LAST_YEAR} THEN NULL ELSE bool_or(r.ccode IS NOT NULL) END
                       AS maoz_regional
            FROM state_years s
            LEFT JOIN cow_majors m ON m.ccode = s.ccode AND s.year BETWEEN m.start_year AND m.end_year
            LEFT JOIN maoz_powers g ON g.ccode = s.ccode AND g.kind = 'global'
                 AND s.year BETWEEN year(g.start_date) AND coalesce(year(g.end_date), {MAOZ_LAST_YEAR})
            LEFT JOIN maoz_powers r ON r.ccode = s.ccode AND r.kind = 'regional'
                 AND s.year BETWEEN year(r.start_date) AND coalesce(year(r.end_date), {MAOZ_LAST_YEAR})
            GROUP BY s.iso3, s.year
            """
        )
    return join_columns(frame, flags, "add_majors")


@verb(derived=(
    Column("landlocked", "true/false", "no sea coast (the Caspian counts as a lake); today's map for every year",
           upstream="countries.landlocked", sources=("countries",)),
    Column("land_borders", "count of states", "number of land neighbours; today's borders for every year",
           upstream="countries.borders", sources=("countries",)),
    Column("area_km2", "km²", "total area; today's borders for every year", upstream="countries.area_km2",
           sources=("countries",)),
    Column("region", "text", "World Bank region", upstream="crosswalk.region", sources=("country_codelist",)),
    Column("subregion", "text", "UN sub-region", upstream="crosswalk.subregion", sources=("country_codelist",)),
))
def add_geography(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with time-invariant geography added: the same values for every
    year, so they describe today's map, not historical borders."""
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
