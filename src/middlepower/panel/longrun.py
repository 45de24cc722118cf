"""Long-run economy (Maddison Project 2023): where the World Bank has no series, and for imputation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.frame import join_columns
from middlepower.warehouse import open_store

MADDISON_LAST_YEAR = 2022

LONG_RUN_COLUMNS = {
    "maddison_gdppc_2011_intl_usd": "real GDP per capita, 2011 international $ (PPP); Maddison Project 2023; "
                                    f"to {MADDISON_LAST_YEAR}; covers Taiwan and North Korea",
    "maddison_population": f"population, persons; Maddison Project 2023; to {MADDISON_LAST_YEAR}",
}


def add_long_run_economy(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with the Maddison columns of ``LONG_RUN_COLUMNS`` added (NA if none)."""
    with open_store(db) as store:
        values = store.query(
            "SELECT iso3, year, gdppc_2011_intl_usd AS maddison_gdppc_2011_intl_usd, "
            "population AS maddison_population FROM maddison WHERE iso3 IS NOT NULL"
        )
    return join_columns(frame, values, "add_long_run_economy")
