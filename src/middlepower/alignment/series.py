"""State-year alignment series: the library calls behind the panel verbs and the CLI.

Everything here is per calendar year, over non-unanimous roll calls (amendment and paragraph
votes included), from ``un_votes`` — so the latest year is 2019 (the data end in January 2020;
the few January 2020 votes form a partial year 2020 that is reported but rests on few votes).
The ideal-point model is fitted once on all roll calls (30-60 s) and cached, in the process and
on disk (see :func:`yearly_ideal_points`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from middlepower import config
from middlepower.alignment.agreement import MEASURES, dyad_agreement
from middlepower.alignment.balance import MIN_COMMON_VOTES, balance_table
from middlepower.alignment.idealpoints import IdealPointFit, fit_ideal_points
from middlepower.alignment.poles import POLES, pole_agreement, pole_distances, pole_positions
from middlepower.alignment.votes import VoteMatrix, load_votes
from middlepower.errors import DataError, SpecError
from middlepower.sources.unvotes import ROLL_CALLS_FILE, VOTES_FILE


def analysis_votes() -> VoteMatrix:
    """Return the roll calls every series here uses: all of them except unanimous ones."""
    return load_votes().select(unanimous=False)


MODEL_VERSION = "ordered-probit-rw-1"
"""Bump when the estimator or its defaults change: stored fits with another version are refitted."""


@lru_cache(maxsize=2)
def yearly_ideal_points(period: str = "year") -> IdealPointFit:
    """Return the fit of the dynamic ideal-point model on all roll calls, by ``period``.

    Cached in the process and on disk under ``<data home>/alignment/``, keyed by the input files'
    sha256 and ``MODEL_VERSION``; the stored copy keeps ``points`` (``roll_calls`` is empty).
    """
    key = hashlib.sha256("|".join([MODEL_VERSION, period, VOTES_FILE.sha256, ROLL_CALLS_FILE.sha256]).encode())
    path = config.data_home() / "alignment" / f"ideal_points_{period}_{key.hexdigest()[:16]}.parquet"
    if path.is_file():
        points = pd.read_parquet(path)
        return IdealPointFit(points=points, roll_calls=pd.DataFrame(), period=period, tau=float("nan"),
                             iterations=0, converged=True, seconds=0.0)
    fit = fit_ideal_points(load_votes(), period=period)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        fit.points.to_parquet(partial, index=False)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only data home only costs a refit next time
    return fit


@lru_cache(maxsize=1)
def yearly_balance() -> pd.DataFrame:
    """Return :func:`~middlepower.alignment.balance.balance_table` for every state-year (cached)."""
    return balance_table(analysis_votes(), period="year")


@lru_cache(maxsize=1)
def yearly_poles() -> pd.DataFrame:
    """Return one row per state-year: strict agreement with and ideal-point distance to each pole.

    Columns: ``iso3``, ``year``, ``agree_usa`` ... ``agree_eu`` (strict agreement, 0-1),
    ``distance_usa`` ... ``distance_eu`` (|ideal point difference|, sd units).
    """
    agree = pole_agreement(analysis_votes(), period="year")
    agree = agree.pivot_table(index=["iso3", "year"], columns="pole", values="strict")
    agree = agree.reindex(columns=list(POLES)).rename(columns=lambda pole: f"agree_{pole.lower()}")
    distance = pole_distances(yearly_ideal_points().points, "year")
    distance = distance.pivot_table(index=["iso3", "year"], columns="pole", values="distance")
    distance = distance.reindex(columns=list(POLES)).rename(columns=lambda pole: f"distance_{pole.lower()}")
    return agree.join(distance, how="outer").reset_index()


def state_alignment(
    iso3: str,
    partners: Sequence[str],
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    measure: str = "strict",
) -> pd.DataFrame:
    """Return ``iso3``'s yearly agreement with each partner (a state's ISO3 or ``EU``).

    Columns: ``year``, ``partner``, ``n_votes``, ``agreement`` (the chosen ``measure``),
    ``distance`` (|ideal point difference|; NaN where either has no estimate), ``ideal_point``
    (of ``iso3``). Years with fewer than 5 common votes are left out. Raises DataError if ``iso3``
    never voted in the range.
    """
    if measure not in MEASURES:
        raise SpecError(f"unknown measure {measure!r}: expected one of {', '.join(MEASURES)}")
    votes = analysis_votes().select(years=(first_year, last_year))
    votes.row(iso3)
    states = [p for p in partners if p != "EU"]
    for code in states:
        votes.row(code)
    pieces = []
    if states:
        dyads = dyad_agreement(votes, period="year", states=[iso3], partners=states)
        pieces.append(dyads[["year", "partner", "n_votes", measure]])
    if "EU" in partners:
        eu = pole_agreement(votes, period="year", poles=("EU",))
        eu = eu[eu["iso3"] == iso3].rename(columns={"pole": "partner"})
        pieces.append(eu[["year", "partner", "n_votes", measure]])
    if not pieces:
        raise DataError("no partner given: name at least one, e.g. --with USA RUS CHN")
    table = pd.concat(pieces, ignore_index=True).rename(columns={measure: "agreement"})
    table = table[table["n_votes"] >= MIN_COMMON_VOTES]  # e.g. the few votes of January 2020
    points = yearly_ideal_points().points
    own = points.loc[points["iso3"] == iso3, ["year", "ideal_point"]]
    others = _partner_points(points, partners)
    table = table.merge(own, on="year", how="left").merge(others, on=["year", "partner"], how="left")
    table["distance"] = (table["ideal_point"] - table["partner_point"]).abs()
    order = {code: rank for rank, code in enumerate(partners)}
    table = table.sort_values(["year", "partner"], key=lambda s: s.map(order) if s.name == "partner" else s)
    return table[["year", "partner", "n_votes", "agreement", "distance", "ideal_point"]].reset_index(drop=True)


def _partner_points(points: pd.DataFrame, partners: Sequence[str]) -> pd.DataFrame:
    states = points.loc[points["iso3"].isin(partners), ["year", "iso3", "ideal_point"]].rename(
        columns={"iso3": "partner"}
    )
    pieces = [states]
    if "EU" in partners:
        eu = pole_positions(points, "year")
        pieces.append(eu.loc[eu["pole"] == "EU", ["year", "ideal_point"]].assign(partner="EU"))
    return pd.concat(pieces, ignore_index=True).rename(columns={"ideal_point": "partner_point"})
