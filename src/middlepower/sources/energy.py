"""Energy Institute Statistical Review of World Energy 2025 (data to 2024), via its DDF conversion.

Fossil-fuel production and proved reserves, one row per geo, year and measure. Geo keys are the
DDF's snake-case names (``kazakhstan``, ``total_cis``), not ISO codes; ``ei_geos`` names them and
flags the regional aggregates. The EI's terms allow use with attribution but not re-publishing, so
the files are download-only for the project.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.columns import Column
from middlepower.sources.registry import Source, SourceFile, register, require_columns

EI_REPO = "open-numbers/ddf--bp--energy"
EI_COMMIT = "ebe7a24be2aab59422c83add1bc74857b58fd217"
EI_DIR = "energy_institute_statistical_review/ddf"
EI_LICENCE = (
    "Energy Institute terms of use: free use with attribution; not redistributable by this project "
    "(the open-numbers DDF conversion states no licence of its own)"
)
EI_CITATION = (
    "Energy Institute (2025). Statistical Review of World Energy 2025 (with KPMG and Kearney). "
    "https://www.energyinst.org/statistical-review. DDF conversion by open-numbers/ddf--bp--energy, "
    f"commit {EI_COMMIT[:7]}."
)
EI_HOMEPAGE = "https://www.energyinst.org/statistical-review"

# Measure -> (unit, sha256 of its DDF datapoints file).
EI_MEASURES: dict[str, tuple[str, str]] = {
    "oil_production_barrels": (
        "thousand barrels per day",
        "a56804b54d70c1d9480efd25e3e2b4f3c9c0128fb2272d00f2afce01d5feb158",
    ),
    "gas_production_bcm": (
        "billion cubic metres",
        "034aefb308d6b2b7844262d41f1fa8840ffb29ec67eec211345ab4d91ffb33f0",
    ),
    "coal_production_mt": (
        "million tonnes",
        "f4e8e77e46b7bd94c3114a15c7685178b61b06fe0880faff12a229184aad7d6e",
    ),
    "oil_proved_reserves_history": (
        "thousand million barrels (end of year)",
        "15cc4391aa3513efd9e1e3eb3c14ad13d8e8f000baa1487a9b1790f9ead32df9",
    ),
    "gas_proved_reserves_history": (
        "trillion cubic metres (end of year)",
        "1093801a24f4aa6c755dc22c4f1300c0b098644043e46608e32fc94c2092e309",
    ),
}


def ddf_file(name: str, sha256: str) -> SourceFile:
    """Return the SourceFile of DDF file ``name`` at the pinned open-numbers commit."""
    return SourceFile(path=f"{EI_DIR}/{name}", url=github_raw(EI_REPO, EI_COMMIT, name), sha256=sha256)


def datapoints_name(measure: str) -> str:
    """Return the DDF file name holding ``measure`` by geo and year."""
    return f"ddf--datapoints--{measure}--by--geo--year.csv"


def load_ei_energy(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return EI production and reserves long: geo, year, measure, value, unit (unit per measure)."""
    frames = []
    for measure, (unit, _) in EI_MEASURES.items():
        path = paths[f"{EI_DIR}/{datapoints_name(measure)}"]
        raw = pd.read_csv(path, dtype={"geo": "string"})
        require_columns(raw, ["geo", "year", measure], str(path))
        frames.append(
            pd.DataFrame(
                {
                    "geo": raw["geo"],
                    "year": pd.to_numeric(raw["year"], errors="raise").astype("Int64"),
                    "measure": measure,
                    "value": pd.to_numeric(raw[measure], errors="raise"),
                    "unit": unit,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


register(
    Source(
        name="ei_energy",
        title="Energy Institute Statistical Review of World Energy 2025: fossil-fuel production and proved reserves",
        producer="Energy Institute",
        files=tuple(ddf_file(datapoints_name(m), sha) for m, (_, sha) in EI_MEASURES.items()),
        licence=EI_LICENCE,
        citation=EI_CITATION,
        coverage=(
            "oil production 1965-2024, gas production 1970-2024, coal production 1981-2024, "
            "proved reserves 1980-2020 (EI stopped updating reserves after end-2020); ~65-100 geos each"
        ),
        homepage=EI_HOMEPAGE,
        columns={
            "geo": "DDF geo key, snake-case English name (e.g. 'kazakhstan'); aggregates included, see ei_geos",
            "year": "calendar year (reserves: at end of year)",
            "measure": "one of " + ", ".join(EI_MEASURES),
            "value": "value in the row's unit",
            "unit": "oil production: thousand barrels/day; gas production: bcm; coal production: Mt; "
            "oil reserves: thousand million barrels; gas reserves: trillion m3",
        },
        loader=load_ei_energy,
        redistributable=False,
        key=("geo", "year", "measure"),
        panel=tuple(
            Column(name, EI_MEASURES[measure][0], description, upstream=measure)
            for name, measure, description in (
                ("oil_production_kbd", "oil_production_barrels", "oil production (crude, shale, oil sands, NGLs)"),
                ("gas_production_bcm", "gas_production_bcm", "natural gas production"),
                ("coal_production_mt", "coal_production_mt", "coal production"),
                (
                    "oil_reserves_bn_barrels",
                    "oil_proved_reserves_history",
                    "proved oil reserves at the end of the year",
                ),
                (
                    "gas_reserves_tcm",
                    "gas_proved_reserves_history",
                    "proved natural gas reserves at the end of the year",
                ),
            )
        ),
        pivot=("measure", "value"),
        notes=(
            "Regional totals (total_*, other_*, rest_of_*, europe, cis, ...) are rows like any geo: filter with "
            "ei_geos.is_aggregate. Key 'russia' holds what look like USSR totals (production 1965-1984, reserves "
            "to 1990) plus small gas-reserve values 1991-1996; Russia itself is 'russian_federation' (1985 on). "
            "Post-Soviet republics show 0 before 1985 (inside the USSR figure, not a true zero). 'burma' (tin only) "
            "and 'myanmar' are the same country. Oil production 1965-2024, gas 1970-2024, coal 1981-2024; proved "
            "reserves 1980-2020 (the EI stopped after end-2020)."
        ),
    )
)


# Geo keys that are regions or residuals rather than one country or territory.
EI_AGGREGATE_PATTERN = re.compile(r"^(total|other|rest_of)_")
EI_AGGREGATE_KEYS = frozenset(
    {
        "central_america",
        "eastern_africa",
        "middle_africa",
        "western_africa",
        "canada_mexico",
        "europe",
        "cis",
        "middle_east",
        "africa",
        "asia_pacific",
        "netherlands_antilles",
    }
)


def load_ei_geos(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return the EI geo keys with their names and an aggregate flag (True for regions/residuals)."""
    path = paths[f"{EI_DIR}/ddf--entities--geo.csv"]
    raw = pd.read_csv(path, dtype="string")
    require_columns(raw, ["geo", "name"], str(path))
    raw["is_aggregate"] = raw["geo"].str.match(EI_AGGREGATE_PATTERN) | raw["geo"].isin(EI_AGGREGATE_KEYS)
    raw["is_aggregate"] = raw["is_aggregate"].astype(bool)
    return raw


register(
    Source(
        name="ei_geos",
        title="Energy Institute Statistical Review 2025: geo keys of the DDF conversion",
        producer="Energy Institute",
        files=(ddf_file("ddf--entities--geo.csv", "13eccfb6fe88a3db642c7fb27ea274155912dd71d5b3196333ed64bbcad878c6"),),
        licence=EI_LICENCE,
        citation=EI_CITATION,
        coverage="151 geos: countries, territories and EI regional aggregates",
        homepage=EI_HOMEPAGE,
        columns={
            "geo": "DDF geo key (snake-case English name), the value of ei_energy.geo",
            "name": "EI name, e.g. 'Kazakhstan', 'Total CIS'",
            "is_aggregate": "True for a region or residual group (total_*, other_*, rest_of_*, europe, cis, "
            "netherlands_antilles, ...), False for one country or territory",
        },
        loader=load_ei_geos,
        redistributable=False,
        key=("geo",),
        notes="The is_aggregate flag is middlepower's reading of the keys, not the EI's.",
    )
)
