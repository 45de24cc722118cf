"""Monte Carlo transit times: sample uncertain moving and dwell times along a fixed route.

Each segment time and each dwell has a (low, typical, high) triple in hours; triples with a real
range are drawn from a triangular distribution, the rest are constants. The route is the one
chosen at typical times (a shipper books a routing before the delays happen). All draws are one
NumPy call: no Python loop over draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from middlepower.corridor.network import Network
from middlepower.corridor.routes import Route

QUANTILES = (0.05, 0.5, 0.95)


def route_time_triples(net: Network, route: Route) -> pd.DataFrame:
    """Return one row per uncertain item of ``route``: item, low_h, typical_h, high_h.

    Items are each segment's moving time and the dwell at each node entered before the destination.
    """
    seg = route.segments
    edges = net.edges.loc[seg["edge_id"]]
    moving = pd.DataFrame({"item": seg["edge_id"].to_numpy(), "low_h": edges["time_low_h"].to_numpy(),
                           "typical_h": edges["moving_time_h"].to_numpy(), "high_h": edges["time_high_h"].to_numpy()})
    stops = net.nodes.loc[seg["to"].iloc[:-1]]
    dwell = pd.DataFrame(
        {
            "item": "dwell@" + stops.index.to_series().to_numpy(),
            "low_h": stops["dwell_low_h"].to_numpy(),
            "typical_h": stops["dwell_h"].to_numpy(),
            "high_h": stops["dwell_high_h"].to_numpy(),
        }
    )
    return pd.concat([moving, dwell], ignore_index=True)


def sample_days(triples: pd.DataFrame, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``draws`` total route times in days (vectorised triangular draws)."""
    low, mode, high = (triples[c].to_numpy(dtype=float) for c in ("low_h", "typical_h", "high_h"))
    uncertain = high > low
    constant_h = mode[~uncertain].sum()
    if not uncertain.any():
        return np.full(draws, constant_h / 24.0)
    samples = rng.triangular(low[uncertain], mode[uncertain], high[uncertain], size=(draws, int(uncertain.sum())))
    return (constant_h + samples.sum(axis=1)) / 24.0


def time_interval(net: Network, route: Route, draws: int = 10_000, seed: int | None = 0) -> dict:
    """Return the route's time distribution: mean and the 5 %, 50 %, 95 % quantiles, in days."""
    days = sample_days(route_time_triples(net, route), draws, np.random.default_rng(seed))
    p05, p50, p95 = np.quantile(days, QUANTILES)
    return {
        "mean_days": float(days.mean()),
        "p05_days": float(p05),
        "p50_days": float(p50),
        "p95_days": float(p95),
        "draws": draws,
    }
