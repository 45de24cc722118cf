"""World railway graph from OpenStreetMap, as shipped in the PyPI wheel scgraph_data 2.0.0.

The mirror holds a conversion of ``scgraph_data/world_railways.py`` (an adjacency list plus node
coordinates) into two gzipped CSVs: zero-length self loops dropped, each undirected edge kept once
(``u < v``). The graph is simplified and fragmented (787 components; the Caucasus and Türkiye are
cut off from the China–Europe component), so the corridor model uses it only for rail distances
where no published figure exists, and labels such figures ``estimate_scgraph``.
"""

from __future__ import annotations

import pandas as pd

from middlepower.sources.registry import Source, SourceFile, register

SCGRAPH_HOMEPAGE = "https://pypi.org/project/scgraph-data/2.0.0/"
SCGRAPH_CITATION = (
    "Makowski, C. scgraph / scgraph_data 2.0.0 (world_railways), https://github.com/connor-makowski/scgraph_data. "
    "Railway data (c) OpenStreetMap contributors, ODbL."
)
SCGRAPH_LICENCE = "MIT (package); derived from OpenStreetMap, ODbL 1.0: cite (c) OpenStreetMap contributors"
SCGRAPH_NOTES = (
    "Converted (not byte-copied) from scgraph_data/world_railways.py in the wheel scgraph_data-2.0.0 (2024-04); "
    "the checksum is that of the converted CSV in the mirror, so a download from the wheel URL cannot "
    "satisfy it: obtain the converted files from a project mirror."
)

NODES_FILE = SourceFile(
    path="scgraph_world_railways/world_railways_nodes.csv.gz",
    url=SCGRAPH_HOMEPAGE + "#files",
    sha256="ff30dec3248cd2448001d9da40b1535186efe68c6fd6f60b715b5f49043590f4",
)
EDGES_FILE = SourceFile(
    path="scgraph_world_railways/world_railways_edges.csv.gz",
    url=SCGRAPH_HOMEPAGE + "#files",
    sha256="3c031c9bb10e5f72e7d700fc0c714d6a512db83cc6c4a736ef423f3c771c1781",
)


def _read_nodes(paths) -> pd.DataFrame:
    frame = pd.read_csv(paths[NODES_FILE.path], dtype={"node_id": "int64", "lat": "float64", "lon": "float64"})
    return frame


def _read_edges(paths) -> pd.DataFrame:
    return pd.read_csv(paths[EDGES_FILE.path], dtype={"u": "int64", "v": "int64", "length_km": "float64"})


def _railway_source(name: str, part: str, file: SourceFile, coverage: str, columns: dict, loader, key) -> Source:
    return register(Source(
        name=name, title=f"World railway graph {part} (OSM via scgraph_data 2.0.0)", files=(file,),
        licence=SCGRAPH_LICENCE, citation=SCGRAPH_CITATION, coverage=coverage, homepage=SCGRAPH_HOMEPAGE,
        columns=columns, loader=loader, table=False, notes=SCGRAPH_NOTES, key=key,
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
