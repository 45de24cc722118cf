"""Use of force: involvement in armed conflicts abroad (UCDP) and militarized disputes initiated (COW MID).

The measures of the model's "restraint in the use of force" component and of its validation. Both
count events in a ten-year window ending in the year, because force is used rarely and a single
year says little about a state's conduct.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column
from middlepower.sources.conflict import MID_LAST_YEAR, UCDP_LAST_YEAR
from middlepower.warehouse import open_store

FORCE_WINDOW_YEARS = 10
"""Window of the counts below: the year itself and the nine before it."""


UNRECOGNISED_SIDE_A: dict[int, tuple[int, int | None, str]] = {
    # UCDP conflict_id: (first year, last year or None if it lasts, why side B is the recognised government)
    230: (2015, None, "Yemen: the Houthis hold Sanaa from 2015; the Security Council recognises President "
                      "Hadi's government (resolution 2216, 14 April 2015), which asked the Gulf states and the "
                      "Arab League for military support on 24 March 2015 (S/2015/217)"),
    333: (1996, 2001, "Afghanistan: the Taliban hold Kabul in 1996-2001; the General Assembly leaves the seat "
                      "with the Islamic State of Afghanistan (the Credentials Committee defers the Taliban's claim "
                      "each year)"),
}
"""Conflict-years (revision 2.23) in which UCDP's side A, the government that holds the capital, is not the
government holding the state's UN seat, which is on side B (typed from the sources named; UCDP
ACD lists the Saudi-led coalition as side B secondary in 230 from 2015, and Iran in 333 in 2001)."""


def _rebel_side() -> str:
    """SQL for the side opposed to the recognised government of a UCDP row ``u``: ``'b'``, or ``'a'``
    in the conflict-years of :data:`UNRECOGNISED_SIDE_A`."""
    cases = " OR ".join(f"(u.conflict_id = {int(cid)} AND u.year >= {int(first)}"
                        + ("" if last is None else f" AND u.year <= {int(last)}") + ")"
                        for cid, (first, last, _) in UNRECOGNISED_SIDE_A.items())
    return f"(CASE WHEN {cases} THEN 'a' ELSE 'b' END)"


FORCE_AGAINST_A_STATE = f"""(u.type_of_conflict = 'interstate'
      OR (u.type_of_conflict IN ('intrastate', 'II') AND u.role = 'secondary' AND u.side = {_rebel_side()})
      OR (u.type_of_conflict = 'extrasystemic' AND u.role = 'primary'))"""
"""UCDP ACD participations that count as force used against another state (model revision 2.5,
docs/power.md): any party to an interstate conflict; a secondary party on the side opposed to the
government of an internal or internationalised conflict (side B; side A in the conflict-years of
:data:`UNRECOGNISED_SIDE_A`, revision 2.23), i.e. armed support for rebels; the primary party of an
extrasystemic conflict. A secondary party on the government's side supports it at its request (UN
missions in combat, coalitions, bilateral interventions alike): international law makes that
lawful, and the middle-power literature counts coalition and UN contributions as middle-power
conduct, so it does not count against restraint. The government is the one holding the state's UN
seat; a war over a territory inside recognised borders is the territorial state's internal conflict
(so Armenia's support of the Nagorno-Karabakh forces counts, Azerbaijan's offensives there do not)."""


@verb(derived=(
    Column("armed_conflicts_abroad_10y", "conflict-years in ten years",
           "conflict-years in the ten years to this one in which the state used force against another state: a "
           "party (primary or secondary, either side) to an interstate armed conflict, a secondary party on the "
           "side opposed to the government (the one holding the state's UN seat) in another state's internal conflict "
           "(armed support for rebels), or "
           "the primary party of an extrasystemic conflict; support on the government's side of another state's "
           "internal conflict (UN missions, coalitions, interventions at a government's request) and a government "
           f"fighting rebels at home do not count; 0 where none; NA after {UCDP_LAST_YEAR}",
           upstream="distinct (conflict_id, year) in the window", sources=("ucdp_acd", "cw_gw_panel")),
    Column("mid_force_initiations_10y", "disputes in ten years",
           "militarized interstate disputes begun in the ten years to this one in which the state was on the "
           f"initiating side and used force (side A, hostility level 4 or 5); 0 where none; NA after {MID_LAST_YEAR}",
           upstream="distinct dispnum with disponset, sidea1 and hostlev1 >= 4", sources=("cow_mid_dirdisps",)),
))
def add_use_of_force(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with the use-of-force counts added.

    UCDP codes states by Gleditsch-Ward number; they are matched to ISO3 through the year's COW-G-W
    crosswalk ({isard} ``cw_gw_panel``), so Germany (G-W 260) is found after 1990. Counts are 0, not
    NA, for states with no recorded event inside the sources' coverage; NA outside it.
    """
    window = FORCE_WINDOW_YEARS - 1
    with open_store(db) as store:
        counts = store.query(
            f"""
            WITH abroad AS (
                SELECT DISTINCT g.iso3, u.year, u.conflict_id
                FROM ucdp_acd u
                JOIN cw_gw_panel g ON g.gwcode = u.gwcode AND g.year = u.year
                WHERE g.iso3 IS NOT NULL
                  AND {FORCE_AGAINST_A_STATE}
            ),
            initiated AS (
                SELECT DISTINCT iso3_1 AS iso3, year, dispnum
                FROM cow_mid_dirdisps
                WHERE iso3_1 IS NOT NULL AND disponset = 1 AND sidea1 = 1 AND hostlev1 >= 4
            )
            SELECT s.iso3, s.year,
                   CASE WHEN s.year <= {UCDP_LAST_YEAR} THEN
                       (SELECT count(*) FROM abroad a WHERE a.iso3 = s.iso3
                        AND a.year BETWEEN s.year - {window} AND s.year) END AS armed_conflicts_abroad_10y,
                   CASE WHEN s.year <= {MID_LAST_YEAR} THEN
                       (SELECT count(*) FROM initiated i WHERE i.iso3 = s.iso3
                        AND i.year BETWEEN s.year - {window} AND s.year) END AS mid_force_initiations_10y
            FROM state_years s
            """
        )
    columns = ["armed_conflicts_abroad_10y", "mid_force_initiations_10y"]
    return join_columns(frame, counts.astype({c: "float64" for c in columns}), "add_use_of_force")
