"""Scenarios: named changes to the network (YAML), and a before/after table of time and capacity.

A scenario file holds ``name``, optional ``description``, ``origin``, ``destination``,
``corridors``, ``draws``, ``seed`` and a list of ``changes``. Each change targets one ``edge`` or
one ``node``, gives ``set`` (fields to overwrite) and/or ``close: true`` (capacity 0), and must
name its ``source``. The file is checked once, here; errors are SpecErrors naming the change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from middlepower import limits
from middlepower.corridor.capacity import max_flow
from middlepower.corridor.montecarlo import time_interval
from middlepower.corridor.network import Network, data_dir
from middlepower.corridor.routes import CORRIDORS, route
from middlepower.errors import DataError, MiddlepowerError, SpecError
from middlepower.specfile import read_mapping

EDGE_FIELDS = {"distance_km": "distance_source", "time_typical": "time_source", "time_low": "time_source",
               "time_high": "time_source", "time_unit": "time_source", "capacity_value": "capacity_source",
               "capacity_unit": "capacity_source"}
NODE_FIELDS = {"node_capacity_value": "node_capacity_basis", "node_capacity_unit": "node_capacity_basis",
               "dwell_low_h": "dwell_source", "dwell_typical_h": "dwell_source", "dwell_high_h": "dwell_source"}


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its name, endpoints, corridors, Monte Carlo settings and changes."""

    name: str
    description: str
    origin: str
    destination: str
    corridors: tuple[str, ...]
    draws: int
    seed: int
    changes: tuple[dict, ...]


def find_scenario(name_or_path: str) -> Path:
    """Return the path of a scenario file, or of a shipped scenario by name (e.g. ``roadmap``)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.is_dir():
        raise SpecError(f"{path}: a folder, not a scenario file")
    shipped = data_dir() / "scenarios" / (path.name if path.suffix else f"{path.name}.yaml")
    if shipped.is_file():
        return shipped
    raise SpecError(f"scenario {name_or_path!r}: no such file, and no shipped scenario of that name")


def load_scenario(name_or_path: str) -> Scenario:
    """Return the validated scenario from a YAML file (SpecError naming the offending entry)."""
    path = find_scenario(name_or_path)
    spec = read_mapping(path, "scenario", "yaml")
    if not isinstance(spec, dict) or "changes" not in spec or not isinstance(spec["changes"], list):
        raise SpecError(f"{path.name}: needs a 'changes' list")
    corridors = spec.get("corridors") or CORRIDORS
    if not isinstance(corridors, (list, tuple, dict)):
        raise SpecError(f"{path.name}: corridors must be a list of {', '.join(CORRIDORS)}")
    corridors = tuple(str(c) for c in corridors)
    unknown = [c for c in corridors if c not in CORRIDORS]
    if unknown:
        raise SpecError(f"{path.name}: corridor {unknown[0]!r} is not one of {', '.join(CORRIDORS)}")
    for index, change in enumerate(spec["changes"]):
        _check_change(path.name, index, change)
    try:
        draws = limits.check_count("draws", spec.get("draws", 10_000), limits.CORRIDOR_DRAWS)
        seed = limits.check_count("seed", spec.get("seed", 0), limits.SEED, minimum=0)
    except MiddlepowerError as exc:
        raise SpecError(f"{path}: {exc}") from None
    return Scenario(str(spec.get("name", path.stem)), str(spec.get("description", "")),
                    str(spec.get("origin", "CN_XIAN")), str(spec.get("destination", "DE_DUISBURG")),
                    corridors, draws, seed, tuple(spec["changes"]))


def _check_change(file: str, index: int, change) -> None:
    where = f"{file}: change {index + 1}"
    if not isinstance(change, dict):
        raise SpecError(f"{where}: must be a mapping")
    targets = [key for key in ("edge", "node") if key in change]
    if len(targets) != 1:
        raise SpecError(f"{where}: give exactly one of 'edge' or 'node'")
    if not str(change.get("source", "")).strip():
        raise SpecError(f"{where} ({change[targets[0]]}): every change must name its source")
    allowed = EDGE_FIELDS if targets[0] == "edge" else NODE_FIELDS
    fields = change.get("set", {}) or {}
    if not isinstance(fields, dict) or (not fields and not change.get("close")):
        raise SpecError(f"{where} ({change[targets[0]]}): needs 'set' fields or 'close: true'")
    for name, value in fields.items():
        if name not in allowed:
            raise SpecError(
                f"{where} ({change[targets[0]]}): field {name!r} cannot be set (allowed: {', '.join(allowed)})"
            )
        if name.endswith("_unit"):
            if not isinstance(value, str):
                raise SpecError(f"{where} ({change[targets[0]]}): {name} must be text, got {value!r}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
            raise SpecError(f"{where} ({change[targets[0]]}): {name} must be a finite number >= 0, got {value!r}")


def apply_changes(net: Network, changes: tuple[dict, ...] | list[dict]) -> Network:
    """Return a new network with ``changes`` applied and re-validated (the input is untouched)."""
    nodes, edges = net.nodes.copy(), net.edges.copy()
    for index, change in enumerate(changes):
        is_edge = "edge" in change
        table, target = (edges, change["edge"]) if is_edge else (nodes, change["node"])
        if target not in table.index:
            raise SpecError(f"change {index + 1}: {'edge' if is_edge else 'node'} {target!r} is not in the network")
        fields = dict(change.get("set") or {})
        if change.get("close"):
            fields.setdefault("capacity_value" if is_edge else "node_capacity_value", 0)
            unit_field = "capacity_unit" if is_edge else "node_capacity_unit"
            if not str(table.at[target, unit_field] or "").strip():
                fields.setdefault(unit_field, "TEU/yr")
        source_of = EDGE_FIELDS if is_edge else NODE_FIELDS
        for name, value in fields.items():
            table.at[target, name] = value
            table.at[target, source_of[name]] = f"scenario: {change['source']}"
    try:
        return net.with_tables(nodes, edges)
    except DataError as exc:
        raise SpecError(f"scenario change makes the network invalid: {exc}") from None


def _state(net: Network, scenario: Scenario, via: str) -> dict:
    flow = max_flow(net, scenario.origin, scenario.destination, via)
    out = {"max_flow_teu_per_year": flow["max_flow_teu_per_year"], "bottleneck": flow["bottleneck"] or "none known",
           "bottleneck_names": flow["bottleneck_names"] or "none known"}
    try:
        chosen = route(net, scenario.origin, scenario.destination, via)
    except DataError as exc:
        nan = float("nan")
        return out | {"time_days": nan, "p05_days": nan, "p50_days": nan, "p95_days": nan, "interval_note": "",
                      "status": str(exc)}
    interval = time_interval(net, chosen, scenario.draws, scenario.seed)
    return out | {"time_days": chosen.summary()["time_days"],
                  **{key: interval[key] for key in ("p05_days", "p50_days", "p95_days", "interval_note")},
                  "status": "ok"}


def run_scenario(net: Network, scenario: Scenario, progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Return the before/after table: one row per corridor, ``<measure>_before``/``_after`` columns.

    Measures: time_days (typical: each leg's most likely time), p05_days/p50_days/p95_days (Monte
    Carlo, ``scenario.draws`` draws) and interval_note (why the typical time lies outside the
    interval, when it does), max_flow_teu_per_year, bottleneck (cut element ids) and
    bottleneck_names, and status ("ok" or why no route exists).
    """
    after_net = apply_changes(net, scenario.changes)
    rows = []
    for via in scenario.corridors:
        before, after = _state(net, scenario, via), _state(after_net, scenario, via)
        row = {"corridor": via}
        for key in before:
            row[f"{key}_before"], row[f"{key}_after"] = before[key], after[key]
        row["bottleneck_moved"] = before["bottleneck"] != after["bottleneck"]
        rows.append(row)
        if progress is not None:
            progress(via)
    return pd.DataFrame(rows)
