"""Long-run economy (Maddison Project 2023): where the World Bank has no series, and for imputation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column
from middlepower.warehouse import open_store

MADDISON_LAST_YEAR = 2022


@verb(derived=(
    Column("maddison_gdppc_2011_intl_usd", "2011 international $ (PPP)",
           f"real GDP per capita; to {MADDISON_LAST_YEAR}; covers Taiwan and North Korea",
           upstream="gdppc_2011_intl_usd", sources=("maddison",)),
    Column("maddison_population", "persons", f"population; to {MADDISON_LAST_YEAR}",
           upstream="population", sources=("maddison",)),
))
def add_long_run_economy(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with Maddison's GDP per capita and population added (NA if none)."""
    with open_store(db) as store:
        values = store.query(
            "SELECT iso3, year, gdppc_2011_intl_usd AS maddison_gdppc_2011_intl_usd, "
            "population AS maddison_population FROM maddison WHERE iso3 IS NOT NULL"
        )
    return join_columns(frame, values, "add_long_run_economy")
