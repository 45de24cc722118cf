"""The indicator frame of the power model: panel verbs chained, plus the few gap rules the model owns.

Every gap rule is stated here and in docs/power.md; nothing else is filled:

* Energy Institute production and reserves: a state-year inside the review's coverage (a year in
  which the review lists any state) with no value counts as 0. The review lists every sizeable
  producer separately and groups the rest into regional "other" rows, so an absent state produces
  or holds little or nothing.
* Slow-moving counts and stocks are carried forward from their last observed value for a bounded
  number of years (``CARRY_FORWARD_YEARS``), because their sources stop before the panel does.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower import panel
from middlepower.sources.columns import Column

ZERO_WITHIN_COVERAGE = ("oil_production_kbd", "gas_production_bcm", "oil_reserves_bn_barrels", "gas_reserves_tcm")

CARRY_FORWARD_YEARS = {
    "oil_reserves_bn_barrels": 5,   # reserves end 2020
    "gas_reserves_tcm": 5,
    "resource_rents_usd": 3,        # WDI rents end 2021
    "igo_full": 10,                 # COW IGO ends 2014
    "igo_growth_10y": 10,
    "alliance_partners": 4,         # ATOP ends 2018
    "neighbours_cinc": 2,           # CINC ends 2022; neighbours' weight changes slowly
    "unga_vote_participation": 3,   # UN votes: complete calendar years to 2025
    "balance_index": 3,
}

CONTEXT_COLUMNS = ("name", "region", "subregion", "cow_major")

MODEL_COLUMNS = (
    Column("resource_rents_usd", "current US$", "natural-resource rents in money: rents as % of GDP times GDP",
           upstream="resource_rents_pct_gdp / 100 * gdp_usd", inputs=("resource_rents_pct_gdp", "gdp_usd")),
)
"""Columns the model computes itself, beyond those of the panel verbs (the column catalogue's entries)."""

VERBS = ("add_capabilities", "add_economy", "add_military", "add_resources", "add_igos", "add_majors",
         "add_geography", "add_reach", "add_ties", "add_un_participation", "add_transit", "add_balance")
"""The panel verbs whose columns the indicator frame holds, in the order they are applied."""


def derived_columns() -> tuple[str, ...]:
    """Columns the indicator frame has beyond the store's panel view (all usable as claim measures)."""
    catalogue = panel.declared(MODEL_COLUMNS)
    chosen = catalogue[(~catalogue["stored"]) & catalogue["verb"].isin([*VERBS, ""])]
    return tuple(chosen["name"])


def zero_within_coverage(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` with NA set to 0 in the years where at least one state has a value."""
    covered = frame.groupby("year")[column].transform(lambda s: s.notna().any())
    return frame[column].mask(covered & frame[column].isna(), 0.0)


def carry_forward(frame: pd.DataFrame, column: str, max_years: int) -> pd.Series:
    """``column`` with each state's last observed value carried forward at most ``max_years`` years.

    ``frame`` must hold one row per state and consecutive year (the panel backbone does).
    """
    ordered = frame.sort_values(["iso3", "year"])
    filled = ordered.groupby("iso3")[column].ffill(limit=max_years)
    return filled.reindex(frame.index)


def indicator_frame(first: int, last: int, db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per COW system member and year ``first``..``last`` with every model input.

    Columns: iso3, year, name, region, subregion, cow_major, and the ``column`` of every indicator
    of the default spec (units in docs/power.md), with the gap rules of this module applied.
    """
    frame = panel.state_years(first, last, db=db)
    for name in VERBS:
        frame = getattr(panel, name)(frame, db=db)
    frame["resource_rents_usd"] = frame["resource_rents_pct_gdp"] / 100 * frame["gdp_usd"]
    for column in ZERO_WITHIN_COVERAGE:
        frame[column] = zero_within_coverage(frame, column)
    for column, years in CARRY_FORWARD_YEARS.items():
        frame[column] = carry_forward(frame, column, years)
    frame["land_borders"] = frame["land_borders"].astype("float64")
    return frame
