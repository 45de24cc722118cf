"""Material capabilities: COW National Material Capabilities v7.0 and the CINC score."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns, store_columns

NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")


@verb(store=("nmc_milex_thousands", "nmc_milper_thousands", "nmc_irst_thousand_tons", "nmc_pec_thousand_coal_tons",
             "nmc_tpop_thousands", "nmc_upop_thousands", "cinc"))
def add_capabilities(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with the COW capability components and CINC added (NA where COW
    has no value, and after its last year)."""
    return join_columns(frame, store_columns(frame, "add_capabilities", db), "add_capabilities")


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
