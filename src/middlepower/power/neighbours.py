"""The neighbours' GDP with every neighbouring state counted (revision 2.20).

The panel's ``neighbours_gdp_usd`` sums the WDI GDP of a state's land neighbours; a neighbour without
one adds nothing, so South Korea's sum (North Korea alone) is 0. Here each neighbour that is a state
of the system that year but has no WDI GDP adds the model's own GDP for it (carried or imputed), and
the sum is then imputed, drawn with the spread of the part added. A neighbour that is not a state
(Hong Kong, Western Sahara) still adds nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from middlepower.power.imputation import IMPUTED, REAL, STRUCTURAL, Imputed
from middlepower.power.inputs import from_space, to_space

INPUT = "neighbours_gdp_usd"


def count_every_neighbour(imputed: Imputed, pairs: pd.DataFrame) -> int:
    """Add to ``imputed``'s neighbours' GDP, in place, the model's GDP of each neighbouring state
    without WDI GDP (``pairs``: iso3, neighbour); return how many state-years changed."""
    if INPUT not in imputed.inputs or "gdp_usd" not in imputed.inputs:
        return 0
    gdp, panel = imputed.inputs["gdp_usd"], imputed.inputs[INPUT]
    known = pairs[pairs["iso3"].isin(imputed.units) & pairs["neighbour"].isin(imputed.units)]
    state = np.searchsorted(imputed.units, known["iso3"].to_numpy())
    other = np.searchsorted(imputed.units, known["neighbour"].to_numpy())
    member = imputed.members()
    lacking = member[state] & member[other] & (gdp.status[other] != REAL) & (gdp.status[other] < STRUCTURAL)
    lacking &= np.isfinite(gdp.centre[other])
    value = np.where(lacking, np.exp(np.where(lacking, gdp.centre[other], 0.0)), 0.0)  # US$, log-space centre
    added = np.zeros(panel.status.shape)
    variance = np.zeros(panel.status.shape)
    np.add.at(added, state, value)
    np.add.at(variance, state, (value * np.where(lacking, gdp.spread[other], 0.0)) ** 2)
    change = (added > 0) & (panel.status < STRUCTURAL) & np.isfinite(panel.centre)
    total = from_space(panel.centre, "log1p") + added
    own = panel.spread * (total - added) / np.where(total > 0, total, 1.0)  # a carried sum's own spread
    panel.centre = np.where(change, to_space(total, "log1p"), panel.centre)
    panel.spread = np.where(change, np.hypot(np.sqrt(variance) / np.where(total > 0, total, 1.0), own),
                            panel.spread)
    panel.status = np.where(change, IMPUTED, panel.status).astype(np.int8)
    panel.data_year = np.where(change, np.nan, panel.data_year)
    return int(change.sum())
