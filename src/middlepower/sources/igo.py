"""Intergovernmental organisations: COW IGO v3 (Pevehouse et al. 2020).

Three views of one dataset: state-year membership counts as shipped by {peacesciencer}
(``cow_igo_sy``), and, from the {igoR} package's copy of the COW tables, every membership of a
state in an organisation (``cow_igo_membership``, long form) and the organisations themselves
(``cow_igos``). Organisations are named by COW's short code in lower case (``"cis"``, ``"un"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from middlepower.sources._readers import as_int, github_raw, read_rda
from middlepower.sources.columns import Column
from middlepower.sources.cow import PEACESCIENCER_CITATION, peacesciencer_source
from middlepower.sources.registry import Source, SourceFile, register, require_columns

IGO_CITATION = (
    "Pevehouse, Jon C. W., Timothy Nordstrom, Roseanne W. McManus and Anne Spencer Jamison. 2020. "
    "\"Tracking Organizations in the World: The Correlates of War IGO Version 3.0 Datasets.\" "
    "Journal of Peace Research 57(3): 492-503. Wallace, Michael and J. David Singer. 1970. "
    "\"Intergovernmental Organization in the Global System, 1815-1964.\" International "
    "Organization 24: 239-287."
)
IGO_HOMEPAGE = "https://correlatesofwar.org/data-sets/igos/"
IGO_COVERAGE = "1816-2014: every 5 years to 1965, then annual; 534 organisations, 217 states"
IGOR = "dieghernan/igoR"
IGOR_COMMIT = "c9936cac3f0fc117520e89f9a232e62dde1ce3e9"
IGOR_CITATION = IGO_CITATION + " Hernangómez, Diego. igoR (R package) v1.0.3."
IGOR_LICENCE = "GPL (>= 3) (package); data extracted from the COW IGO v3 release, citation required"

STATUS_CODES = {1: "full", 2: "associate", 3: "observer"}
"""Membership cell codes kept in the long form; 0 = not a member, -9 = missing, -1 = state not in
the system or organisation not in existence are dropped."""


def _igo_sy(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    counts = {"sum_igo_full": "igo_full", "sum_igo_associate": "igo_associate"}
    counts |= {"sum_igo_observer": "igo_observer", "sum_igo_anytype": "igo_any"}
    require_columns(raw, ["ccode", "year", *counts], where)
    return as_int(raw.rename(columns=counts), ["ccode", "year", *counts.values()])


peacesciencer_source(
    "cow_igo_sy",
    "cow_igo_sy.rda",
    "0102eb9d48f34791ddb1a17aa0b312df23117ebafb3d707cee03ab64463e3bc7",
    _igo_sy,
    title="COW IGO v3 membership counts by state-year",
    producer="Correlates of War Project",
    citation=IGO_CITATION + " " + PEACESCIENCER_CITATION,
    coverage=IGO_COVERAGE + "; 15,557 state-years",
    homepage=IGO_HOMEPAGE,
    columns={
        "ccode": "COW state code",
        "year": "calendar year",
        "igo_full": "number of organisations the state is a full member of",
        "igo_associate": "number of organisations the state is an associate member of",
        "igo_observer": "number of organisations the state is an observer in",
        "igo_any": "number of organisations the state belongs to in any of the three ways",
    },
    key=("ccode", "year"),
    panel=tuple(Column(name, "count of organisations", upstream=name)
                for name in ("igo_full", "igo_associate", "igo_observer", "igo_any")),
    notes=("Years are every fifth year to 1965, then annual, ending in 2014, so the Organization of Turkic "
           "States and Kazakhstan's WTO membership (2015) are not covered. Kazakhstan 2014: 55 full, 0 "
           "associate, 1 observer, 56 of any type. The counts equal those computed from cow_igo_membership "
           "in every state-year (tested)."),
)


def igor_file(name: str, sha256: str) -> SourceFile:
    """Return the SourceFile for ``cow_igo_v3_igoR/<name>`` (igoR ``data/`` at the pinned commit)."""
    return SourceFile(
        path=f"cow_igo_v3_igoR/{name}", url=github_raw(IGOR, IGOR_COMMIT, f"data/{name}"), sha256=sha256
    )


STATE_YEAR = igor_file(
    "state_year_format3.rda", "dc39e159f7153c71cf3168e0733da0d079fead8ccf5df20fe4dde019544d7e7e"
)
IGO_YEAR = igor_file(
    "igo_year_format3.rda", "7fb22534081f6383dca740c7f7ae26ce587125d98fcc1b6fdcfa96eac34a9113"
)


def _memberships(paths: Mapping[str, Path]) -> pd.DataFrame:
    path = paths[STATE_YEAR.path]
    raw = read_rda(path)
    require_columns(raw, ["ccode", "year", "state"], str(path))
    igos = [column for column in raw.columns if column not in ("ccode", "year", "state")]
    cells = raw[igos].to_numpy(dtype="float64")
    rows, cols = np.nonzero(np.isin(cells, list(STATUS_CODES)))  # row-major: state-year, then igo
    status = pd.Series(cells[rows, cols]).map(STATUS_CODES).astype("str")
    out = pd.DataFrame(
        {
            "ccode": raw["ccode"].to_numpy()[rows],
            "year": raw["year"].to_numpy()[rows],
            "igo": pd.Series(np.asarray(igos, dtype=object)[cols], dtype="str"),
            "status": status,
        }
    )
    return as_int(out, ["ccode", "year"])


register(
    Source(
        name="cow_igo_membership",
        title="COW IGO v3 memberships (state, organisation, year)",
        producer="Correlates of War Project",
        files=(STATE_YEAR,),
        licence=IGOR_LICENCE,
        citation=IGOR_CITATION,
        coverage=IGO_COVERAGE + "; about 539,000 membership rows",
        homepage=IGO_HOMEPAGE,
        columns={
            "ccode": "COW state code",
            "year": "calendar year",
            "igo": "organisation short code, lower case (joins cow_igos.igo)",
            "status": "membership status: 'full', 'associate' or 'observer'",
        },
        loader=_memberships,
        key=("ccode", "year", "igo"),
        notes=(
            "Only member rows are kept (COW codes 1, 2, 3). Dropped: 0 = not a member, -9 = "
            "membership unknown, -1 = state not in the system or organisation not in existence. A "
            "state-year with no row has no membership (or unknown status); cow_igo_sy has every "
            "state-year. Ends in 2014."
        ),
    )
)

FLAGS = ("political", "social", "economic")


def _igos(paths: Mapping[str, Path]) -> pd.DataFrame:
    path = paths[IGO_YEAR.path]
    raw = read_rda(path)
    kept = ["ioname", "orgname", "longorgname", "ionum", "sdate", "deaddate"]
    require_columns(raw, [*kept, *FLAGS], str(path))
    # Names and flags are per organisation but repeated per year; the last year carries the
    # latest long name, and "first" skips the one year (Pacific Cable Board 1920) with empty flags.
    by_igo = raw.sort_values("year").groupby("ioname", sort=True)
    out = by_igo[["orgname", "longorgname", "ionum", "sdate", "deaddate"]].last()
    out[list(FLAGS)] = by_igo[list(FLAGS)].first()
    names = {"orgname": "name", "longorgname": "long_name", "sdate": "founded_year", "deaddate": "dead_year"}
    out = out.reset_index().rename(columns=names)
    out["igo"] = out["ioname"].str.lower()
    return as_int(out, ["ionum", "founded_year", "dead_year", *FLAGS]).sort_values("igo")


register(
    Source(
        name="cow_igos",
        title="COW IGO v3 organisations",
        producer="Correlates of War Project",
        files=(IGO_YEAR,),
        licence=IGOR_LICENCE,
        citation=IGOR_CITATION,
        coverage=IGO_COVERAGE,
        homepage=IGO_HOMEPAGE,
        columns={
            "igo": "organisation short code, lower case (joins cow_igo_membership.igo)",
            "ionum": "COW numeric organisation identifier",
            "name": "organisation name",
            "long_name": "full organisation name, often with its acronym",
            "founded_year": "calendar year the organisation was founded",
            "dead_year": "calendar year the organisation ceased to exist (NA if still alive in 2014)",
            "political": "1 if COW classes the organisation's mandate as political, else 0",
            "social": "1 if COW classes the mandate as social, else 0",
            "economic": "1 if COW classes the mandate as economic, else 0",
        },
        loader=_igos,
        key=("igo",),
        notes=("In v3 exactly one of the three mandate flags is 1 for every organisation. igo is COW's short "
               "code in lower case and joins cow_igo_membership.igo. The upstream year rows repeat these "
               "attributes: long_name is taken from the last year (three organisations change long names), and "
               "the flags skip one empty year (Pacific Cable Board, 1920)."),
    )
)
