"""Natural Earth 1:110m country polygons, the basemap for corridor maps.

File ``ne_110m_admin_0_countries.geojson`` from GitHub martynafford/natural-earth-geojson at commit
0b9a6ceb; the layer data are Natural Earth 4.0.0 (2017). Public domain ("Made with Natural Earth").
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.registry import Source, SourceFile, register, resolve

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
        table=False,
        key=("iso3", "ring", "vertex"),
    )
)


def countries_110m_path() -> Path:
    """Return the verified local path of the 1:110m countries GeoJSON (for map drawing)."""
    return resolve(COUNTRIES_110M)
