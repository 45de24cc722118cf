"""Material capabilities: COW National Material Capabilities v7.0 and the CINC score."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.frame import panel_columns

NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")

CAPABILITY_COLUMNS = {
    "nmc_milex_thousands": "military expenditure, thousands of current US$ (GBP before 1914); COW NMC 7.0",
    "nmc_milper_thousands": "military personnel, thousands; COW NMC 7.0",
    "nmc_irst_thousand_tons": "iron and steel production, thousands of tons; COW NMC 7.0",
    "nmc_pec_thousand_coal_tons": "primary energy consumption, thousands of coal-ton equivalents; COW NMC 7.0",
    "nmc_tpop_thousands": "total population, thousands; COW NMC 7.0",
    "nmc_upop_thousands": "urban population, thousands; COW NMC 7.0",
    "cinc": "Composite Index of National Capability as published (share of the system, 0-1); COW NMC 7.0",
}


def add_capabilities(frame: pd.DataFrame, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with the COW capability columns added.

    Columns (units; source COW NMC 7.0, 1816-2022, NA after 2022 and where COW has no value):
    ``nmc_milex_thousands``, ``nmc_milper_thousands``, ``nmc_irst_thousand_tons``,
    ``nmc_pec_thousand_coal_tons``, ``nmc_tpop_thousands``, ``nmc_upop_thousands``, ``cinc``.
    """
    return panel_columns(list(CAPABILITY_COLUMNS), frame, db, "add_capabilities")


def recompute_cinc(nmc: pd.DataFrame) -> pd.Series:
    """Return CINC recomputed from the six NMC components of a ``cow_nmc`` frame (ccode, year, ...).

    CINC_i,t = mean over the components c with a value for state i of  x_i,c,t / sum_j x_j,c,t,
    the sums running over every state with a value in year t. Missing components are left out of
    the mean (not counted as zero), which is how the published v7.0 values were computed.
    """
    components = list(NMC_COMPONENTS)
    totals = nmc.groupby("year")[components].transform("sum")
    shares = nmc[components] / totals
    return shares.mean(axis=1, skipna=True).rename("cinc_recomputed")
