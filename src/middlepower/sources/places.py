"""Natural Earth populated places (1:50m, simple): the gazetteer behind the venue rules of peace agreements.

1,249 cities and towns with their country. The diplomacy layer matches agreement titles and texts
("... in Astana", "Tehran Declaration", "signed in Kuala Lumpur") against these names to find where
talks were held. The country is kept as Natural Earth's name (``adm0name``) and mapped to ISO3 by
the warehouse through :func:`middlepower.codes.names_to_iso3`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw_content
from middlepower.sources.registry import Source, SourceFile, register

PLACES_FILE = SourceFile(
    path="natural_earth/ne_50m_populated_places_simple.geojson",
    url=github_raw_content("martynafford/natural-earth-geojson", "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e",
                           "50m/cultural/ne_50m_populated_places_simple.json"),
    # The bytes the URL serves (checked against the repository at that commit); ../shared/data
    # holds them gzipped (.geojson.gz), which the registry accepts.
    sha256="fdcae83611519d6b8137f8769a399d9ea97a9ce817642ae2689626ef7cc961ff",
)

FIELDS = ("name", "nameascii", "namealt", "adm0name", "featurecla", "adm0cap", "pop_max", "latitude", "longitude")


def _load(paths: Mapping[str, Path]) -> pd.DataFrame:
    with Path(paths[PLACES_FILE.path]).open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    rows = [{key: feature["properties"].get(key) for key in FIELDS} for feature in features]
    frame = pd.DataFrame(rows)
    return pd.DataFrame({
        "name": frame["name"].astype("string"),
        "name_ascii": frame["nameascii"].astype("string"),
        "name_alt": frame["namealt"].astype("string"),
        "country": frame["adm0name"].astype("string"),
        "feature": frame["featurecla"].astype("string"),
        "capital": frame["adm0cap"].fillna(0).astype(float) > 0,
        "population": pd.to_numeric(frame["pop_max"]).astype("Int64"),
        "lat": frame["latitude"].astype(float),
        "lon": frame["longitude"].astype(float),
    })


register(
    Source(
        name="natural_earth_places",
        title="Natural Earth populated places, 1:50m (simple)",
        producer="Natural Earth",
        files=(PLACES_FILE,),
        licence="Public domain (Natural Earth); the GeoJSON repository is CC0",
        citation="Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (v4.0.0 layers).",
        coverage="1,249 places with their country (Natural Earth 4.0.0, 2017 names: Astana, not Nur-Sultan)",
        homepage="https://www.naturalearthdata.com/",
        columns={
            "name": "place name",
            "name_ascii": "place name in ASCII",
            "name_alt": "alternative name, where given",
            "country": "Natural Earth's country name (adm0name)",
            "feature": "feature class (Admin-0 capital, Admin-1 capital, Populated place, ...)",
            "capital": "True for a national capital",
            "population": "largest population estimate (persons)",
            "lat": "latitude (degrees)",
            "lon": "longitude (degrees)",
        },
        loader=_load,
        key=("name", "country"),
        notes="../shared/data holds the upstream JSON gzipped (accepted: verified after decompression).",
    )
)
