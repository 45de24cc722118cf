"""Gapminder Systema Globalis: SIPRI arms-export values (trend-indicator values) by country-year.

Only the one series the power model needs is registered. Gapminder lists a country-year only when
SIPRI recorded a transfer, so an absent row within the coverage means no recorded major-arms
export; :mod:`middlepower.panel.reach` reads it that way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.registry import Source, SourceFile, register, require_columns

GAPMINDER_REPO = "open-numbers/ddf--gapminder--systema_globalis"
GAPMINDER_COMMIT = "c63631abeb62af6db3910f68be7c2b443beca50b"
ARMS_EXPORTS_NAME = "ddf--datapoints--arms_exports_sipri_tiv--by--geo--time.csv"
ARMS_EXPORTS_PATH = f"datapoints/{ARMS_EXPORTS_NAME}"
"""Path in the mirror layout (``gapminder_systema_globalis/<this>``)."""
ARMS_EXPORTS_UPSTREAM = f"countries-etc-datapoints/{ARMS_EXPORTS_NAME}"
"""Path of the same file in the upstream repository at the pinned commit."""


def _arms_exports(paths: Mapping[str, Path]) -> pd.DataFrame:
    raw = pd.read_csv(paths[f"gapminder_systema_globalis/{ARMS_EXPORTS_PATH}"])
    require_columns(raw, ["geo", "time", "arms_exports_sipri_tiv"], "gapminder arms_exports_sipri_tiv")
    return pd.DataFrame({
        "iso3": raw["geo"].astype("string").str.upper(),
        "year": pd.to_numeric(raw["time"]).astype("Int64"),
        "arms_exports_tiv_usd": pd.to_numeric(raw["arms_exports_sipri_tiv"], errors="coerce"),
    })


register(
    Source(
        name="gapminder_arms_exports",
        title="SIPRI arms exports (trend-indicator values) via Gapminder Systema Globalis",
        producer="Stockholm International Peace Research Institute (SIPRI), compiled by Gapminder",
        files=(SourceFile(
            path=f"gapminder_systema_globalis/{ARMS_EXPORTS_PATH}",
            url=github_raw(GAPMINDER_REPO, GAPMINDER_COMMIT, ARMS_EXPORTS_UPSTREAM),
            sha256="dd2ac0290af50524784e70dc44c5c758fa512bdfe3fd35da197c0ca4b1237c3e",
        ),),
        licence="CC BY 4.0 (Gapminder); SIPRI Arms Transfers Database fair-use terms apply",
        citation=(
            "SIPRI Arms Transfers Database, trend-indicator values; compiled by Gapminder, Systema "
            f"Globalis, https://github.com/{GAPMINDER_REPO}, commit {GAPMINDER_COMMIT[:7]}."
        ),
        coverage="1960-2024; country-years with a recorded export only",
        homepage="https://www.sipri.org/databases/armstransfers",
        columns={
            "iso3": "ISO3 code (Gapminder's lower-case geo key, upper-cased)",
            "year": "calendar year",
            "arms_exports_tiv_usd": "major conventional arms exports, SIPRI trend-indicator value (constant 1990 US$)",
        },
        loader=_arms_exports,
        key=("iso3", "year"),
        notes="Absent country-years within 1960-2024 are years without a recorded export, not missing data.",
    )
)
