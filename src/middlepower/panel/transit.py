"""Panel verb ``add_transit``: transit centrality on the Eurasian freight network."""

from __future__ import annotations

import pandas as pd

from middlepower.errors import DataError


def add_transit(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` (columns ``iso3``, ``year``) with transit centrality columns added.

    Added columns
    -------------
    transit_centrality : float, 0–1
        Share of the observed China–Europe land-corridor container volume (Middle + Northern
        Corridor, TEU) whose fastest Xi'an–Duisburg route crosses the country as a transit state
        (flow-weighted betweenness; :mod:`middlepower.corridor.centrality`). 0 = the modelled
        network carries no transit through the country.
    transit_flow_teu : float, TEU
        That volume in TEU (volumes.csv: ERAI/UTLC ERA for the Northern Corridor, KMTF/TITR for the
        Middle Corridor; figures count different directions, see the file).

    Years: the network is today's (capacities and times of 2024–2025), so values are given only for
    years in which both land corridors have an observed volume — 2024 with the shipped data — and
    are NA in every other year rather than projected backwards. Rows are never dropped or reordered.
    Source: the corridor network under ``middlepower/data/corridor/`` (typed facts, each sourced).
    """
    from middlepower.corridor.api import network
    from middlepower.corridor.centrality import transit_centrality, valued_years

    for column in ("iso3", "year"):
        if column not in frame.columns:
            raise DataError(f"add_transit: frame has no column {column!r}")
    out = frame.copy()
    years = pd.to_numeric(out["year"], errors="coerce")
    centrality = pd.Series(pd.NA, index=out.index, dtype="Float64")
    flow = pd.Series(pd.NA, index=out.index, dtype="Float64")
    net = network()
    for year in valued_years():
        table = transit_centrality(net, year).set_index("iso3")
        in_year = years == year
        centrality[in_year] = out.loc[in_year, "iso3"].map(table["transit_centrality"]).fillna(0.0).astype(float)
        flow[in_year] = out.loc[in_year, "iso3"].map(table["transit_flow_teu"]).fillna(0.0).astype(float)
    out["transit_centrality"] = centrality
    out["transit_flow_teu"] = flow
    return out
