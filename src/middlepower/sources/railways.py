"""World railway graph from OpenStreetMap, as shipped in the PyPI wheel scgraph_data 2.0.0.

The upstream file is the wheel itself; its module ``scgraph_data/world_railways.py`` holds the
graph as Python literals (``graph``: one ``{neighbour: km}`` dict per node; ``nodes``: one
``[lat, lon]`` per node). middlepower turns it into two gzipped CSV tables in the cache: nodes
(``node_id, lat, lon``) and edges (``u, v, length_km``, each undirected edge once with ``u < v``,
self loops dropped). A mirror may hold those two tables instead (``../shared/data`` does).

The graph is simplified and fragmented (787 components; the Caucasus and Türkiye are cut off from
the China–Europe component), so the corridor model uses it only for rail distances where no
published figure exists, and labels such figures ``estimate_scgraph``.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import write_csv_gz
from middlepower.sources.registry import Derived, Source, SourceFile, register

SCGRAPH_HOMEPAGE = "https://pypi.org/project/scgraph-data/2.0.0/"
SCGRAPH_CITATION = (
    "Makowski, C. scgraph / scgraph_data 2.0.0 (world_railways), https://github.com/connor-makowski/scgraph_data. "
    "Railway data (c) OpenStreetMap contributors, ODbL."
)
SCGRAPH_LICENCE = "MIT (package); derived from OpenStreetMap, ODbL 1.0: cite (c) OpenStreetMap contributors"
SCGRAPH_NOTES = (
    "Read from scgraph_data/world_railways.py in the wheel scgraph_data-2.0.0 (2024-04): zero-length "
    "self loops dropped, each undirected edge kept once (u < v)."
)

WHEEL = SourceFile(
    path="scgraph_world_railways/scgraph_data-2.0.0-py3-none-any.whl",
    url=("https://files.pythonhosted.org/packages/50/dc/dcbe9bc753208d9296b7a548df92e4267150cf2754419648ec172118886d/"
         "scgraph_data-2.0.0-py3-none-any.whl"),
    sha256="a8df15f4d9b4cce945f195b27c9e239ac49ebfa81aa948afc882b28653725406",
)
MODULE = "scgraph_data/world_railways.py"


def _literal(wheel: Path, name: str) -> list:
    """Return the value of the line ``<name>=[...]`` of the wheel's module, parsed."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(MODULE).decode("utf-8")
    for line in text.splitlines():
        head, _, value = line.partition("=")
        if head == name:
            if name == "graph":
                # The adjacency dicts have integer keys; quoting them makes the literal JSON, which
                # parses in about a second (ast.literal_eval needs over ten).
                value = re.sub(r"(\d+):", r'"\1":', value)
            return json.loads(value)
    raise ValueError(f"{MODULE}: no line '{name}=[...]'")


def _make_nodes(inputs: Mapping[str, Path], out: Path) -> None:
    nodes = _literal(inputs[WHEEL.path], "nodes")
    frame = pd.DataFrame({"node_id": range(len(nodes)), "lat": [p[0] for p in nodes], "lon": [p[1] for p in nodes]})
    write_csv_gz(frame, out)


def _make_edges(inputs: Mapping[str, Path], out: Path) -> None:
    graph = _literal(inputs[WHEEL.path], "graph")
    u, v, km = [], [], []
    for node, neighbours in enumerate(graph):
        for other, length in neighbours.items():
            other = int(other)
            if node < other:  # each undirected edge once; self loops (node == other) dropped
                u.append(node)
                v.append(other)
                km.append(length)
    write_csv_gz(pd.DataFrame({"u": u, "v": v, "length_km": km}), out)


NODES_FILE = Derived(
    path="scgraph_world_railways/world_railways_nodes.csv.gz",
    inputs=(WHEEL,),
    make=_make_nodes,
    recipe=f"node coordinates of {MODULE} in the wheel, one row per node",
    mirror_sha256="ff30dec3248cd2448001d9da40b1535186efe68c6fd6f60b715b5f49043590f4",
)
EDGES_FILE = Derived(
    path="scgraph_world_railways/world_railways_edges.csv.gz",
    inputs=(WHEEL,),
    make=_make_edges,
    recipe=f"edges of {MODULE} in the wheel, once each (u < v), self loops dropped",
    mirror_sha256="3c031c9bb10e5f72e7d700fc0c714d6a512db83cc6c4a736ef423f3c771c1781",
)


def _read_nodes(paths) -> pd.DataFrame:
    return pd.read_csv(paths[NODES_FILE.path], dtype={"node_id": "int64", "lat": "float64", "lon": "float64"})


def _read_edges(paths) -> pd.DataFrame:
    return pd.read_csv(paths[EDGES_FILE.path], dtype={"u": "int64", "v": "int64", "length_km": "float64"})


def _railway_source(name: str, part: str, file: Derived, coverage: str, columns: dict, loader, key) -> Source:
    return register(Source(
        name=name, title=f"World railway graph {part} (OSM via scgraph_data 2.0.0)", files=(file,),
        producer="OpenStreetMap contributors, via Connor Makowski's scgraph_data",
        licence=SCGRAPH_LICENCE, citation=SCGRAPH_CITATION, coverage=coverage, homepage=SCGRAPH_HOMEPAGE,
        columns=columns, loader=loader, notes=SCGRAPH_NOTES, key=key,
    ))


_railway_source(
    "scgraph_railway_nodes", "nodes", NODES_FILE, "world, 274,974 nodes, OSM state of about 2024",
    {"node_id": "graph node id (integer, matches u/v of the edges)",
     "lat": "latitude, decimal degrees WGS84",
     "lon": "longitude, decimal degrees WGS84"},
    _read_nodes, ("node_id",),
)
_railway_source(
    "scgraph_railway_edges", "edges", EDGES_FILE, "world, 328,750 undirected edges, OSM state of about 2024",
    {"u": "node id of one end (u < v)",
     "v": "node id of the other end",
     "length_km": "track length between the two nodes, km (approximate)"},
    _read_edges, ("u", "v"),
)
