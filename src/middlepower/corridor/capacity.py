"""Capacity: maximum flow and minimum cut per corridor, in TEU per year westbound.

Node capacities are applied by splitting nodes. A port's capacity bounds the transfer between its
land side (rail, road) and its water side (ferry, sea), so rail traffic running past a port (Aktau
to Kuryk) does not consume it; other nodes split into in -> out. A missing capacity is "not known"
and does not bound the flow; a corridor with no finite cut is reported as unbounded. Capacity 0
closes an element.
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd

from middlepower.corridor.network import Network, data_dir
from middlepower.corridor.routes import CORRIDORS, corridor_edges, find_node
from middlepower.corridor.sea import in_caspian
from middlepower.errors import DataError

WATER_MODES = {"ferry", "sea"}


def _attach(nodes: dict, node: str, mode: str, side: str) -> str:
    row = nodes[node]
    if math.isnan(row["node_capacity_teu_per_year"]):
        return node
    if row["kind"] == "port":
        return f"{node}|{'water' if mode in WATER_MODES else 'land'}"
    return f"{node}|{'out' if side == 'from' else 'in'}"


def flow_graph(net: Network, via: str) -> nx.DiGraph:
    """Return the capacity graph of corridor ``via`` (edge attribute ``capacity`` in TEU/yr)."""
    graph = nx.DiGraph()
    edges = corridor_edges(net, via)
    used = set(edges["from"]) | set(edges["to"])
    for node in used:
        cap = net.nodes.at[node, "node_capacity_teu_per_year"]
        if math.isnan(cap):
            continue
        if net.nodes.at[node, "kind"] == "port":
            for a, b in ((f"{node}|land", f"{node}|water"), (f"{node}|water", f"{node}|land")):
                graph.add_edge(a, b, capacity=cap, element=node)
        else:
            graph.add_edge(f"{node}|in", f"{node}|out", capacity=cap, element=node)
    nodes = net.nodes[["kind", "node_capacity_teu_per_year"]].to_dict("index")
    for edge_id, row in edges.to_dict("index").items():
        u = _attach(nodes, row["from"], row["mode"], "from")
        v = _attach(nodes, row["to"], row["mode"], "to")
        attrs = {"element": edge_id}
        if not math.isnan(row["capacity_teu_per_year"]):
            attrs["capacity"] = row["capacity_teu_per_year"]
        graph.add_edge(u, v, **attrs)
    return graph


def _endpoint(net: Network, graph: nx.DiGraph, node: str, side: str) -> str:
    for candidate in (node, f"{node}|{side}", f"{node}|land"):
        if candidate in graph:
            return candidate
    raise DataError(f"node {node} is not on this corridor")


def _is_caspian(net: Network, element: str) -> bool:
    if element in net.nodes.index:
        row = net.nodes.loc[element]
        lat = row["lat"] if not math.isnan(row["lat"]) else row["map_lat"]
        lon = row["lon"] if not math.isnan(row["lon"]) else row["map_lon"]
        return row["kind"] == "port" and not math.isnan(lat) and in_caspian(lat, lon)
    edge = net.edges.loc[element]
    return edge["mode"] == "ferry" and _is_caspian(net, edge["from"]) and _is_caspian(net, edge["to"])


def max_flow(net: Network, origin: str, destination: str, via: str) -> dict:
    """Return the corridor's maximum flow and its minimum cut (the binding bottleneck).

    Keys: ``corridor``, ``max_flow_teu_per_year`` (inf when no finite cut exists),
    ``bottleneck`` (ids of the cut elements, "; "-joined), ``bottleneck_names``, ``cut`` (a frame
    with element, name, capacity_teu_per_year, caspian) and ``caspian_binds`` (every cut element is
    a Caspian port or Caspian ferry line).
    """
    start, end = find_node(net, origin), find_node(net, destination)
    graph = flow_graph(net, via)
    source, sink = _endpoint(net, graph, start, "out"), _endpoint(net, graph, end, "in")
    try:
        value, (reachable, _) = nx.minimum_cut(graph, source, sink, capacity="capacity")
    except nx.NetworkXUnbounded:
        return {"corridor": via, "max_flow_teu_per_year": math.inf, "bottleneck": "",
                "bottleneck_names": "unbounded: no finite capacity figure on every path",
                "cut": pd.DataFrame(columns=["element", "name", "capacity_teu_per_year", "caspian"]),
                "caspian_binds": False}
    cut_rows = []
    for u, v, attrs in graph.edges(data=True):
        if u in reachable and v not in reachable:
            element = attrs["element"]
            cut_rows.append({"element": element, "name": _element_name(net, element),
                             "capacity_teu_per_year": attrs.get("capacity", math.inf),
                             "caspian": _is_caspian(net, element)})
    cut = pd.DataFrame(cut_rows).drop_duplicates("element").sort_values("capacity_teu_per_year", ascending=False)
    return {"corridor": via, "max_flow_teu_per_year": float(value),
            "bottleneck": "; ".join(cut["element"]), "bottleneck_names": "; ".join(cut["name"]),
            "cut": cut.reset_index(drop=True), "caspian_binds": bool(len(cut)) and bool(cut["caspian"].all())}


def _element_name(net: Network, element: str) -> str:
    if element in net.nodes.index:
        return f"{net.node_label(element)} ({str(net.nodes.at[element, 'kind']).replace('_', ' ')})"
    row = net.edges.loc[element]
    return f"{net.node_label(row['from'])}-{net.node_label(row['to'])} {row['mode']} ({element})"


def capacity_table(net: Network, origin: str = "CN_XIAN", destination: str = "DE_DUISBURG",
                   corridors: list[str] | None = None) -> pd.DataFrame:
    """Return one row per corridor: max flow (TEU/yr), bottleneck ids and names, Caspian flag."""
    rows = []
    for via in corridors or list(CORRIDORS):
        result = max_flow(net, origin, destination, via)
        rows.append({key: value for key, value in result.items() if key != "cut"})
    return pd.DataFrame(rows)


def load_volumes() -> pd.DataFrame:
    """Return observed corridor volumes by year (TEU, with direction, scope and source)."""
    return pd.read_csv(data_dir() / "volumes.csv")


def utilisation(net: Network, origin: str = "CN_XIAN", destination: str = "DE_DUISBURG") -> pd.DataFrame:
    """Return observed volume / max flow per corridor and year (only years with a volume figure).

    Columns: corridor, year, volume_teu, direction, scope, source, max_flow_teu_per_year,
    utilisation (a ratio; above 1 means the volume enters by crossings the network does not hold,
    or the capacity figure understates the real capacity), note (:func:`utilisation_note`).
    """
    capacities = capacity_table(net, origin, destination).set_index("corridor")["max_flow_teu_per_year"]
    volumes = load_volumes()
    volumes["max_flow_teu_per_year"] = volumes["corridor"].map(capacities)
    volumes["utilisation"] = volumes["volume_teu"] / volumes["max_flow_teu_per_year"]
    volumes["note"] = [utilisation_note(row) for row in volumes.to_dict("records")]
    return volumes


def _caveats(row: dict) -> list[str]:
    """Why a ratio of observed volume to modelled max flow is not a utilisation of the route, one
    sentence per reason (none when it is).

    The max flow is that of the network's route (one border crossing per corridor, westbound); a
    published volume often counts more (every crossing of the corridor's countries, both directions).
    """
    notes = []
    if row["direction"] == "both":
        notes.append("the volume counts both directions, the max flow is westbound")
    if row["utilisation"] > 1:
        notes.append(f"above 1: the volume ({row['scope']}) enters by crossings the network does not hold, "
                     "or the binding capacity figure understates the crossing, so this is no utilisation of "
                     "the modelled route")
    return notes


def utilisation_note(row: dict) -> str:
    """A row's caveats (:func:`_caveats`) joined with "; ", or ''."""
    return "; ".join(_caveats(row))


def utilisation_notes(frame: pd.DataFrame) -> str:
    """Every caveat of a :func:`utilisation` frame once, with the rows it is about ("northern 2022,
    middle 2024: the volume counts both directions, ..."), joined with "; "; '' when there is none."""
    rows: dict[str, list[str]] = {}
    for row in frame.to_dict("records"):
        for caveat in _caveats(row):
            rows.setdefault(caveat, []).append(f"{row['corridor']} {row['year']}")
    return "; ".join(f"{', '.join(labels)}: {caveat}" for caveat, labels in rows.items())
