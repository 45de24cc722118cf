"""Panel verbs for diplomatic conduct: Security Council activity, third-party peacemaking, hosting, peacekeeping.

Each takes a country-year frame (``iso3``, ``year``) and returns it with the columns of its
``*_COLUMNS`` dict added, never dropping or reordering rows. Within a source's years a state with
no record gets 0 (it cast no Council vote, mediated nothing, contributed no troops); outside them
the columns are NA. The years, and the last real year, are in each column's description and in
docs/diplomacy.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from middlepower.diplomacy import council, peace, peacekeeping
from middlepower.panel.frame import join_columns

COUNCIL_COLUMNS = {
    "unsc_votes_cast": "votes cast in the UN Security Council on adopted resolutions (count; DGACM extracts, "
                       "2000-2025; 0 when not on the Council)",
    "unsc_abstentions": "abstentions on adopted Security Council resolutions (count; 2000-2025)",
    "unsc_on_council": "1 if the state voted on the Security Council that year (membership derived from the "
                       "votes), else 0 (2000-2025)",
}
PEACEMAKING_COLUMNS = {
    "peace_third_party_agreements": "peace agreements in which the state was a third party: signatory, guarantor, "
                                    "witness, observer or mediator of an agreement whose conflict it is not a "
                                    "party to (count of distinct agreements; PA-X v10 and UCDP v22.1 by text "
                                    "rules; 1990-2025)",
    "peace_mediator_agreements": "of those, agreements in which it is named as mediator or facilitator (count; "
                                 "1990-2025)",
    "cwm_mediations": "civil-war mediation episodes with the state as mediator, by start year (count; CWM, "
                      "1946-2011)",
}
HOSTING_COLUMNS = {
    "peace_hosted_agreements": "peace agreements signed or negotiated on the state's territory for a conflict it is "
                               "not a party to (count; venue from titles and texts of PA-X v10 and UCDP v22.1; "
                               "1990-2025)",
}
PEACEKEEPING_COLUMNS = {
    "pko_troops": "troops in UN peacekeeping, yearly mean of the monthly figures (persons; IPI, 1990-2014; 1990 "
                  "is November-December, 2014 January-March; ends 2014)",
    "pko_police": "police in UN peacekeeping, yearly mean (persons; IPI, 1990-2014; ends 2014)",
    "pko_experts": "military experts on mission, yearly mean (persons; IPI, 1990-2014; ends 2014)",
    "pko_total": "troops + police + experts, yearly mean (persons; IPI, 1990-2014; ends 2014)",
}


def _within(frame: pd.DataFrame, values: pd.DataFrame, columns: list[str], years: tuple[int, int],
            where: str) -> pd.DataFrame:
    """Join ``values`` (iso3, year, columns) on ``frame``: 0 for missing state-years inside ``years``, NA outside."""
    out = join_columns(frame, values[["iso3", "year", *columns]], where)
    year = pd.to_numeric(frame["year"]).to_numpy()
    inside = (year >= years[0]) & (year <= years[1])
    for column in columns:
        out[column] = np.where(inside, out[column].fillna(0).to_numpy(dtype=float), np.nan)
    return out


def add_security_council(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with ``COUNCIL_COLUMNS`` added (from :func:`middlepower.diplomacy.council.state_years`).

    Complete years only: the partial last year of the extracts (2026) is NA like the years before 2000.
    """
    table = council.state_years(db)
    last = int(table.loc[table["complete"], "year"].max())
    table = table[table["complete"]].rename(columns={"votes_cast": "unsc_votes_cast", "abstain": "unsc_abstentions"})
    table["unsc_on_council"] = 1
    return _within(frame, table, list(COUNCIL_COLUMNS), (council.FIRST_YEAR, last), "add_security_council")


def add_peacemaking(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with ``PEACEMAKING_COLUMNS`` added (from :func:`middlepower.diplomacy.peace.state_years`).

    Every count can be traced to its agreements with ``diplomacy.peace.third_party_roles``.
    """
    table = peace.state_years(db).rename(columns={"third_party_agreements": "peace_third_party_agreements",
                                                  "mediator_agreements": "peace_mediator_agreements"})
    out = _within(frame, table, ["peace_third_party_agreements", "peace_mediator_agreements"],
                  peace.AGREEMENT_YEARS, "add_peacemaking")
    cwm = _within(frame[["iso3", "year"]], table, ["cwm_mediations"], peace.CWM_YEARS, "add_peacemaking")
    out["cwm_mediations"] = cwm["cwm_mediations"].to_numpy()
    return out


def add_hosting(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with ``peace_hosted_agreements`` added (traceable with ``diplomacy.peace.hosting``)."""
    table = peace.state_years(db).rename(columns={"hosted_agreements": "peace_hosted_agreements"})
    return _within(frame, table, list(HOSTING_COLUMNS), peace.AGREEMENT_YEARS, "add_hosting")


def add_peacekeeping(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with ``PEACEKEEPING_COLUMNS`` added: IPI yearly means, 1990-2014 (the series ends in 2014)."""
    table = peacekeeping.state_years(db).rename(columns=lambda c: f"pko_{c}" if c in (
        "troops", "police", "experts", "total") else c)
    return _within(frame, table, list(PEACEKEEPING_COLUMNS),
                   (peacekeeping.FIRST_YEAR, peacekeeping.LAST_YEAR), "add_peacekeeping")
