"""Natural Earth 1:110m country polygons, the basemap for corridor maps.

File ``ne_110m_admin_0_countries.geojson`` from GitHub martynafford/natural-earth-geojson at commit
0b9a6ceb; the layer data are Natural Earth 4.0.0 (2017). Public domain ("Made with Natural Earth").
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.registry import Source, SourceFile, register

NE_REPO = "martynafford/natural-earth-geojson"
NE_COMMIT = "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e"

COUNTRIES_110M = SourceFile(
    path="natural_earth/ne_110m_admin_0_countries.geojson",
    url=github_raw(NE_REPO, NE_COMMIT, "110m/cultural/ne_110m_admin_0_countries.json"),
    sha256="a2faba6d84aeb04246240ee301c5e94a1a32b0e294a2c97094262fd0a6ae3c16",
)


def _rings(geometry: dict):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        yield polygon[0]  # exterior ring only: holes do not show at 1:110m on a corridor map


def _read_countries(paths) -> pd.DataFrame:
    with Path(paths[COUNTRIES_110M.path]).open(encoding="utf-8") as handle:
        collection = json.load(handle)
    rows = []
    for feature in collection["features"]:
        props = feature["properties"]
        iso3 = props.get("ADM0_A3") or props.get("ISO_A3")
        for ring_id, ring in enumerate(_rings(feature["geometry"])):
            for vertex, (lon, lat) in enumerate(ring):
                rows.append((iso3, props.get("NAME"), ring_id, vertex, lon, lat))
    return pd.DataFrame(rows, columns=["iso3", "name", "ring", "vertex", "lon", "lat"])


register(
    Source(
        name="natural_earth_countries_110m",
        title="Natural Earth admin-0 countries, 1:110m (v4.0.0)",
        producer="Natural Earth",
        files=(COUNTRIES_110M,),
        licence="Public domain (Natural Earth); repository CC0",
        citation="Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.",
        coverage="world, 177 countries",
        homepage="https://www.naturalearthdata.com/",
        columns={
            "iso3": "ADM0_A3 code of the country (Natural Earth's admin-0 code, ISO3 for most states)",
            "name": "country name",
            "ring": "index of the polygon's exterior ring within the country",
            "vertex": "vertex order within the ring",
            "lon": "longitude, decimal degrees WGS84",
            "lat": "latitude, decimal degrees WGS84",
        },
        loader=_read_countries,
        key=("iso3", "ring", "vertex"),
    )
)


# world-atlas 2.0.2 (Mike Bostock): Natural Earth 4.1.0 at 1:110m as TopoJSON, the web dashboard's
# basemap. Feature ids are ISO 3166-1 numeric codes as strings; the only property is ``name``.
WORLD_ATLAS_VERSION = "2.0.2"

WORLD_ATLAS_110M = SourceFile(
    path="world_atlas_topojson/countries-110m.json",
    url=f"https://cdn.jsdelivr.net/npm/world-atlas@{WORLD_ATLAS_VERSION}/countries-110m.json",
    sha256="2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8",
)


def _read_world_atlas(paths) -> pd.DataFrame:
    text = Path(paths[WORLD_ATLAS_110M.path]).read_text(encoding="utf-8")
    topology = json.loads(text)
    if "countries" not in topology.get("objects", {}):
        raise ValueError("expected a TopoJSON topology with a 'countries' object")
    # The dashboard serves the topology whole (its arcs are shared between countries), so the
    # store keeps the document as one row rather than one row per country.
    return pd.DataFrame({"layer": ["countries"], "topojson": [text]})


register(
    Source(
        name="world_atlas_countries_110m",
        title=f"world-atlas {WORLD_ATLAS_VERSION}: Natural Earth 4.1.0 countries at 1:110m (TopoJSON)",
        producer="Mike Bostock (world-atlas), from Natural Earth",
        files=(WORLD_ATLAS_110M,),
        licence="ISC (package); Natural Earth data in the public domain",
        citation=(f"Mike Bostock, world-atlas {WORLD_ATLAS_VERSION}, https://github.com/topojson/world-atlas; "
                  "made with Natural Earth (naturalearthdata.com)."),
        coverage="world, 177 countries and territories",
        homepage="https://github.com/topojson/world-atlas",
        columns={
            "layer": "TopoJSON object name ('countries')",
            "topojson": (
                "the world-atlas TopoJSON document as published (text); geometry ids are ISO 3166-1 "
                "numeric codes as strings, the only property is the country name"
            ),
        },
        loader=_read_world_atlas,
        key=("layer",),
    )
)

