"""Long-run economy where the World Bank has no series, and for imputation.

Maddison Project 2023 (real GDP per capita, population) and the Penn World Table 10.01's exports
at current prices and exchange rates (``csh_x * cgdpo * pl_x``, to 2019).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column
from middlepower.sources.maddison import MADDISON_LAST_YEAR
from middlepower.sources.pwt import PWT_LAST_YEAR
from middlepower.warehouse import open_store

PWT_EXPORTS_SQL = "csh_x * cgdpo_usd_m * pl_x * 1e6"
"""Exports in current US$ from PWT: share of output at current PPPs x that output x export price level."""


@verb(derived=(
    Column("maddison_gdppc_2011_intl_usd", "2011 international $ (PPP)",
           f"real GDP per capita; to {MADDISON_LAST_YEAR}; covers Taiwan and North Korea",
           upstream="gdppc_2011_intl_usd", sources=("maddison",)),
    Column("maddison_population", "persons", f"population; to {MADDISON_LAST_YEAR}",
           upstream="population", sources=("maddison",)),
    Column("pwt_merchandise_exports_usd", "current US$",
           f"merchandise exports at current prices and exchange rates (Penn World Table 10.01); to {PWT_LAST_YEAR}; "
           "covers Taiwan",
           upstream=PWT_EXPORTS_SQL, sources=("pwt",)),
))
def add_long_run_economy(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with Maddison's GDP per capita and population and the PWT's exports
    (current US$) added (NA if none)."""
    with open_store(db) as store:
        values = store.query(
            "SELECT iso3, year, gdppc_2011_intl_usd AS maddison_gdppc_2011_intl_usd, "
            "population AS maddison_population FROM maddison WHERE iso3 IS NOT NULL"
        )
        exports = store.query(
            f"SELECT iso3, year, {PWT_EXPORTS_SQL} AS pwt_merchandise_exports_usd FROM pwt WHERE iso3 IS NOT NULL"
        )
    values = values.merge(exports, on=["iso3", "year"], how="outer")
    return join_columns(frame, values, "add_long_run_economy")
