"""The multimodal corridor network: typed nodes and westbound edges, validated where they enter.

Data live in ``middlepower/data/corridor/`` (nodes.csv, edges.csv, parameters.yaml): facts typed
from public sources, each figure with its source column; empty cells mean "not known". Loading
checks every value once and adds derived columns in explicit units:

edges
    ``capacity_teu_per_year`` (TEU/yr westbound, NaN = not known), ``moving_time_h`` (published
    time, or distance / speed), ``time_low_h``/``time_high_h`` (range, equal to the typical time when
    none is published), ``time_basis`` (``published`` | ``speed_parameter`` | ``unknown``).
nodes
    ``node_capacity_teu_per_year``, ``dwell_h`` and ``dwell_low_h``/``dwell_high_h`` in hours
    (0 where not known; ``dwell_known`` says which).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from middlepower.corridor.units import to_hours, to_teu_per_year
from middlepower.errors import DataError

KNOTS_KM_PER_DAY = 1.852 * 24
MODES = {"rail", "ferry", "sea", "road", "transfer"}
NUMERIC_EDGE = ["distance_km", "time_typical", "time_low", "time_high", "capacity_value", "cost_value"]
NUMERIC_NODE = [
    "lat",
    "lon",
    "node_capacity_value",
    "dwell_low_h",
    "dwell_typical_h",
    "dwell_high_h",
    "map_lat",
    "map_lon",
]


def data_dir() -> Path:
    """Return the folder of the shipped corridor data (nodes, edges, parameters, scenarios)."""
    return Path(str(resources.files("middlepower") / "data" / "corridor"))


@dataclass(frozen=True)
class Network:
    """Validated nodes (indexed by id) and edges (indexed by edge_id) plus model parameters."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    params: dict[str, float]
    param_sources: dict[str, str] = field(default_factory=dict)

    def with_tables(self, nodes: pd.DataFrame, edges: pd.DataFrame) -> Network:
        """Return a network over changed tables, re-validated and with derived columns recomputed."""
        return _derive(replace(self, nodes=nodes, edges=edges))

    def node_label(self, node_id: str) -> str:
        """Return the short display name of a node (its name up to the first parenthesis)."""
        return str(self.nodes.at[node_id, "name"]).split(" (")[0]


def _numeric(frame: pd.DataFrame, columns: list[str], id_column: str, what: str) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        if column not in out.columns:
            out[column] = np.nan
            continue
        raw = out[column].replace("", np.nan)
        values = pd.to_numeric(raw, errors="coerce")
        bad = raw.notna() & values.isna()
        if bad.any():
            row = out.loc[bad.idxmax()]
            raise DataError(f"{what} {row[id_column]}: {column} is {row[column]!r}, not a number")
        out[column] = values
    return out


def load_parameters(path: Path | None = None) -> tuple[dict[str, float], dict[str, str]]:
    """Return (values, sources) of the model parameters from parameters.yaml."""
    path = path or data_dir() / "parameters.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    values, sources = {}, {}
    for name, entry in spec.items():
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise DataError(f"{path.name}: parameter {name!r} needs a value and a source")
        values[name] = float(entry["value"])
        sources[name] = str(entry["source"])
    return values, sources


def load_network(
    nodes_path: Path | None = None, edges_path: Path | None = None, params_path: Path | None = None
) -> Network:
    """Return the validated corridor network (the shipped data unless paths are given).

    Raises DataError naming the node, edge and field of the first impossible value: an unknown
    endpoint, a negative distance, time or capacity, an unknown mode or unit, a range whose low end
    exceeds its high end.
    """
    nodes_path = nodes_path or data_dir() / "nodes.csv"
    edges_path = edges_path or data_dir() / "edges.csv"
    try:
        nodes = pd.read_csv(nodes_path, dtype=str, keep_default_na=False)
        edges = pd.read_csv(edges_path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise DataError(f"corridor network: cannot read {exc}") from None
    for frame, needed, path in (
        (nodes, ["id", "name", "country_iso3", "kind"], nodes_path),
        (edges, ["edge_id", "from", "to", "corridor", "mode"], edges_path),
    ):
        missing = [column for column in needed if column not in frame.columns]
        if missing:
            raise DataError(f"{Path(path).name}: missing column {missing[0]!r}")
    nodes = _numeric(nodes, NUMERIC_NODE, "id", "node").set_index("id", drop=False)
    edges = _numeric(edges, NUMERIC_EDGE, "edge_id", "edge").set_index("edge_id", drop=False)
    for frame, label in ((nodes, "node"), (edges, "edge")):
        duplicated = frame.index[frame.index.duplicated()]
        if len(duplicated):
            raise DataError(f"{label} {duplicated[0]}: id appears more than once")
    params, sources = load_parameters(params_path)
    return _derive(Network(nodes, edges, params, sources))


def _check_edges(net: Network) -> None:
    edges = net.edges
    for edge_id, row in edges.iterrows():
        for end in ("from", "to"):
            if row[end] not in net.nodes.index:
                raise DataError(f"edge {edge_id}: {end} node {row[end]!r} is not in the nodes table")
        if row["mode"] not in MODES:
            raise DataError(f"edge {edge_id}: mode {row['mode']!r} is not one of {', '.join(sorted(MODES))}")
        for column in ("distance_km", "time_typical", "time_low", "time_high", "capacity_value"):
            if row[column] < 0:
                raise DataError(f"edge {edge_id}: {column} is {row[column]:g} (must not be negative)")
        if row["distance_km"] == 0 and row["mode"] != "transfer":
            raise DataError(f"edge {edge_id}: distance_km is 0 on a {row['mode']} edge (leave it empty if unknown)")
        low, mid, high = row["time_low"], row["time_typical"], row["time_high"]
        if (not math.isnan(low) and low > mid) or (not math.isnan(high) and high < mid):
            raise DataError(f"edge {edge_id}: time range {low:g}-{high:g} does not contain time_typical {mid:g}")


def _check_nodes(net: Network) -> None:
    for node_id, row in net.nodes.iterrows():
        if row["node_capacity_value"] < 0:
            raise DataError(
                f"node {node_id}: node_capacity_value is {row['node_capacity_value']:g} (must not be negative)"
            )
        low, mid, high = row["dwell_low_h"], row["dwell_typical_h"], row["dwell_high_h"]
        if min(low, mid, high) < 0:
            raise DataError(f"node {node_id}: dwell times must not be negative")
        if not math.isnan(mid) and not (low <= mid <= high):
            raise DataError(f"node {node_id}: dwell range {low:g}-{high:g} h does not contain typical {mid:g} h")


def _derive(net: Network) -> Network:
    _check_nodes(net)
    _check_edges(net)
    nodes, edges, params = net.nodes.copy(), net.edges.copy(), net.params
    nodes["node_capacity_teu_per_year"] = [
        to_teu_per_year(v, u, params, f"node {i}: node_capacity_unit")
        for i, v, u in zip(nodes.index, nodes["node_capacity_value"], nodes.get("node_capacity_unit", ""), strict=True)
    ]
    nodes["dwell_known"] = nodes["dwell_typical_h"].notna()
    nodes["dwell_h"] = nodes["dwell_typical_h"].fillna(0.0)
    nodes["dwell_low_h"] = nodes["dwell_low_h"].fillna(nodes["dwell_h"])
    nodes["dwell_high_h"] = nodes["dwell_high_h"].fillna(nodes["dwell_h"])
    edges["capacity_teu_per_year"] = [
        to_teu_per_year(v, u, params, f"edge {i}: capacity_unit")
        for i, v, u in zip(edges.index, edges["capacity_value"], edges["capacity_unit"], strict=True)
    ]
    published = [
        to_hours(v, u, f"edge {i}: time_unit")
        for i, v, u in zip(edges.index, edges["time_typical"], edges["time_unit"], strict=True)
    ]
    speed_km_per_day = np.where(
        edges["mode"].isin(["sea", "ferry"]),
        params["sea_speed_knots"] * KNOTS_KM_PER_DAY,
        params["rail_speed_km_per_day"],
    )
    from_speed = edges["distance_km"] / speed_km_per_day * 24.0
    edges["moving_time_h"] = pd.Series(published, index=edges.index).fillna(from_speed)
    edges["time_basis"] = np.where(
        pd.notna(published), "published", np.where(from_speed.notna(), "speed_parameter", "unknown")
    )
    factor = edges["time_unit"].map({"h": 1.0, "d": 24.0})
    edges["time_low_h"] = (edges["time_low"] * factor).fillna(edges["moving_time_h"])
    edges["time_high_h"] = (edges["time_high"] * factor).fillna(edges["moving_time_h"])
    return replace(net, nodes=nodes, edges=edges)
