"""Relations between states as shipped by {peacesciencer} (Miller 2022), commit fe150a2.

Direct contiguity (COW v3.2, directed), national trade totals (COW v4.0) and alliance
obligations (ATOP v5.1, directed dyad-years). Codes are COW ``ccode``; dyadic frames hold both
directions of every pair (``ccode1`` is the state the row describes).
"""

from __future__ import annotations

import pandas as pd

from middlepower.sources._readers import as_int
from middlepower.sources.cow import PEACESCIENCER_CITATION, as_dates, peacesciencer_source, with_spell
from middlepower.sources.registry import require_columns

ATOP_LAST_YEAR = 2018
"""Last year of ATOP v5.1's alliance dyad-years."""

CONTIGUITY_TYPES = {
    0: "not contiguous during this spell (before, between or after the dyad's contiguous spells)",
    1: "land or river border",
    2: "separated by 12 miles of water or less",
    3: "separated by 24 miles of water or less",
    4: "separated by 150 miles of water or less",
    5: "separated by 400 miles of water or less",
}


def _contiguity(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["ccode1", "ccode2", "conttype", "stdate", "enddate"], where)
    out = as_int(raw, ["ccode1", "ccode2", "conttype"])
    out = with_spell(out, as_dates(raw["stdate"]), as_dates(raw["enddate"]), ["ccode1", "ccode2"])
    out["start_year"] = out["start_date"].dt.year.astype("Int64")
    out["end_year"] = out["end_date"].dt.year.astype("Int64")
    return out


peacesciencer_source(
    "cow_contiguity",
    "cow_contdir.rda",
    "779062fb96238a7c55dbb3436a0925f67d8f0b5bd8e522731c0c3c55f492dd70",
    _contiguity,
    title="COW Direct Contiguity v3.2 (directed)",
    producer="Correlates of War Project",
    citation=(
        "Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl and Charles Gochman. 2002. "
        "\"The Correlates of War Project Direct Contiguity Data, Version 3.\" Conflict Management "
        "and Peace Science 19(2): 58-66. " + PEACESCIENCER_CITATION
    ),
    coverage="1816-2016; 1,874 directed dyad spells",
    homepage="https://correlatesofwar.org/data-sets/direct-contiguity/",
    columns={
        "ccode1": "COW code of the first state",
        "ccode2": "COW code of the second state",
        "conttype": "contiguity type: " + "; ".join(f"{k} = {v}" for k, v in CONTIGUITY_TYPES.items()),
        "start_year": "calendar year the spell begins",
        "end_year": "calendar year the spell ends; 2016 = ongoing when the data end",
        "start_date": "first month of the spell (datetime64, day always 1: month precision)",
        "end_date": "last month of the spell (datetime64, day always 1: month precision)",
    },
    key=("ccode1", "ccode2", "start_date"),
    notes=("Each dyad appears in both directions. Dates have month precision (day always 1). conttype 0 is "
           "not one of COW's five contiguity types: the directed file uses it for spells in which a pair that "
           "is contiguous at some other time was not (180 rows, e.g. USA-Russia 1816-1958, before Alaska "
           "became a state), so filter conttype > 0 for 'contiguous'. Data end in 2016. Kazakhstan has 7 rows: "
           "land borders with Russia, Kyrgyzstan, Uzbekistan, Turkmenistan and China, and Caspian contiguity "
           "with Azerbaijan (type 4) and Iran (type 5)."),
)

def _trade(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["ccode", "year", "imports", "exports"], where)
    return as_int(raw, ["ccode", "year"])


peacesciencer_source(
    "cow_trade",
    "cow_trade_sy.rda",
    "41ad9d312b6146aa9eaa70d8f5a16a0164b6e27ee4ebe86a928c2ea4de415142",
    _trade,
    title="COW National Trade v4.0 (state-year totals)",
    producer="Correlates of War Project",
    citation=(
        "Barbieri, Katherine and Omar M. G. Keshk. 2016. Correlates of War Project Trade Data Set "
        "Codebook, Version 4.0. Barbieri, Katherine, Omar M. G. Keshk and Brian Pollins. 2009. "
        "\"Trading Data: Evaluating our Assumptions and Coding Rules.\" Conflict Management and "
        "Peace Science 26(5): 471-491. " + PEACESCIENCER_CITATION
    ),
    coverage="1870-2014; 14,410 state-years (imports missing in 1,548, exports in 821)",
    homepage="https://correlatesofwar.org/data-sets/bilateral-trade/",
    columns={
        "ccode": "COW state code",
        "year": "calendar year",
        "imports": "total imports, millions of current US$ (NaN where unknown)",
        "exports": "total exports, millions of current US$ (NaN where unknown)",
    },
    key=("ccode", "year"),
    notes=("Values are in millions of current US dollars: not deflated, so compare across years only after "
           "deflating. Ends in 2014. Missing values are NaN (no -9 codes remain)."),
)

ATOP_OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")


def _atop(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    raw_names = [f"atop_{name}" for name in ATOP_OBLIGATIONS]
    require_columns(raw, ["ccode1", "ccode2", "year", *raw_names], where)
    out = raw.rename(columns=dict(zip(raw_names, ATOP_OBLIGATIONS, strict=True)))
    return as_int(out, ["ccode1", "ccode2", "year", *ATOP_OBLIGATIONS])


peacesciencer_source(
    "atop_alliances",
    "atop_alliance.rda",
    "1449ca0369aed33ccf3ac66e959d1d7429c981a3840981facc84fcb2c2bc0441",
    _atop,
    title="ATOP v5.1 alliance obligations (directed dyad-years)",
    producer="Alliance Treaty Obligations and Provisions (ATOP) project",
    citation=(
        "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. Long. 2002. "
        "\"Alliance Treaty Obligations and Provisions, 1815-1944.\" International Interactions 28: "
        "237-260. ATOP v5.1. " + PEACESCIENCER_CITATION
    ),
    coverage=f"1815-{ATOP_LAST_YEAR}; 273,296 directed dyad-years with at least one alliance in force",
    homepage="http://www.atopdata.org/",
    columns={
        "ccode1": "COW code of the first state",
        "ccode2": "COW code of the second state",
        "year": "calendar year",
        "defense": "1 if an alliance in force obliges active military defence, else 0",
        "offense": "1 if an alliance in force obliges offensive military support, else 0",
        "neutral": "1 if an alliance in force obliges neutrality, else 0",
        "nonagg": "1 if an alliance in force includes a non-aggression pledge, else 0",
        "consul": "1 if an alliance in force obliges consultation in a crisis, else 0",
    },
    key=("ccode1", "ccode2", "year"),
    notes=(
        "Only dyad-years with an alliance are listed: absent dyads have no ATOP alliance. 170 rows "
        "carry 0 in all five obligations; 126 rows fall in 1815, before the COW system starts. Treat "
        f"absent dyad-years as 0, not missing. Ends in {ATOP_LAST_YEAR}."
    ),
)
