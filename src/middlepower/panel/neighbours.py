"""The economic weight next door: GDP of a state's land neighbours (today's borders)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import LAND_NEIGHBOURS_SQL, join_columns
from middlepower.sources.columns import Column
from middlepower.warehouse import open_store


@verb(derived=(
    Column("neighbours_gdp_usd", "current US$",
           "sum of the GDPs of the state's land neighbours (today's borders); 0 for a state without land "
           "neighbours; neighbours without a value that year add nothing; NA where the state is not in "
           "mledoze/countries", upstream="sum of neighbours' gdp_usd", sources=("countries",), inputs=("gdp_usd",)),
    Column("neighbours_with_gdp", "count of states", "land neighbours whose GDP entered neighbours_gdp_usd",
           upstream="count of neighbours' gdp_usd", sources=("countries",), inputs=("gdp_usd",)),
))
def add_neighbour_economy(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with the GDP of its land neighbours added.

    Today's borders are used for every year, so before a border change the sum describes today's
    neighbours, not that year's.
    """
    with open_store(db) as store:
        values = store.query(
            f"""
            WITH nb AS ({LAND_NEIGHBOURS_SQL}),
            near AS (
                SELECT nb.iso3, p.year, sum(p.gdp_usd) AS gdp, count(p.gdp_usd) AS n
                FROM nb JOIN panel p ON p.iso3 = nb.neighbour GROUP BY nb.iso3, p.year
            )
            SELECT s.iso3, s.year,
                   CASE WHEN c.iso3 IS NULL THEN NULL ELSE coalesce(n.gdp, 0) END AS neighbours_gdp_usd,
                   CASE WHEN c.iso3 IS NULL THEN NULL ELSE coalesce(n.n, 0) END AS neighbours_with_gdp
            FROM state_years s
            LEFT JOIN countries c ON c.iso3 = s.iso3
            LEFT JOIN near n ON n.iso3 = s.iso3 AND n.year = s.year
            """
        )
    columns = ["neighbours_gdp_usd", "neighbours_with_gdp"]
    return join_columns(frame, values.astype({c: "float64" for c in columns}), "add_neighbour_economy")


def land_neighbours(db: Path | str | None = None) -> pd.DataFrame:
    """Return (iso3, neighbour): each state's land neighbours on today's map (mledoze/countries), the
    pairs :func:`add_neighbour_economy` sums over."""
    with open_store(db) as store:
        return store.query(LAND_NEIGHBOURS_SQL)
