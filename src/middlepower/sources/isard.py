"""State-system tables from {isard} (Miller), commit 46944ad: the maintained COW/G-W crosswalk.

``cw_gw_panel`` is the state-year bridge between Correlates of War and Gleditsch-Ward codes that
:mod:`middlepower.codes` reads; ``cw_system`` is the COW v2016 membership list with isard's names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import as_int, github_raw, read_rda
from middlepower.sources.cow import PEACESCIENCER_CITATION, as_dates, with_spell
from middlepower.sources.registry import Source, SourceFile, register, require_columns

ISARD = "svmiller/isard"
ISARD_COMMIT = "46944ad97a5532cd8e3b33129463c8435a69846a"
ISARD_LICENCE = "GPL-2 (package); underlying data under the producer's terms, citation required"
ISARD_HOMEPAGE = "https://github.com/svmiller/isard"
STATE_LISTS_CITATION = (
    "Correlates of War Project. 2017. \"State System Membership List, v2016.\" Gleditsch, Kristian "
    "S. and Michael D. Ward. 1999. \"A Revised List of Independent States since the Congress of "
    "Vienna.\" International Interactions 25(4): 393-413. Miller, Steven V. isard (R package) "
    "v0.2.0. " + PEACESCIENCER_CITATION
)


def isard_source(
    name: str, file: str, sha256: str, reshape: Callable[[pd.DataFrame, str], pd.DataFrame], **fields
) -> Source:
    """Register and return a Source reading ``isard/<file>`` (pinned commit) through ``reshape``."""
    source_file = SourceFile(
        path=f"isard/{file}", url=github_raw(ISARD, ISARD_COMMIT, f"data/{file}"), sha256=sha256
    )

    def loader(paths: Mapping[str, Path]) -> pd.DataFrame:
        path = paths[source_file.path]
        return reshape(read_rda(path), str(path))

    fields.setdefault("licence", ISARD_LICENCE)
    fields.setdefault("homepage", ISARD_HOMEPAGE)
    fields.setdefault("citation", STATE_LISTS_CITATION)
    return register(Source(name=name, files=(source_file,), loader=loader, **fields))


def _panel(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["ccode", "gwcode", "stateabb", "year", "gw_name", "cw_name"], where)
    return as_int(raw, ["ccode", "gwcode", "year"]).sort_values(["year", "ccode", "gwcode"], kind="stable")


isard_source(
    "cw_gw_panel",
    "cw_gw_panel.rda",
    "155f5413b63d6199461cdbbe76d02a55c945b6572fa77aac892b932f839f8a0c",
    _panel,
    title="COW-keyed state-year crosswalk to Gleditsch-Ward codes (isard)",
    producer="Correlates of War Project; Kristian S. Gleditsch and Michael D. Ward",
    coverage=(
        "1816-2025; 17,916 rows: 17,706 COW state-years plus 210 G-W state-years without a COW "
        "counterpart (ccode NA); COW v2016 and G-W carried forward to 2025"
    ),
    columns={
        "ccode": "COW state code (NA on the 210 G-W state-years that COW does not list)",
        "gwcode": "Gleditsch-Ward state code in that year (NA where G-W has no matching state)",
        "stateabb": "COW three-letter state abbreviation",
        "year": "calendar year",
        "gw_name": "Gleditsch-Ward state name (NA where no G-W match)",
        "cw_name": "COW state name",
    },
    key=("year", "ccode", "gwcode"),
    notes=(
        "(ccode, year) is unique where ccode is present; gwcode is not unique per year (G-W 260 "
        "is both COW 255 Germany and an unmatched GFR row from 1991). Successor to "
        "peacesciencer's deprecated cow_gw_years. Years after 2016 (COW) and 2020 (G-W) assume "
        "no change in the state system. 17,706 rows are COW state-years; 210 more are G-W state-years "
        "with no COW counterpart and NA ccode (e.g. Haiti 1816-1858, Canada 1867-1920, and G-W's 260 "
        "'GFR' after 1990, when COW continues Germany as 255)."
    ),
)


def _system(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["ccode", "cw_abb", "cw_name", "start", "end"], where)
    out = as_int(raw, ["ccode"]).rename(columns={"cw_abb": "stateabb", "cw_name": "name"})
    return with_spell(out, as_dates(raw["start"]), as_dates(raw["end"]), ["ccode"])


isard_source(
    "cw_system",
    "cw_system.rda",
    "910b2db886f46c175cfcd826a1a6d8cdd2c149c33bc0909355bb1a21b57cf409",
    _system,
    title="COW state system membership spells (isard)",
    producer="Correlates of War Project; Kristian S. Gleditsch and Michael D. Ward",
    coverage="1816-01-01 to 2016-12-31; 243 spells",
    columns={
        "ccode": "COW state code",
        "stateabb": "COW three-letter state abbreviation",
        "name": "state name",
        "start_date": "first day of the membership spell (datetime64)",
        "end_date": "last day of the spell (datetime64); 2016-12-31 = member when COW v2016 ends",
    },
    key=("ccode", "start_date"),
    notes=("Codes, abbreviations and dates are identical to cow_states (checked in the tests), and so are the "
           "names in this release. 2016-12-31 marks the end of the list, not an exit."),
)
