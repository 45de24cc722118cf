"""Peace-process roles over ten years: the peace processes, year by year, in which a state was a third
party or the host.

The power model's diplomatic-roles and mediation measures. Counts are of distinct (PA-X peace
process, year) pairs (one source for the whole window, so the measure means the same in every year:
UCDP's agreements stop in 2021 and CWM's in 2011), read from the diplomacy layer's role and venue
tables, which name the agreement and the clause each row rests on (docs/diplomacy.md). A process
counts once a year however many documents PA-X records for it (model revision 2.21: the six texts
of one London Conference day, or the rounds of the 2023-24 Colombian talks, are one role a year,
not one per document). Hosting counts only talks on a conflict the host is not a party to.

A belligerent is not a third party (model revision 2.5): a role or a hosting is left out when, in
the agreement's year, UCDP/PRIO ACD records the state as a warring party (primary or secondary,
either side) in a conflict one of whose primary parties is a conflict country of the agreement
(PA-X's own conflict countries). PA-X's text names states that signed as mediators or guarantors
while their forces fought in the conflict (Russia in the Minsk agreements on Donbas); UCDP, a
source the text rules do not read, says who fought. Agreements after UCDP's last year are kept.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column

ROLE_WINDOW_YEARS = 10
"""Window of the counts: the year itself and the nine before it."""
PAX_YEARS = (1990, 2025)
"""PA-X v10's agreements: windows before 1999 are shorter than ten years (the data start in 1990)."""

_WHAT = f"distinct (PA-X peace process, year) pairs in the {ROLE_WINDOW_YEARS} years to this one"
_UNIT = "count of process-years"
_ERROR_OF = {
    "peace_roles_10y": ("both", "third parties and hosts pooled"),
    "peace_third_party_10y": ("third_parties", "third parties"),
    "peace_hosted_10y": ("hosts", "hosts"),
}
"""Each count: whose error it is drawn with (a key of :func:`middlepower.diplomacy.text_error.pax_error`), in words."""


@verb(
    derived=(
        Column(
            "peace_roles_10y",
            _UNIT,
            f"{_WHAT} in which the state was a third party (signatory, "
            "guarantor, witness, observer or mediator of an agreement of the process it is not a party to) or "
            "hosted the talks or signing of a conflict it is not a party to; a state UCDP records fighting in the "
            "conflict that year is a party, not a third party; 0 where none; NA outside "
            f"{PAX_YEARS[0]}-{PAX_YEARS[1]}",
            upstream="diplomacy.peace third-party roles and venues, less belligerents (UCDP ACD)",
            sources=("pax_agreements", "pax_agreement_countries", "ucdp_acd", "cw_gw_panel"),
        ),
        Column(
            "peace_third_party_10y",
            _UNIT,
            f"{_WHAT} in which the state was a third party (not fighting in the conflict that year, by UCDP ACD)",
            upstream="diplomacy.peace third-party roles, less belligerents (UCDP ACD)",
            sources=("pax_agreements", "pax_agreement_countries", "ucdp_acd", "cw_gw_panel"),
        ),
        Column(
            "peace_hosted_10y",
            _UNIT,
            f"{_WHAT} signed or negotiated on the state's territory for a conflict it is not a party to (nor "
            "fighting in that year, by UCDP ACD)",
            upstream="diplomacy.peace venues, less belligerents (UCDP ACD)",
            sources=("pax_agreements", "pax_agreement_countries", "ucdp_acd", "cw_gw_panel"),
        ),
        *(
            Column(
                f"{count}_sd",
                "log(1 + count)",
                f"measurement spread of {count}: the standard deviation of log(1 + the true count) that the text "
                f"rules' precision and recall on the hand-checked sample's PA-X rows ({rates}) imply for the observed "
                "count (diplomacy.text_error, revision 2.25); 0 where the count is 0",
                upstream="diplomacy.text_error on the rules' rows and data/diplomacy/peace_text_sample.csv",
                sources=("pax_agreements", "pax_agreement_countries", "ucdp_acd", "cw_gw_panel"),
            )
            for count, (_, rates) in _ERROR_OF.items()
        ),
    )
)
def add_peace_roles(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with ten-year counts of peace-process roles added (PA-X only), in
    process-years (see the module docstring)."""
    from middlepower.diplomacy import peace, text_error
    from middlepower.warehouse import open_store

    found_roles, found_hosts = peace.third_party_roles(db), peace.hosting(db)
    roles = found_roles.loc[found_roles["source"] == "pax", ["iso3", "year", "agreement"]].assign(kind="third")
    foreign = (found_hosts["source"] == "pax") & ~found_hosts["domestic"].astype(bool)
    hosts = found_hosts.loc[foreign, ["iso3", "year", "agreement"]]
    events = pd.concat([roles, hosts.assign(kind="host")], ignore_index=True).dropna(subset=["iso3"])
    events = events[~belligerent_roles(events, db)]
    with open_store(db) as store:
        processes = store.query("SELECT 'pax:' || CAST(agt_id AS VARCHAR) AS agreement, process_id FROM pax_agreements")
    events = events.merge(processes, on="agreement", how="left", validate="many_to_one")
    keys = frame[["iso3", "year"]].drop_duplicates().assign(year=lambda f: pd.to_numeric(f["year"]).astype(int))
    counts = keys.copy()
    for column, chosen in (
        ("peace_roles_10y", events),
        ("peace_third_party_10y", events[events["kind"] == "third"]),
        ("peace_hosted_10y", events[events["kind"] == "host"]),
    ):
        counts[column] = _window_counts(keys, chosen.drop_duplicates(["iso3", "process_id", "year"]))
    inside = counts["year"].between(*PAX_YEARS)
    error = text_error.pax_error(found_roles, found_hosts)
    for column, (kind, _) in _ERROR_OF.items():
        counts[column] = counts[column].where(inside)
        counts[f"{column}_sd"] = text_error.count_spread(counts[column].to_numpy(), error[kind])
    return join_columns(frame, counts, "add_peace_roles")


def belligerent_roles(events: pd.DataFrame, db: Path | str | None = None) -> np.ndarray:
    """Boolean per row of ``events`` (iso3, year, agreement ``pax:<id>``): the state fought that year in a
    conflict of one of the agreement's conflict countries (UCDP ACD; see the module docstring)."""
    from middlepower.diplomacy.peace import pax_conflict_countries
    from middlepower.warehouse import open_store

    countries = pax_conflict_countries(db)
    places = pd.DataFrame({"agreement": "pax:" + countries["agt_id"].astype(str), "place": countries["iso3"]})
    with open_store(db) as store:
        fought = store.query(
            """
            WITH parties AS (
                SELECT u.conflict_id, u.year, g.iso3, u.role
                FROM ucdp_acd u JOIN cw_gw_panel g ON g.gwcode = u.gwcode AND g.year = u.year
                WHERE g.iso3 IS NOT NULL
            )
            SELECT DISTINCT f.iso3, f.year, p.iso3 AS place
            FROM parties f JOIN parties p ON p.conflict_id = f.conflict_id AND p.year = f.year
            WHERE p.role = 'primary'
            """
        )
    rows = events[["iso3", "year", "agreement"]].reset_index(drop=True).reset_index()
    hits = rows.merge(places, on="agreement").merge(fought.astype({"year": "int64"}), on=["iso3", "year", "place"])
    out = np.zeros(len(events), dtype=bool)
    out[hits["index"].unique()] = True
    return out


def _window_counts(keys: pd.DataFrame, events: pd.DataFrame) -> np.ndarray:
    """For each (iso3, year) of ``keys``: events of that state in the window ending that year."""
    first = int(min(keys["year"].min(), events["year"].min() if len(events) else keys["year"].min()))
    years = np.arange(first, int(keys["year"].max()) + 1)
    table = events.groupby(["iso3", "year"]).size().unstack(fill_value=0)
    table = table.reindex(columns=years, fill_value=0)
    window = table.T.rolling(ROLE_WINDOW_YEARS, min_periods=1).sum().T.stack()
    found = window.reindex(pd.MultiIndex.from_arrays([keys["iso3"], keys["year"]]))
    return found.fillna(0).to_numpy(dtype=float)
