"""API routes of the freight corridor: network, route comparison, capacity, scenarios, transit roles.

Everything is computed by :mod:`middlepower.corridor` once per process and parameter set; the
scenario runs are cached per (scenario, draws), with draws bounded so a request cannot ask for an
unbounded Monte Carlo.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Path, Query, Request, Response

from middlepower.errors import DataError
from middlepower.web.data import dumps, records
from middlepower.web.responses import json_bytes

router = APIRouter(prefix="/corridor")

MAX_DRAWS = 5000
"""Upper bound of Monte Carlo draws a scenario request may ask for (the run stays well under a second)."""

CORRIDOR_SOURCE = "middlepower corridor data (each figure's source in its *_source field; docs/corridor.md)"


def _api():
    from middlepower.corridor import api

    return api


@lru_cache(maxsize=1)
def years() -> dict:
    """The years of the shipped corridor volumes, for ``/api/meta``: ``volume_years`` (ascending) and
    ``transit_year``, the last with a volume for every land corridor (the default of transit figures)."""
    return {"volume_years": _api().volume_years(), "transit_year": _api().transit_year()}


def _check_node(node: str) -> str:
    nodes = _api().network().nodes["id"]
    if node not in set(nodes):
        shown = node if len(node) <= 40 else node[:40] + "…"
        raise DataError(f"unknown corridor node {shown!r}; see /api/corridor/network")
    return node


@lru_cache(maxsize=1)
def _network_bytes() -> bytes:
    net = _api().network()
    nodes = net.nodes[["id", "name", "country_iso3", "lat", "lon", "map_lat", "map_lon", "kind",
                       "node_capacity_teu_per_year", "node_capacity_source", "dwell_low_h", "dwell_typical_h",
                       "dwell_high_h", "dwell_source", "coord_source"]]
    edges = net.edges[["edge_id", "from", "to", "corridor", "mode", "distance_km", "distance_source",
                       "moving_time_h", "time_source", "capacity_teu_per_year", "capacity_source",
                       "observed_flow_value", "observed_flow_unit", "observed_flow_source", "transit_iso3"]]
    return dumps({"source": CORRIDOR_SOURCE, "nodes": records(nodes), "edges": records(edges)})


@router.get("/network", summary="Nodes (with coordinates) and directed westbound edges, each with sources")
def network(request: Request) -> Response:
    return json_bytes(_network_bytes(), request)


@lru_cache(maxsize=64)
def _compare_bytes(origin: str, destination: str, draws: int) -> bytes:
    from middlepower.corridor.montecarlo import interval_notes

    frame = _api().compare(origin, destination, draws=draws)
    return dumps({"origin": origin, "destination": destination, "source": CORRIDOR_SOURCE, "rows": records(frame),
                  "notes": interval_notes(frame)})


@router.get("/compare", summary="One row per corridor: km, days (moving + dwell), published days and sources")
def compare(request: Request, origin: str = Query("CN_XIAN", max_length=64),
            destination: str = Query("DE_DUISBURG", max_length=64),
            draws: int = Query(0, ge=0, le=MAX_DRAWS, description="Monte Carlo draws for 5-95 % times")) -> Response:
    return json_bytes(_compare_bytes(_check_node(origin), _check_node(destination), draws), request)


@lru_cache(maxsize=1)
def _capacity_bytes() -> bytes:
    from middlepower.corridor.capacity import utilisation_notes

    api = _api()
    use = api.utilisation()
    return dumps({"source": CORRIDOR_SOURCE, "capacity": records(api.capacity()),
                  "utilisation": records(use), "notes": utilisation_notes(use)})


@router.get("/capacity", summary="Max flow (TEU/yr), binding minimum cut and utilisation per corridor")
def capacity(request: Request) -> Response:
    return json_bytes(_capacity_bytes(), request)


@lru_cache(maxsize=1)
def _scenario_names() -> tuple[str, ...]:
    from middlepower.corridor.scenario import data_dir

    return tuple(sorted(p.stem for p in (data_dir() / "scenarios").glob("*.yaml")))


@router.get("/scenarios", summary="The shipped scenarios: name, title, description")
def scenarios(request: Request) -> Response:
    api = _api()
    rows = []
    for name in _scenario_names():
        spec = api.load_scenario(name)
        rows.append({"name": name, "title": spec.name, "description": spec.description,
                     "changes": [dict(change) for change in spec.changes]})
    return json_bytes(dumps({"rows": rows}), request)


@lru_cache(maxsize=32)
def _scenario_bytes(name: str, draws: int) -> bytes:
    api = _api()
    spec = api.load_scenario(name, draws=draws)
    return dumps({"name": name, "title": spec.name, "draws": draws, "source": CORRIDOR_SOURCE,
                  "rows": records(api.run_scenario(spec))})


@router.get("/scenarios/{name}", summary="Before/after table of a shipped scenario (Monte Carlo 5-95 % times)")
def scenario(request: Request, name: str = Path(..., max_length=64),
             draws: int = Query(1000, ge=1, le=MAX_DRAWS)) -> Response:
    if name not in _scenario_names():
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise DataError(f"unknown scenario {shown!r}; expected one of {', '.join(_scenario_names())}")
    return json_bytes(_scenario_bytes(name, draws), request)


@lru_cache(maxsize=16)
def _transit_bytes(year: int) -> bytes:
    from middlepower.corridor.centrality import mixed_directions_note

    return dumps({"year": year, "source": CORRIDOR_SOURCE, "rows": records(_api().transit_centrality(year)),
                  "note": mixed_directions_note(year)})


@router.get("/transit", summary="Transit flow (TEU) and centrality (0-1) per country crossed by a corridor")
def transit(request: Request, year: int = Query(..., ge=1000, le=3000)) -> Response:
    return json_bytes(_transit_bytes(year), request)
