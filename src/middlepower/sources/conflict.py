"""Use of force: UCDP/PRIO Armed Conflict Dataset v25.1 and COW Militarized Interstate Disputes v5.0.

Both as shipped by {peacesciencer} (Miller 2022), commit fe150a2. ``ucdp_acd`` is reshaped to one
row per conflict, year and participating state (Gleditsch-Ward code, side and role), so that a
state's involvement in armed conflicts abroad can be counted; ``cow_mid_dirdisps`` keeps COW codes
(the warehouse adds ISO3). Panel verb: :func:`middlepower.panel.force.add_use_of_force`.
"""

from __future__ import annotations

import pandas as pd

from middlepower.sources._readers import as_int
from middlepower.sources.cow import PEACESCIENCER_CITATION, peacesciencer_source
from middlepower.sources.registry import require_columns

UCDP_LAST_YEAR = 2024
"""Last year of the UCDP/PRIO Armed Conflict Dataset v25.1."""
MID_LAST_YEAR = 2014
"""Last year of COW Militarized Interstate Disputes v5.0."""

UCDP_PARTIES = (("gwno_a", "a", "primary"), ("gwno_b", "b", "primary"),
                ("gwno_a_2nd", "a", "secondary"), ("gwno_b_2nd", "b", "secondary"))


def _ucdp_acd(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    require_columns(raw, ["conflict_id", "year", "type_of_conflict", "intensity_level",
                          *(column for column, _, _ in UCDP_PARTIES)], where)
    parts = []
    for column, side, role in UCDP_PARTIES:
        part = raw[["conflict_id", "year", "type_of_conflict", "intensity_level", column]].dropna(subset=[column])
        parts.append(part.rename(columns={column: "gwcode"}).assign(side=side, role=role))
    out = as_int(pd.concat(parts, ignore_index=True), ["conflict_id", "year", "gwcode", "intensity_level"])
    out["type_of_conflict"] = out["type_of_conflict"].astype("string")
    # peacesciencer expands multi-state sides into several rows; one row per state and role is enough
    out = out.drop_duplicates(["conflict_id", "year", "gwcode", "side", "role"])
    return out.sort_values(["year", "conflict_id", "gwcode"]).reset_index(drop=True)


peacesciencer_source(
    "ucdp_acd",
    "ucdp_acd.rda",
    "e040581fa00a27a21544c5cc8d012fb841d64f2bb99d1a483c6ae68c465e6bdc",
    _ucdp_acd,
    title="UCDP/PRIO Armed Conflict Dataset v25.1 (state participants by conflict-year)",
    producer="Uppsala Conflict Data Program (UCDP) and Peace Research Institute Oslo (PRIO)",
    citation=(
        "Gleditsch, Nils Petter, Peter Wallensteen, Mikael Eriksson, Margareta Sollenberg and Håvard "
        "Strand. 2002. \"Armed Conflict 1946-2001: A New Dataset.\" Journal of Peace Research 39(5): "
        "615-637; Davies, Shawn, Therése Pettersson, Margareta Sollenberg and Magnus Öberg. 2025. "
        "\"Organized violence 1989-2024.\" Journal of Peace Research 62(4). UCDP ACD v25.1. "
        + PEACESCIENCER_CITATION
    ),
    coverage=f"1946-{UCDP_LAST_YEAR}; conflicts with at least 25 battle-related deaths in a year",
    homepage="https://ucdp.uu.se/downloads/",
    columns={
        "conflict_id": "UCDP conflict identifier",
        "year": "calendar year of the conflict-year",
        "type_of_conflict": "extrasystemic, interstate, intrastate or II (internationalized intrastate)",
        "intensity_level": "1 = 25-999 battle-related deaths in the year, 2 = 1,000 or more",
        "gwcode": "Gleditsch-Ward code of a participating state",
        "side": "'a' (side A: a government) or 'b' (side B: a government in interstate conflicts, else rebels)",
        "role": "'primary' party or 'secondary' (a state fighting alongside a side with its own troops)",
    },
    key=("conflict_id", "year", "gwcode", "side", "role"),
    licence="CC BY 4.0 (UCDP); GPL-2 for the {peacesciencer} package",
    notes="Reshaped from one row per conflict-year (state codes in four columns) to one row per state party.",
)


def _mid_dirdisps(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    columns = ["dispnum", "ccode1", "ccode2", "year", "disponset", "sidea1", "hostlev1", "orig1"]
    require_columns(raw, columns, where)
    return as_int(raw[columns], columns)


peacesciencer_source(
    "cow_mid_dirdisps",
    "cow_mid_dirdisps.rda",
    "7b9fc5fd0785b423b7ddc8b9319fa30d4e2c8a005342b88c2b1d87b7a6e62a0e",
    _mid_dirdisps,
    title="COW Militarized Interstate Disputes v5.0, directed dispute-years",
    producer="Correlates of War Project",
    citation=(
        "Palmer, Glenn, Roseanne W. McManus, Vito D'Orazio, Michael R. Kenwick, Mikaela Karstens, "
        "Chase Bloch, Nick Dietrich, Kayla Kahn, Kellan Ritter and Michael J. Soules. 2022. "
        "\"The MID5 Dataset, 2011-2014.\" Conflict Management and Peace Science 39(4): 470-482. "
        + PEACESCIENCER_CITATION
    ),
    coverage=f"1816-{MID_LAST_YEAR}",
    homepage="https://correlatesofwar.org/data-sets/mids/",
    columns={
        "dispnum": "COW dispute number",
        "ccode1": "COW code of the first state of the directed dyad",
        "ccode2": "COW code of the second state",
        "year": "calendar year of the dispute-year",
        "disponset": "1 in the dispute's first year, else 0",
        "sidea1": "1 if the first state is on side A (the side that took the first militarized action)",
        "hostlev1": "highest hostility level of the first state: 1 none, 2 threat, 3 display, 4 use of force, 5 war",
        "orig1": "1 if the first state was involved from the dispute's outset",
    },
    key=("dispnum", "ccode1", "ccode2", "year"),
)
