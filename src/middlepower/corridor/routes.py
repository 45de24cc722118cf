"""Routes through one corridor: distance, time (moving + dwell), cost where known, and sources.

A corridor is a set of edge ``corridor`` labels (:data:`CORRIDORS`). The route is the fastest
westbound path by typical time, where an edge costs its moving time plus the typical dwell at the
node it enters. Edges with capacity 0 (closed) and edges with neither distance nor time are left
out; if nothing remains between the two nodes the error names what was left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from middlepower.corridor.network import Network
from middlepower.errors import DataError

CORRIDORS: dict[str, frozenset[str]] = {
    "middle": frozenset({"MC", "MC/NC", "CN", "EU"}),
    "northern": frozenset({"NC", "MC/NC", "CN", "EU"}),
    "suez": frozenset({"SEA_SUEZ", "CN", "EU"}),
    "cape": frozenset({"SEA_CAPE", "CN", "EU"}),
}
CORRIDOR_TITLES = {
    "middle": "Middle Corridor (Trans-Caspian)",
    "northern": "Northern Corridor (Russia-Belarus)",
    "suez": "Sea via Suez",
    "cape": "Sea via the Cape",
}


def find_node(net: Network, query: str) -> str:
    """Return the node id matching ``query`` (an id, or a name or name prefix, ignoring case and apostrophes).

    Raises DataError naming the query when no node or more than one node matches.
    """
    def plain(values):  # "Xi'an", "xian" and "XI’AN" are one name
        return values.str.casefold().str.replace(r"['’`]", "", regex=True)

    text = plain(pd.Series([query.strip()])).iloc[0]
    if query in net.nodes.index:
        return query
    names = plain(net.nodes["name"])
    for matches in (net.nodes.index[net.nodes["id"].str.casefold() == text],
                    net.nodes.index[names.str.split(" (", regex=False).str[0] == text],
                    net.nodes.index[names.str.startswith(text)],
                    net.nodes.index[names.str.contains(text, regex=False)]):
        if len(matches) == 1:
            return str(matches[0])
        if len(matches) > 1:
            raise DataError(f"node {query!r} is ambiguous: {', '.join(matches)}")
    raise DataError(f"node {query!r} is not in the corridor network (try an id such as CN_XIAN or DE_DUISBURG)")


def corridor_edges(net: Network, via: str) -> pd.DataFrame:
    """Return the edges belonging to corridor ``via`` (DataError for an unknown corridor)."""
    if via not in CORRIDORS:
        raise DataError(f"corridor {via!r} is not one of {', '.join(CORRIDORS)}")
    return net.edges[net.edges["corridor"].isin(CORRIDORS[via])]


def _routing_graph(net: Network, edges: pd.DataFrame) -> tuple[nx.DiGraph, list[str]]:
    graph, left_out = nx.DiGraph(), []
    closed_nodes = set(net.nodes.index[net.nodes["node_capacity_value"] == 0])
    dwell = net.nodes["dwell_h"].to_dict()
    for edge_id, row in edges.to_dict("index").items():
        if row["capacity_value"] == 0:
            left_out.append(f"{edge_id} (capacity 0)")
            continue
        if math.isnan(row["moving_time_h"]):
            left_out.append(f"{edge_id} (no distance or time)")
            continue
        if row["to"] in closed_nodes or row["from"] in closed_nodes:
            left_out.append(f"{edge_id} (node capacity 0)")
            continue
        if graph.has_edge(row["from"], row["to"]):
            other = graph.edges[row["from"], row["to"]]["edge_id"]
            raise DataError(f"edges {other} and {edge_id} both join {row['from']}->{row['to']} in one corridor")
        weight = row["moving_time_h"] + dwell[row["to"]]
        graph.add_edge(row["from"], row["to"], edge_id=edge_id, weight=weight)
    return graph, left_out


@dataclass(frozen=True)
class Route:
    """A route: ``segments`` (one row per edge) and the corridor, endpoints and what was left out."""

    corridor: str
    origin: str
    destination: str
    segments: pd.DataFrame
    left_out: tuple[str, ...]

    def summary(self) -> dict:
        """Return totals: km, moving/dwell/total days, gauge and mode changes, known cost, unknown dwell.

        Dwell days include the time of transfer edges (gauge changes at Dostyk, Brest).
        """
        seg = self.segments
        transfer_h = seg["moving_time_h"].where(seg["mode"] == "transfer", 0.0)
        moving_h, dwell_h = seg["moving_time_h"].sum() - transfer_h.sum(), seg["dwell_at_to_h"].sum() + transfer_h.sum()
        costs = seg[seg["cost_unit"].fillna("").str.startswith("USD/FEU")]
        return {
            "corridor": self.corridor,
            "origin": self.origin,
            "destination": self.destination,
            "distance_km": float(seg["distance_km"].sum()),
            "distance_unknown_segments": int(seg["distance_km"].isna().sum()),
            "moving_days": float(moving_h / 24),
            "dwell_days": float(dwell_h / 24),
            "time_days": float((moving_h + dwell_h) / 24),
            "cost_usd_per_feu_known": float(costs["cost_value"].sum()) if len(costs) else math.nan,
            "cost_segments_known": f"{len(costs)}/{len(seg)}",
            "gauge_changes": gauge_changes(seg),
            "mode_changes": int(
                (seg["mode"].isin(WATER_MODES) != seg["mode"].shift().isin(WATER_MODES)).iloc[1:].sum()
            ),
            "dwell_unknown_at": ", ".join(seg.loc[seg["dwell_unknown"], "to"]),
            "path": " > ".join([seg["from"].iloc[0], *seg["to"]]),
        }


WATER_MODES = ("ferry", "sea")


def path_names(net: Network, chosen: Route) -> str:
    """The route's nodes by their short names, ``Xi'an > Altynkol > ... > Duisburg``."""
    seg = chosen.segments
    return " > ".join(net.node_label(node) for node in [seg["from"].iloc[0], *seg["to"]])


def gauge_changes(segments: pd.DataFrame) -> int:
    """Return the number of breaks of gauge (1435 <-> 1520 mm) along a route's segments.

    A transfer edge ("1435->1520") is one change; consecutive rail legs of different gauge, with
    only water legs between them (Akhalkalaki: 1520 in, 1435 out), are another.
    """
    changes, last = 0, None
    for mode, gauge in zip(segments["mode"], segments["gauge_mm"].fillna("").astype(str), strict=True):
        if mode == "transfer" and "->" in gauge:
            changes, last = changes + 1, gauge.split("->")[1]
        elif mode == "rail" and gauge:
            changes += int(last is not None and gauge != last)
            last = gauge
    return changes


SEGMENT_COLUMNS = [
    "edge_id",
    "from",
    "to",
    "mode",
    "gauge_mm",
    "distance_km",
    "distance_basis",
    "distance_source",
    "moving_time_h",
    "time_basis",
    "time_source",
    "dwell_at_to_h",
    "dwell_source",
    "dwell_unknown",
    "capacity_teu_per_year",
    "capacity_source",
    "cost_value",
    "cost_unit",
    "cost_source",
]


def route(net: Network, origin: str, destination: str, via: str = "middle") -> Route:
    """Return the fastest route from ``origin`` to ``destination`` through corridor ``via``.

    Times are in hours per segment; dwell is counted at every node entered except the destination.
    Raises DataError naming the unknown node, or the closed/unusable edges when no path remains.
    """
    start, end = find_node(net, origin), find_node(net, destination)
    if start == end:
        raise DataError(f"route from {start} to itself: origin and destination must differ")
    graph, left_out = _routing_graph(net, corridor_edges(net, via))
    if start not in graph or end not in graph or not nx.has_path(graph, start, end):
        detail = f"; left out: {', '.join(left_out)}" if left_out else ""
        raise DataError(f"no westbound {via} route from {start} to {end} in the network{detail}")
    path = nx.shortest_path(graph, start, end, weight="weight")
    ids = [graph.edges[u, v]["edge_id"] for u, v in zip(path, path[1:], strict=False)]
    seg = net.edges.loc[ids].copy()
    to_nodes = net.nodes.loc[seg["to"]]
    seg["dwell_at_to_h"] = to_nodes["dwell_h"].to_numpy()
    seg["dwell_source"] = to_nodes["dwell_source"].to_numpy()
    kinds = to_nodes["kind"].isin(["port", "border_crossing"]).to_numpy()
    next_transfer = seg["mode"].shift(-1).eq("transfer").to_numpy() | seg["mode"].eq("transfer").to_numpy()
    seg["dwell_unknown"] = kinds & ~to_nodes["dwell_known"].to_numpy() & ~next_transfer
    seg.iloc[-1, seg.columns.get_loc("dwell_at_to_h")] = 0.0
    seg.iloc[-1, seg.columns.get_loc("dwell_unknown")] = False
    return Route(via, start, end, seg[SEGMENT_COLUMNS].reset_index(drop=True), tuple(left_out))


def compare(
    net: Network, origin: str, destination: str, corridors: list[str] | None = None, draws: int = 0, seed: int = 0
) -> pd.DataFrame:
    """Return one row per corridor: km, days (moving, dwell, total), known cost, published days.

    ``path_names`` lists the nodes by name. With ``draws`` > 0 the rows also hold ``p05_days``,
    ``p50_days`` and ``p95_days`` from that many Monte Carlo draws and ``interval_note`` (why the
    typical time lies outside the interval, when it does: :func:`montecarlo.interval_note`). A
    corridor without a usable route gets a row with ``status`` holding the reason instead of numbers.
    ``published_days`` and its source come from published_times.csv (scope differs).
    """
    from middlepower.corridor.montecarlo import time_interval
    from middlepower.corridor.network import data_dir

    published = pd.read_csv(data_dir() / "published_times.csv").set_index("corridor")
    rows = []
    for via in corridors or list(CORRIDORS):
        try:
            chosen = route(net, origin, destination, via)
            row = chosen.summary() | {"status": "ok", "path_names": path_names(net, chosen)}
            if draws > 0:
                interval = time_interval(net, chosen, draws, seed)
                row |= {key: interval[key] for key in ("p05_days", "p50_days", "p95_days", "interval_note")}
        except DataError as exc:
            row = {"corridor": via, "status": str(exc)}
        if via in published.index:
            pub = published.loc[via]
            row["published_days"] = f"{pub['low_d']:g}-{pub['high_d']:g}"
            row["published_scope"] = pub["scope"]
            row["published_source"] = pub["source"]
        rows.append(row)
    return pd.DataFrame(rows)
