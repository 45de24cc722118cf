"""Diplomatic reach and ties: Security Council seats, arms exports, trade share, IGO growth,
alliance partners and the power of land neighbours. Verbs over the store, like the other panel verbs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import LAND_NEIGHBOURS_SQL, join_columns
from middlepower.sources.columns import Column
from middlepower.sources.cow import CINC_LAST_YEAR
from middlepower.sources.cow_ties import ATOP_LAST_YEAR
from middlepower.warehouse import open_store

UNSC_WINDOW_YEARS = 5
"""Window of :func:`add_reach`'s ``unsc_years_5y``: the year itself and the four before it."""

@verb(derived=(Column(
    "unga_vote_participation", "share, 0-1",
    "share of the year's recorded UN General Assembly roll calls in which the state cast a vote (yes, no or "
    "abstain); Voeten via {unvotes} 1946-2019 and UN DGACM 2019-2025, the later-added 1997-2018 amendment and "
    "paragraph votes left out as in the alignment series; complete years only (to 2025); NA in years the state "
    "cast no recorded vote (not a member)",
    upstream="votes cast / roll calls held", sources=("un_votes", "un_roll_calls", "un_ga_votes",
                                                      "un_ga_resolutions")),))
def add_un_participation(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with ``unga_vote_participation`` added.

    Reads the store's ``unga_roll_calls``, ``unga_votes`` and ``unga_years`` views (the {unvotes} and
    DGACM roll calls as one series, session 74 once). The roll calls are those the alignment layer
    uses minus the unanimity filter: Voeten's original amendment and paragraph votes (sessions
    1-39) in, the series of such votes added later for 1997-2018 out, so the share is comparable
    across 2019 (the DGACM extracts hold whole-resolution votes only). Partial years are left out.
    """
    with open_store(db) as store:
        shares = store.query(
            """
            WITH calls AS (SELECT r.rcid, r.year FROM unga_roll_calls r JOIN unga_years y USING (year)
                           WHERE y.complete AND (r.session <= 39 OR r.vote_kind = 'resolution')),
                 held AS (SELECT year, count(*) AS roll_calls FROM calls GROUP BY year),
                 cast_votes AS (SELECT v.iso3, c.year, count(*) AS votes
                                FROM unga_votes v JOIN calls c USING (rcid)
                                WHERE v.vote > 0 GROUP BY v.iso3, c.year)
            SELECT c.iso3, c.year, c.votes / h.roll_calls AS unga_vote_participation
            FROM cast_votes c JOIN held h USING (year)
            """
        )
    return join_columns(frame, shares.astype({"unga_vote_participation": "float64"}), "add_un_participation")


def unsc_terms() -> pd.DataFrame:
    """Return the shipped Security Council list (source ``unsc_members``): iso3, first_year, last_year, seat."""
    from middlepower import sources

    return sources.load("unsc_members")


def _unsc_years(frame: pd.DataFrame) -> pd.DataFrame:
    terms = unsc_terms()
    first_listed = int(terms.loc[terms["seat"] != "permanent", "first_year"].min())
    years = np.arange(first_listed, int(frame["year"].max()) + 1)
    seats = [pd.DataFrame({"iso3": row.iso3, "year": np.arange(max(row.first_year, first_listed),
                                                               min(row.last_year, years[-1]) + 1)})
             for row in terms.itertuples()]
    on = pd.concat(seats).drop_duplicates().assign(unsc_member=1)
    grid = pd.MultiIndex.from_product([sorted(frame["iso3"].dropna().unique()), years], names=["iso3", "year"])
    out = on.set_index(["iso3", "year"]).reindex(grid, fill_value=0).reset_index()
    out["unsc_years_5y"] = (out.groupby("iso3")["unsc_member"]
                            .transform(lambda s: s.rolling(UNSC_WINDOW_YEARS).sum()))
    return out.astype({"unsc_member": "float64", "unsc_years_5y": "float64"})


ARMS_YEARS = (1960, 2024)
"""Years of the Gapminder/SIPRI arms-export series: a state without a record in them exported none."""
ARMS_FEDERATIONS: dict[str, tuple[int | None, str]] = {
    "RUS": (1992, "the Soviet Union"),
    "CSK": (None, "Czechoslovakia"),
    "SRB": (1992, "the Socialist Federal Republic of Yugoslavia"),
}
"""States the project codes for a federation that Gapminder's SIPRI file has no entity for: ISO3 ->
(first year the file covers the state, None for never; the federation). Before that year their arms exports are
missing, not 0 (model revision 2.21); Serbia's 1992-95 zeros, the years of the UN arms embargo on
the Federal Republic of Yugoslavia, are read as the file has them."""


def _federation_years(frame: pd.DataFrame) -> pd.Series:
    """True for the rows (iso3, year) of ``frame`` that ``ARMS_FEDERATIONS`` leave missing."""
    covered_from = {iso3: np.inf if first is None else first for iso3, (first, _) in ARMS_FEDERATIONS.items()}
    return frame["year"] < frame["iso3"].map(covered_from)


@verb(
    derived=(
        Column(
            "unsc_member",
            "1 = on the Council, 0 = not",
            "1 if on the UN Security Council that year (permanent or elected), else 0; "
            "NA before the first elected term listed",
            upstream="unsc_members terms",
            sources=("unsc_members",),
        ),
        Column(
            "unsc_years_5y",
            "years, 0-5",
            f"years on the Security Council in the {UNSC_WINDOW_YEARS} years to this one (permanent members 5)",
            upstream="rolling sum of unsc_member",
            inputs=("unsc_member",),
        ),
        Column(
            "arms_exports_tiv_musd",
            "millions of constant 1990 US$ (SIPRI trend-indicator value)",
            f"major conventional arms exports; 0 where SIPRI records none in {ARMS_YEARS[0]}-{ARMS_YEARS[1]}, NA "
            "outside those years and for "
            + ", ".join(f"{iso3} before {first}" if first is not None else f"{iso3} (all years)"
                        for iso3, (first, _) in ARMS_FEDERATIONS.items())
            + " (" + ", ".join(name for _, name in ARMS_FEDERATIONS.values())
            + ": federations the file has no entity for)",
            upstream="sum of arms_exports_tiv_usd / 1e6",
            sources=("gapminder_arms_exports",),
        ),
        Column(
            "merchandise_export_share_pct",
            "% of the sum over states",
            "share of the world's merchandise exports (sum over the states in the panel that year)",
            upstream="100 * merchandise_exports_usd / world sum",
            inputs=("merchandise_exports_usd",),
        ),
        Column(
            "igo_growth_10y",
            "count of organisations",
            "change in the number of full IGO memberships over ten years",
            upstream="igo_full - igo_full ten years before",
            inputs=("igo_full",),
        ),
    )
)
def add_reach(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with diplomatic-reach columns added. Years outside a source's
    coverage, and ``ARMS_FEDERATIONS``' years, are NA, never 0."""
    with open_store(db) as store:
        base = store.query(
            """
            SELECT p.iso3, p.year, p.merchandise_exports_usd, p.igo_full,
                   CASE WHEN p.year BETWEEN ? AND ? THEN coalesce(a.tiv, 0) / 1e6 END
                       AS arms_exports_tiv_musd
            FROM panel p
            LEFT JOIN (SELECT iso3, year, sum(arms_exports_tiv_usd) AS tiv
                       FROM gapminder_arms_exports GROUP BY iso3, year) a
                   ON a.iso3 = p.iso3 AND a.year = p.year
            """,
            list(ARMS_YEARS),
        )
    base.loc[_federation_years(base), "arms_exports_tiv_musd"] = np.nan
    base = base.sort_values(["iso3", "year"])
    world = base.groupby("year")["merchandise_exports_usd"].transform("sum")
    base["merchandise_export_share_pct"] = 100 * base["merchandise_exports_usd"] / world.where(world > 0)
    lagged = base[["iso3", "year", "igo_full"]].assign(year=base["year"] + 10).rename(columns={"igo_full": "igo_lag"})
    base = base.merge(lagged, on=["iso3", "year"], how="left")
    base["igo_growth_10y"] = base["igo_full"] - base["igo_lag"]
    unsc = _unsc_years(base)
    base = base.merge(unsc, on=["iso3", "year"], how="left")
    return join_columns(frame, base, "add_reach")


@verb(
    derived=(
        Column(
            "alliance_partners",
            "count of states",
            "states with which an ATOP alliance of any obligation "
            f"(defence, offence, neutrality, non-aggression, consultation) is in force; NA after {ATOP_LAST_YEAR}",
            upstream="distinct iso3_2 of atop_alliances",
            sources=("atop_alliances",),
        ),
        Column(
            "neighbours_cinc",
            "sum of CINC shares",
            "sum of the CINC shares of the state's land neighbours "
            f"(today's borders for every year); NA after {CINC_LAST_YEAR}",
            upstream="sum of neighbours' cinc",
            sources=("countries",),
            inputs=("cinc",),
        ),
        Column(
            "coastal",
            "1 = sea coast, 0 = landlocked",
            "1 if the state has a sea coast (the Caspian counts as a lake), else 0; today's map",
            upstream="not countries.landlocked",
            sources=("countries",),
        ),
    )
)
def add_ties(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with alliance and neighbourhood columns added.

    Neighbours are today's land neighbours for every year (as in ``add_geography``), so a state's
    ``neighbours_cinc`` before a border change describes today's map, not that year's.
    """
    with open_store(db) as store:
        ties = store.query(
            f"""
            WITH nb AS ({LAND_NEIGHBOURS_SQL}),
            allies AS (
                SELECT iso3_1 AS iso3, year, count(DISTINCT iso3_2) AS partners
                FROM atop_alliances
                WHERE iso3_1 IS NOT NULL AND iso3_2 IS NOT NULL
                  AND (defense + offense + neutral + nonagg + consul) > 0
                GROUP BY iso3_1, year
            ),
            near AS (
                -- summed in one order, so that the floating-point sum is the same on every run
                SELECT nb.iso3, p.year, sum(p.cinc ORDER BY nb.neighbour) AS cinc_sum
                FROM nb JOIN panel p ON p.iso3 = nb.neighbour GROUP BY nb.iso3, p.year
            )
            SELECT s.iso3, s.year,
                   CASE WHEN s.year <= ? THEN coalesce(a.partners, 0) END AS alliance_partners,
                   CASE WHEN s.year <= ? AND c.iso3 IS NOT NULL THEN coalesce(n.cinc_sum, 0) END
                       AS neighbours_cinc,
                   CASE WHEN c.iso3 IS NULL THEN NULL WHEN c.landlocked THEN 0 ELSE 1 END AS coastal
            FROM state_years s
            LEFT JOIN allies a ON a.iso3 = s.iso3 AND a.year = s.year
            LEFT JOIN countries c ON c.iso3 = s.iso3
            LEFT JOIN near n ON n.iso3 = s.iso3 AND n.year = s.year
            """,
            [ATOP_LAST_YEAR, CINC_LAST_YEAR],
        )
    ties = ties.astype({c: "float64" for c in ("alliance_partners", "neighbours_cinc", "coastal")})
    return join_columns(frame, ties, "add_ties")
