"""CEPII GeoDist bilateral distances and contiguity (Mayer and Zignago 2011).

Keys are CEPII's ISO3-like codes, with legacy codes kept as CEPII wrote them (:data:`CEPII_LEGACY_CODES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.registry import Source, SourceFile, register, require_columns

CEPII_DIST_PATH = "cepii_geodist/dist_cepii.csv"
CEPII_DIST_REPO = "sadigulcelik/APAM_Migration"
CEPII_DIST_COMMIT = "27b0059692ce682b395cbf3a0c638fa31e7d98b5"

# CEPII codes that are not today's ISO 3166-1 alpha-3 (this copy already uses ROU for Romania).
CEPII_LEGACY_CODES: dict[str, str] = {
    "ZAR": "COD (DR Congo)",
    "PAL": "PSE (Palestine)",
    "TMP": "TLS (Timor-Leste)",
    "YUG": "Serbia and Montenegro (no single ISO3 today; SRB is the usual successor)",
    "ANT": "Netherlands Antilles (dissolved 2010; CUW, SXM, BES today)",
}


def load_cepii_dist(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return one row per ordered dyad: iso_o, iso_d, contig (0/1), dist_km, distcap_km."""
    path = paths[CEPII_DIST_PATH]
    raw = pd.read_csv(path, encoding="utf-8-sig", dtype={"iso_o": "string", "iso_d": "string"})
    require_columns(raw, ["iso_o", "iso_d", "contig", "dist", "distcap"], str(path))
    return pd.DataFrame(
        {
            "iso_o": raw["iso_o"],
            "iso_d": raw["iso_d"],
            "contig": pd.to_numeric(raw["contig"], errors="raise").astype("Int64"),
            "dist_km": pd.to_numeric(raw["dist"], errors="raise"),
            "distcap_km": pd.to_numeric(raw["distcap"], errors="raise"),
        }
    )


register(
    Source(
        name="cepii_dist",
        title="CEPII GeoDist: bilateral distances and contiguity",
        producer="CEPII (Centre d'études prospectives et d'informations internationales)",
        files=(
            SourceFile(
                path=CEPII_DIST_PATH,
                # ../shared/data holds this file gzipped (dist_cepii.csv.gz).
                url=github_raw(CEPII_DIST_REPO, CEPII_DIST_COMMIT, "dist_cepii.csv"),
                sha256="d0d8cfff26199b55d31758eebbfe4264fff77e80bc1214cd828e7b46f76fd265",
            ),
        ),
        licence="CEPII: free for research with citation (check CEPII's current terms before publishing)",
        citation=(
            "Mayer, Thierry and Soledad Zignago. 2011. \"Notes on CEPII's distances measures: the GeoDist "
            "database.\" CEPII Working Paper 2011-25."
        ),
        coverage="224 x 224 = 50,176 ordered dyads (no years)",
        homepage="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6",
        columns={
            "iso_o": "origin country, CEPII code (ISO3 except the legacy codes ZAR, PAL, TMP, YUG, ANT)",
            "iso_d": "destination country, CEPII code",
            "contig": "1 if the two countries share a land border (the Caspian does not count), else 0",
            "dist_km": "great-circle distance between the most populous cities, km",
            "distcap_km": "great-circle distance between the capitals, km",
        },
        loader=load_cepii_dist,
        key=("iso_o", "iso_d"),
        notes=(
            "This public copy was edited slightly: Romania is ROU (CEPII's original is ROM). "
            "Legacy codes kept: ZAR = DR Congo, PAL = Palestine, TMP = Timor-Leste, YUG = "
            "Serbia and Montenegro, ANT = Netherlands Antilles."
        ),
    )
)
