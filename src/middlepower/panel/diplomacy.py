"""Panel verbs for diplomatic conduct: Security Council activity, third-party peacemaking, hosting, peacekeeping.

Each verb adds its declared columns, never dropping or reordering rows. Within a source's years a
state with no record gets 0 (it cast no Council vote, mediated nothing, contributed no troops);
outside them the columns are NA. Each column's years and last real year are in its description and
in docs/diplomacy.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from middlepower.diplomacy import council, peace, peacekeeping
from middlepower.diplomacy.peace import AGREEMENT_YEARS, CWM_YEARS
from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns
from middlepower.sources.columns import Column

COUNCIL = ("un_sc_votes", "un_sc_resolutions")
PEACE = ("pax_agreements", "pax_agreement_countries", "ucdp_peace_agreements", "natural_earth_places")
CWM = ("cwm_mediation",)
IPI = ("ipi_peacekeeping",)

IPI_YEARS = (peacekeeping.FIRST_YEAR, peacekeeping.LAST_YEAR)


def _within(out: pd.DataFrame, years: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Set each column to 0 where missing inside its years and NA outside them."""
    year = pd.to_numeric(out["year"]).to_numpy()
    for column, (first, last) in years.items():
        inside = (year >= first) & (year <= last)
        out[column] = np.where(inside, out[column].fillna(0).to_numpy(dtype=float), np.nan)
    return out


@verb(derived=(
    Column("unsc_votes_cast", "count", "votes cast in the UN Security Council on adopted resolutions (0 when not on "
           "the Council); DGACM extracts, 2000-2025", upstream="votes listed per member-year", sources=COUNCIL),
    Column("unsc_abstentions", "count", "abstentions on adopted Security Council resolutions; 2000-2025",
           upstream="abstentions listed per member-year", sources=COUNCIL),
    Column("unsc_on_council", "1 = on the Council, 0 = not", "1 if the state voted on the Security Council that "
           "year (membership derived from the votes), else 0; 2000-2025", upstream="listed in any vote of the year",
           sources=COUNCIL),
))
def add_security_council(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with Security Council activity (from :func:`middlepower.diplomacy.council.state_years`).

    Complete years only: the partial last year of the extracts (2026) is NA like the years before 2000.
    """
    table = council.state_years(db)
    table = table[table["complete"]].rename(columns={"votes_cast": "unsc_votes_cast", "abstain": "unsc_abstentions"})
    last = int(table["year"].max())
    out = join_columns(frame, table.assign(unsc_on_council=1), "add_security_council")
    return _within(out, dict.fromkeys(("unsc_votes_cast", "unsc_abstentions", "unsc_on_council"),
                                      (council.FIRST_YEAR, last)))


@verb(derived=(
    Column("peace_third_party_agreements", "count of agreements", "peace agreements in which the state was a third "
           "party: signatory, guarantor, witness, observer or mediator of an agreement whose conflict it is not a "
           "party to (distinct agreements; PA-X and UCDP by text rules, docs/diplomacy.md); 1990-2025",
           upstream="diplomacy.peace.third_party_roles", sources=PEACE),
    Column("peace_mediator_agreements", "count of agreements", "of those, agreements in which it is named as "
           "mediator or facilitator; 1990-2025", upstream="role = mediator", sources=PEACE),
    Column("cwm_mediations", "count of episodes", "civil-war mediation episodes with the state as mediator, by "
           "start year; CWM, 1946-2011", upstream="name.of.third.party", sources=CWM),
))
def add_peacemaking(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with third-party peacemaking counts (from :func:`middlepower.diplomacy.peace.state_years`).

    Every count can be traced to its agreements with ``diplomacy.peace.third_party_roles``.
    """
    table = peace.state_years(db).rename(columns={"third_party_agreements": "peace_third_party_agreements",
                                                  "mediator_agreements": "peace_mediator_agreements"})
    out = join_columns(frame, table, "add_peacemaking")
    return _within(out, {"peace_third_party_agreements": AGREEMENT_YEARS, "peace_mediator_agreements": AGREEMENT_YEARS,
                         "cwm_mediations": CWM_YEARS})


@verb(derived=(
    Column("peace_hosted_agreements", "count of agreements", "peace agreements signed or negotiated on the state's "
           "territory for a conflict it is not a party to (venue from titles and texts of PA-X and UCDP by text "
           f"rules, docs/diplomacy.md); {AGREEMENT_YEARS[0]}-{AGREEMENT_YEARS[1]}",
           upstream="diplomacy.peace.hosting, domestic = False",
           sources=PEACE),
))
def add_hosting(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with the hosting count (traceable with ``diplomacy.peace.hosting``)."""
    table = peace.state_years(db).rename(columns={"hosted_agreements": "peace_hosted_agreements"})
    return _within(join_columns(frame, table, "add_hosting"), {"peace_hosted_agreements": AGREEMENT_YEARS})


@verb(derived=tuple(
    Column(f"pko_{kind}", "persons (yearly mean)", f"{what} in UN peacekeeping, yearly mean of IPI's monthly figures; "
           f"{IPI_YEARS[0]}-{IPI_YEARS[1]} ({peacekeeping.PARTIAL_YEARS}); the series ends in {IPI_YEARS[1]}",
           upstream=upstream, sources=IPI)
    for kind, what, upstream in (("troops", "troops", "Troops"), ("police", "police", "Police"),
                                 ("experts", "military experts on mission", "Experts"),
                                 ("total", "troops, police and experts", "Troops + Police + Experts"))
))
def add_peacekeeping(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with uniformed peacekeeping contributions, 1990-2014 (the IPI series ends in 2014)."""
    table = peacekeeping.state_years(db).rename(
        columns=lambda c: f"pko_{c}" if c in ("troops", "police", "experts", "total") else c)
    out = join_columns(frame, table, "add_peacekeeping")
    return _within(out, dict.fromkeys(("pko_troops", "pko_police", "pko_experts", "pko_total"), IPI_YEARS))
