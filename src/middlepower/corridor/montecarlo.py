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
    """Return the route's time distribution: mean and the 5 %, 50 %, 95 % quantiles, in days, and
    ``interval_note``: why the typical time lies outside the 5-95 % interval, when it does ('' otherwise)."""
    triples = route_time_triples(net, route)
    days = sample_days(triples, draws, np.random.default_rng(seed))
    p05, p50, p95 = np.quantile(days, QUANTILES)
    return {
        "mean_days": float(days.mean()),
        "p05_days": float(p05),
        "p50_days": float(p50),
        "p95_days": float(p95),
        "draws": draws,
        "interval_note": interval_note(triples, float(p05), float(p95), float(p50),
                                       lambda item: _item_label(net, item)),
    }


def _item_label(net: Network, item: str) -> str:
    if item.startswith("dwell@"):
        return f"the wait at {net.node_label(item[len('dwell@'):])}"
    edge = net.edges.loc[item]
    return f"the {edge['mode']} leg {net.node_label(edge['from'])}-{net.node_label(edge['to'])}"


def interval_notes(frame: pd.DataFrame, column: str = "interval_note") -> str:
    """The interval notes of a table of corridors ("middle: the typical 21.7 days ..."), joined with "; ";
    '' when no corridor has one. ``column``: ``interval_note``, or a scenario's ``interval_note_after``."""
    return "; ".join(f"{r['corridor']}: {r[column]}" for r in frame.to_dict("records") if r.get(column))


def interval_note(triples: pd.DataFrame, p05_days: float, p95_days: float, p50_days: float,
                  label=str) -> str:
    """Explain a typical time outside its own 5-95 % interval, or return ''.

    The typical time sums each item's most likely value (the mode of its triangular distribution).
    When several items are skewed to the right (a wait that is usually two days but can be two
    weeks), the modes add up to less than almost every simulated total: the typical time is then a
    lower, "if every leg goes as usual" figure, and the simulated median is the central estimate.
    ``label`` names an item (``dwell@KZ_AKTAU``) for the sentence.
    """
    typical = float(triples["typical_h"].sum()) / 24.0
    if p05_days <= typical <= p95_days:
        return ""
    skew = (triples["low_h"] + triples["high_h"] - 2 * triples["typical_h"]) / 3.0  # mean minus mode, hours
    worst = triples.loc[skew.idxmax()]
    side = "below" if typical < p05_days else "above"
    return (f"the typical {typical:.1f} days (each leg's most likely time, summed) lies {side} the simulated "
            f"5-95 % because the waits are skewed: {label(worst['item'])} is most likely "
            f"{worst['typical_h']:.0f} h but ranges {worst['low_h']:.0f}-{worst['high_h']:.0f} h; "
            f"the simulated median is {p50_days:.1f} days")
