"""Maddison Project Database 2023: real GDP per capita and population, as in the R package {maddison}.

The power model reads it where the World Bank has nothing: Taiwan (no WDI series at all), and as
the related indicator from which missing market-rate GDP is imputed (North Korea, Yemen, Syria,
Cuba, Venezuela...). GDP per capita is in 2011 international dollars (PPP), so it is never used
directly as GDP at market exchange rates: see :mod:`middlepower.power.imputation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw, read_rda
from middlepower.sources.registry import Source, SourceFile, register, require_columns

MADDISON_PATH = "maddison_project/maddison.rda"
MADDISON_LAST_YEAR = 2022
"""Last year of the Maddison Project Database 2023."""


def _maddison(paths: Mapping[str, Path]) -> pd.DataFrame:
    raw = read_rda(paths[MADDISON_PATH])
    require_columns(raw, ["countrycode", "year", "gdppc", "pop"], MADDISON_PATH)
    out = pd.DataFrame({
        "iso3": raw["countrycode"].str.upper(),
        "year": pd.to_numeric(raw["year"], errors="raise").astype("Int64"),
        "gdppc_2011_intl_usd": pd.to_numeric(raw["gdppc"], errors="coerce"),
        "population": pd.to_numeric(raw["pop"], errors="coerce") * 1000.0,
    })
    # The package keeps a row for every country and year, most of them empty: keep rows with data.
    has_data = out["gdppc_2011_intl_usd"].notna() | out["population"].notna()
    return out[has_data & (out["year"] >= 1900)].sort_values(["iso3", "year"]).reset_index(drop=True)


register(
    Source(
        name="maddison",
        title="Maddison Project Database 2023 (GDP per capita, population)",
        producer="Maddison Project, Groningen Growth and Development Centre",
        files=(SourceFile(
            path=MADDISON_PATH,
            url=github_raw("expersso/maddison", "34eb66e1ef39941b101901f70bb8c274add02a37", "data/maddison.rda"),
            # The package's data file as committed (git blob 3915f00b, checked against the snapshot).
            sha256="50e9d1a0a652b7b885e71242bbe72ea25b67ab6c84799047e1d96acead9f930a",
        ),),
        licence="CC BY 4.0 (Maddison Project Database); CC0 (R package)",
        citation=(
            "Bolt, Jutta and Jan Luiten van Zanden. 2024. \"Maddison style estimates of the evolution of "
            "the world economy: A new 2023 update.\" Journal of Economic Surveys. Maddison Project "
            "Database, version 2023, doi:10.34894/INZBF2."
        ),
        coverage=(f"1900-{MADDISON_LAST_YEAR} (annual from 1950 for most states); 169 countries including Taiwan and "
                  "North Korea"),
        homepage="https://www.rug.nl/ggdc/historicaldevelopment/maddison/",
        columns={
            "iso3": "ISO3 code as the database gives it",
            "year": "calendar year",
            "gdppc_2011_intl_usd": "real GDP per capita, 2011 international dollars (PPP)",
            "population": "population, persons (the database gives thousands)",
        },
        loader=_maddison,
        key=("iso3", "year"),
        notes="Years before 1900 are left out (the model starts in 1990).",
    )
)
