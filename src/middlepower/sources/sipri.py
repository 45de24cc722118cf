"""SIPRI Military Expenditure Database, 2025 release (data 1949-2024): five measures, long form.

The workbook is SIPRI's own (fair use, non-commercial, at most 10 % reproduced): users download it
from SIPRI, the project never re-publishes it. Country names stay as SIPRI spells them;
:data:`SIPRI_NAMES_NEEDING_CARE` lists those a name matcher is likely to get wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.errors import SourceError
from middlepower.sources.columns import Column
from middlepower.sources.registry import Source, SourceFile, register

SIPRI_PATH = "sipri_milex/SIPRI-Milex-data-1949-2024_2.xlsx"

# Sheet -> output column (SIPRI already publishes shares as fractions).
SIPRI_SHEETS: dict[str, str] = {
    "Current US$": "milex_current_usd_m",
    "Constant (2023) US$": "milex_constant_2023_usd_m",
    "Share of GDP": "milex_share_gdp",
    "Per capita": "milex_per_capita_usd",
    "Share of Govt. spending": "milex_share_govt",
}

# SIPRI's markers: ". ." (printed "..." in the 2025 workbook) = data unavailable;
# "xxx" = the country did not exist or was not independent in (part of) that year.
UNAVAILABLE_MARKERS = frozenset({"...", ". .", ".."})
NOT_A_STATE_MARKER = "xxx"

# SIPRI spellings that differ from ISO/UN short names or denote states that no longer exist.
SIPRI_NAMES_NEEDING_CARE: dict[str, str] = {
    "Türkiye": "TUR",
    "Congo, DR": "COD",
    "Congo, Republic": "COG",
    "Korea, South": "KOR",
    "Korea, North": "PRK",
    "Kyrgyz Republic": "KGZ",
    "Gambia, The": "GMB",
    "Cote d'Ivoire": "CIV",
    "Cape Verde": "CPV",
    "Eswatini": "SWZ",
    "Timor Leste": "TLS",
    "Viet Nam": "VNM",
    "Laos": "LAO",
    "Brunei": "BRN",
    "Taiwan": "TWN",
    "Kosovo": "XKX (not ISO; WB code)",
    "Russia": "RUS",
    "United States of America": "USA",
    "USSR": "no ISO3 (COW 365 before 1992)",
    "Czechoslovakia": "no ISO3 (COW 315 before 1993)",
    "German Democratic Republic": "no ISO3 (COW 265, 1954-1990)",
    "Yugoslavia": "no ISO3 (COW 345)",
    "Yemen, North": "no ISO3 (COW 678, before 1990)",
    "European Union": "not a state: EU aggregate row",
}


def header_row(sheet: pd.DataFrame, where: str) -> int:
    """Return the index of the row whose first cell is 'Country' (SourceError if there is none)."""
    first = sheet.iloc[:, 0].astype("string").str.strip()
    hits = first.index[first == "Country"]
    if len(hits) == 0:
        raise SourceError(f"{where}: no header row whose first cell is 'Country'")
    return int(hits[0])


def read_sheet(workbook: pd.ExcelFile, sheet_name: str, value_column: str, where: str) -> pd.DataFrame:
    """Return one SIPRI sheet long: country, year, ``value_column`` (NA where SIPRI has no figure)."""
    # Only truly empty cells are NA: pandas' default NA strings ("n/a", "NA", "-") would hide surprises.
    raw = pd.read_excel(workbook, sheet_name=sheet_name, header=None, keep_default_na=False, na_values=[""])
    top = header_row(raw, f"{where} sheet {sheet_name!r}")
    header = raw.iloc[top]
    body = raw.iloc[top + 1 :]
    year_columns = [i for i, label in enumerate(header) if isinstance(label, (int, float)) and 1900 < label < 2100]
    values = body.iloc[:, year_columns]
    values.columns = [int(header.iloc[i]) for i in year_columns]
    countries = body.iloc[:, 0].astype("string").str.strip()
    # Region and subregion headers (and blank lines) are rows with no cell filled in any year.
    keep = values.notna().any(axis=1) & countries.notna()
    values = values[keep]
    values.index = countries[keep]
    long = values.stack(future_stack=True).rename("raw").reset_index()
    long.columns = ["country", "year", "raw"]
    text = long["raw"].map(lambda cell: cell.strip() if isinstance(cell, str) else None)
    known = text.isna() | text.isin(UNAVAILABLE_MARKERS) | (text == NOT_A_STATE_MARKER)
    if not known.all():
        odd = long[~known].iloc[0]
        raise SourceError(
            f"{where} sheet {sheet_name!r}: unexpected cell {odd['raw']!r} for {odd['country']} {odd['year']} "
            f"(expected a number, '. .' or 'xxx')"
        )
    long[value_column] = pd.to_numeric(long["raw"].where(text.isna()), errors="coerce").astype("Float64")
    return long[["country", "year", value_column]]


def load_sipri(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return SIPRI military expenditure long: one row per country and year, five measures.

    Money in millions of US$ (current, or constant 2023); shares as fractions (0.00428, not 0.428 %);
    per capita in current US$. NA where SIPRI prints ". ." (unavailable) or "xxx" (no such state).
    """
    path = paths[SIPRI_PATH]
    with pd.ExcelFile(path) as workbook:
        missing = [sheet for sheet in SIPRI_SHEETS if sheet not in workbook.sheet_names]
        if missing:
            raise SourceError(f"{path}: no sheet {missing[0]!r} (has {', '.join(workbook.sheet_names)})")
        frames = [read_sheet(workbook, sheet, column, str(path)) for sheet, column in SIPRI_SHEETS.items()]
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.merge(frame, on=["country", "year"], how="outer")
    merged["year"] = merged["year"].astype("Int64")
    return merged.sort_values(["country", "year"])


register(
    Source(
        name="sipri_milex",
        title="SIPRI Military Expenditure Database 2025 (1949-2024)",
        producer="Stockholm International Peace Research Institute (SIPRI)",
        files=(
            SourceFile(
                path=SIPRI_PATH,
                url="https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2024_2.xlsx",
                sha256="9362c97ad1e36e3a577139d309d37de331ecb5849824167578c60692f789ffc4",
            ),
        ),
        licence=(
            "SIPRI fair use: free for non-commercial use with citation, at most 10 % of the database "
            "(3,500 data units) reproduced; otherwise SIPRI's permission. Not redistributable."
        ),
        citation=(
            "SIPRI Military Expenditure Database 2025, Stockholm International Peace Research "
            "Institute, https://www.sipri.org/databases/milex"
        ),
        coverage=(
            "1949-2024 (per capita and share of government spending from 1988); 173 "
            "countries plus the European Union row"
        ),
        homepage="https://www.sipri.org/databases/milex",
        columns={
            "country": (
                "country name as SIPRI spells it (e.g. 'Türkiye', 'Congo, DR', 'Korea, "
                "South'); see SIPRI_NAMES_NEEDING_CARE"
            ),
            "year": "calendar year",
            "milex_current_usd_m": "military expenditure, millions of current US$ at the year's exchange rate",
            "milex_constant_2023_usd_m": "military expenditure, millions of constant 2023 US$",
            "milex_share_gdp": "military expenditure as a fraction of GDP (0.00428 = 0.428 %)",
            "milex_per_capita_usd": "military expenditure per person, current US$",
            "milex_share_govt": "military expenditure as a fraction of general government expenditure",
        },
        loader=load_sipri,
        redistributable=False,
        key=("country", "year"),
        panel=(
            Column("sipri_milex_current_usd_m", "millions of current US$", upstream="milex_current_usd_m"),
            Column("sipri_milex_constant_2023_usd_m", "millions of constant 2023 US$",
                   upstream="milex_constant_2023_usd_m"),
            Column("sipri_milex_share_gdp", "fraction of GDP, 0-1", upstream="milex_share_gdp"),
        ),
        notes=(
            "'. .' (data unavailable) and 'xxx' (country did not exist or was not independent) both become NA. "
            "SIPRI's blue (estimate) and red (highly uncertain) fonts are not read. Region header rows are dropped. "
            "Zeros are kept as published: some are real (Costa Rica, Iceland, Panama), some look like artefacts "
            "(Kazakhstan 1993: 0 in current US$ but 506.7 m in constant 2023 US$); the power model reads them "
            "by SIPRI's footnotes (docs/power-protocol.md, revision 2.8), and gives 0 to fourteen states SIPRI "
            "does not list "
            "whose CIA World Factbook entry names no military force (revision 2.12). USSR and Russia both have "
            "figures for 1987-1990 (the panel keeps the larger). 173 countries plus a 'European Union' row, "
            "which is not a state; names a matcher may get wrong are in SIPRI_NAMES_NEEDING_CARE."
        ),
    )
)
