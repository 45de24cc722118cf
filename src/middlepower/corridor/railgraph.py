"""Rail distances on the OpenStreetMap world railway graph (scgraph_data 2.0.0).

Used only where no published distance exists; results carry the basis ``estimate_scgraph``.
The graph is simplified and fragmented, so a point is snapped to the nearest node of the
component that also holds the other point when one exists (the ``all`` style of snapping).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from middlepower.errors import DataError
from middlepower.warehouse import open_store

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class RailGraph:
    """The railway graph as a sparse matrix plus a KD-tree over unit-sphere node positions."""

    lat: np.ndarray
    lon: np.ndarray
    matrix: object
    component: np.ndarray
    tree: cKDTree


def _unit_vectors(lat, lon) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def rail_graph(db=None) -> RailGraph:
    """Return the world railway graph of the store at ``db`` (default: the user's store), read once per build."""
    with open_store(db) as store:
        key = (str(store.path), str(store.build_info()["build_id"]))
        if key not in _GRAPHS:
            _GRAPHS.clear()  # one graph (~100 MB) at a time
            _GRAPHS[key] = _read_graph(store)
        return _GRAPHS[key]


_GRAPHS: dict[tuple[str, str], RailGraph] = {}


def _read_graph(store) -> RailGraph:
    nodes = store.query("SELECT node_id, lat, lon FROM scgraph_railway_nodes ORDER BY node_id")
    edges = store.query("SELECT u, v, length_km FROM scgraph_railway_edges")
    size = int(nodes["node_id"].max()) + 1
    lat = np.full(size, np.nan)
    lon = np.full(size, np.nan)
    lat[nodes["node_id"]] = nodes["lat"]
    lon[nodes["node_id"]] = nodes["lon"]
    matrix = coo_matrix((edges["length_km"], (edges["u"], edges["v"])), shape=(size, size)).tocsr()
    _, component = connected_components(matrix, directed=False)
    known = ~np.isnan(lat)
    points = np.zeros((size, 3))
    points[known] = _unit_vectors(lat[known], lon[known])
    points[~known] = 10.0  # far from every query point on the unit sphere
    return RailGraph(lat, lon, matrix, component, cKDTree(points))


def _nearest(graph: RailGraph, lat: float, lon: float, component: int | None, k: int = 64) -> int:
    _, index = graph.tree.query(_unit_vectors(np.array([lat]), np.array([lon]))[0], k=k)
    for candidate in np.atleast_1d(index):
        if component is None or graph.component[candidate] == component:
            return int(candidate)
    return -1


def rail_distance_km(origin: tuple[float, float], destination: tuple[float, float], db=None) -> float:
    """Return the shortest track distance in km between two (lat, lon) points.

    Both points snap to their nearest graph nodes in a shared connected component (the origin's
    nearest node decides the component). Raises DataError when the destination has no node of
    that component within its 64 nearest nodes (the graph is fragmented there).
    """
    graph = rail_graph(db)
    start = _nearest(graph, *origin, component=None)
    end = _nearest(graph, *destination, component=int(graph.component[start]))
    if end < 0:
        raise DataError(
            f"rail graph: no connected railway node near {destination} for origin {origin} "
            "(the OSM graph is fragmented there; use a published distance)"
        )
    distance = dijkstra(graph.matrix, directed=False, indices=start, limit=np.inf)[end]
    return float(distance)
