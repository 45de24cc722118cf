"""Panel verb ``add_transit``: transit centrality on the Eurasian freight network."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column


@verb(derived=(
    Column("transit_centrality", "share, 0-1", "share of the observed China-Europe land-corridor container volume "
           "(Middle + Northern Corridor) whose fastest Xi'an-Duisburg route crosses the state as a transit state "
           "(flow-weighted betweenness); 0 = no modelled transit", upstream="middlepower.corridor.centrality",
           sources=("corridor_network",)),
    Column("transit_flow_teu", "TEU", "that volume in TEU", upstream="middlepower.corridor.centrality",
           sources=("corridor_network",)),
))
def add_transit(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with transit centrality on the corridor network added.

    The network is today's (capacities and times of 2024-2025), so values are given only for years
    in which both land corridors have an observed volume (2024 with the shipped data) and are NA in
    every other year rather than projected backwards. The network is shipped with the package
    (``corridor_network``); ``db`` is taken for the common verb signature.
    """
    from middlepower.corridor.api import network
    from middlepower.corridor.centrality import transit_centrality, valued_years

    states = pd.Series(frame["iso3"].dropna().unique())
    net = network()
    tables = []
    for year in valued_years():
        found = transit_centrality(net, year).set_index("iso3")
        tables.append(pd.DataFrame({
            "iso3": states, "year": year,
            "transit_centrality": states.map(found["transit_centrality"]).fillna(0.0).astype(float).to_numpy(),
            "transit_flow_teu": states.map(found["transit_flow_teu"]).fillna(0.0).astype(float).to_numpy(),
        }))
    values = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(
        columns=["iso3", "year", "transit_centrality", "transit_flow_teu"])
    return join_columns(frame, values, "add_transit")
