"""State-year alignment series: the library calls behind the panel verbs and the CLI.

Everything here is per calendar year, from the store's UN General Assembly series (Voeten via
{unvotes} to January 2020, the UN DGACM extracts from October 2019; session 74 counted once), over
the roll calls of :data:`SELECTION`:

* non-unanimous roll calls only (a unanimous vote says nothing about alignment);
* ``amend_para="original"``: the amendment and paragraph votes of Voeten's original coding
  (sessions 1-39) are kept and the series of such votes added later for 1997-2018 is dropped. That
  is the selection that reproduces the agreement columns of the Voeten 2024 release, and it keeps
  the series comparable across 2019: from 1986 on, both sources are whole-resolution votes (the
  DGACM extracts have no paragraph or amendment votes).

Only complete calendar years are used (``unga_years.complete``): the last year of the data, while
the session is still being uploaded, is left out everywhere. The ideal-point model is fitted once on
those roll calls (15-60 s) and cached, in the process and on disk (see :func:`yearly_ideal_points`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from middlepower import config, limits
from middlepower.alignment.agreement import MEASURES, dyad_agreement
from middlepower.alignment.balance import MIN_COMMON_VOTES, balance_spread, balance_table, common_support_balance
from middlepower.alignment.idealpoints import IdealPointFit, fit_ideal_points
from middlepower.alignment.poles import POLES, pole_agreement, pole_distances, pole_positions
from middlepower.alignment.votes import VoteMatrix, store_votes
from middlepower.errors import DataError, ParameterError
from middlepower.warehouse import check_iso3, open_store

SELECTION = {"unanimous": False, "amend_para": "original"}
"""The roll calls of every series here (see the module docstring)."""

MODEL_VERSION = "ordered-probit-rw-2-original-complete-years"
"""Bump when the estimator, its defaults or the selection change: stored fits with another version are refitted."""


def analysis_votes(db: Path | str | None = None) -> VoteMatrix:
    """Return the roll calls every series here uses: :data:`SELECTION`, complete calendar years only."""
    votes = store_votes(db)
    return votes.matrix.select(**SELECTION, years=(None, votes.last_full_year))


def last_full_year(db: Path | str | None = None) -> int:
    """Return the last calendar year whose roll calls are all in the store (2025 while session 80 is uploaded)."""
    return store_votes(db).last_full_year


def coverage(db: Path | str | None = None) -> pd.DataFrame:
    """Return the store's ``unga_years``: year, roll_calls, sources, first_date, last_date, complete."""
    return store_votes(db).years.copy()


def yearly_ideal_points(db: Path | str | None = None, period: str = "year") -> IdealPointFit:
    """Return the fit of the dynamic ideal-point model on :func:`analysis_votes`, by ``period``.

    Cached in the process and on disk under ``<data home>/alignment/``, keyed by the store's build
    fingerprint (which changes with any input file) and ``MODEL_VERSION``; the stored copy keeps
    ``points`` (``roll_calls`` is empty).
    """
    path, fingerprint = _store_key(db)
    return _ideal_points(path, fingerprint, period)


def _store_key(db: Path | str | None) -> tuple[str, str]:
    with open_store(db) as store:
        return str(store.path.resolve()), str(store.build_info()["fingerprint"])


@lru_cache(maxsize=4)
def _ideal_points(path: str, fingerprint: str, period: str) -> IdealPointFit:
    digest = hashlib.sha256("|".join([MODEL_VERSION, period, fingerprint]).encode()).hexdigest()[:16]
    stored = config.data_home() / "alignment" / f"ideal_points_{period}_{digest}.parquet"
    if stored.is_file():
        points = pd.read_parquet(stored)
        return IdealPointFit(points=points, roll_calls=pd.DataFrame(), period=period, tau=float("nan"),
                             iterations=0, converged=True, seconds=0.0)
    fit = fit_ideal_points(analysis_votes(path), period=period)
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        partial = stored.with_suffix(".part")
        fit.points.to_parquet(partial, index=False)
        os.replace(partial, stored)
    except OSError:
        pass  # a read-only data home only costs a refit next time
    return fit


def yearly_balance(db: Path | str | None = None) -> pd.DataFrame:
    """Return :func:`~middlepower.alignment.balance.balance_table` for every complete state-year (cached)."""
    return _balance(*_store_key(db)).copy()


@lru_cache(maxsize=2)
def _balance(path: str, fingerprint: str) -> pd.DataFrame:
    return balance_table(analysis_votes(path), period="year")


def yearly_relative_balance(db: Path | str | None = None) -> pd.DataFrame:
    """Return :func:`~middlepower.alignment.balance.common_support_balance` for every complete state-year (cached)."""
    return _relative_balance(*_store_key(db)).copy()


@lru_cache(maxsize=2)
def _relative_balance(path: str, fingerprint: str) -> pd.DataFrame:
    return common_support_balance(analysis_votes(path))


def yearly_balance_spread(db: Path | str | None = None) -> pd.DataFrame:
    """Return :func:`~middlepower.alignment.balance.balance_spread` for every complete state-year (cached)."""
    return _balance_spread(*_store_key(db)).copy()


@lru_cache(maxsize=2)
def _balance_spread(path: str, fingerprint: str) -> pd.DataFrame:
    return balance_spread(analysis_votes(path))


def yearly_poles(db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per complete state-year: strict agreement with and ideal-point distance to each pole.

    Columns: ``iso3``, ``year``, ``agree_usa`` ... ``agree_eu`` (strict agreement, 0-1),
    ``distance_usa`` ... ``distance_eu`` (|ideal point difference|, sd units).
    """
    return _poles(*_store_key(db)).copy()


@lru_cache(maxsize=2)
def _poles(path: str, fingerprint: str) -> pd.DataFrame:
    agree = pole_agreement(analysis_votes(path), period="year")
    agree = agree.pivot_table(index=["iso3", "year"], columns="pole", values="strict")
    agree = agree.reindex(columns=list(POLES)).rename(columns=lambda pole: f"agree_{pole.lower()}")
    distance = pole_distances(yearly_ideal_points(path).points, "year")
    distance = distance.pivot_table(index=["iso3", "year"], columns="pole", values="distance")
    distance = distance.reindex(columns=list(POLES)).rename(columns=lambda pole: f"distance_{pole.lower()}")
    return agree.join(distance, how="outer").reset_index()


def check_years(first_year: int | None, last_year: int | None, db: Path | str | None = None) -> None:
    """Raise DataError naming the year when a requested range reaches past the last complete year's data.

    A ``last_year`` after the last complete year is accepted (the table ends at the last complete
    year, as the CLI says); a ``first_year`` after it leaves nothing to show and is refused. A year
    that is not a whole number is a ParameterError naming it.
    """
    first_year = None if first_year is None else limits.check_year("first_year", first_year)
    last_year = None if last_year is None else limits.check_year("last_year", last_year)
    if first_year is not None and last_year is not None and last_year < first_year:
        raise DataError(f"the range {first_year}-{last_year} ends before it starts", parameter="last_year",
                        value=last_year)
    last = last_full_year(db)
    if first_year is not None and first_year > last:
        raise DataError(f"the UN General Assembly votes are complete to {last} (later roll calls are a partial "
                        f"year); try {last}", parameter="first_year", value=first_year)


def state_alignment(
    iso3: str,
    partners: Sequence[str],
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    measure: str = "strict",
    db: Path | str | None = None,
) -> pd.DataFrame:
    """Return ``iso3``'s yearly agreement with each partner (a state's ISO3 or ``EU``; one code alone is
    one partner), complete years only.

    Columns: ``year``, ``partner``, ``n_votes``, ``agreement`` (the chosen ``measure``),
    ``distance`` (|ideal point difference|; NaN where either has no estimate), ``ideal_point``
    (of ``iso3``). Years with fewer than 5 common votes are left out. Raises DataError if ``iso3``
    never voted in the range.
    """
    if measure not in MEASURES:
        raise ParameterError(f"expected one of {', '.join(MEASURES)}", parameter="measure", value=measure)
    iso3 = check_iso3(iso3, db)  # a code that is no state is a typo, not a state that never voted
    partners = [partners] if isinstance(partners, str) else partners  # one partner, not its letters
    partners = ["EU" if str(p).strip().upper() == "EU" else check_iso3(p, db) for p in partners]
    if iso3 in partners:
        raise ParameterError(f"{iso3} is also the state compared: name other partners", parameter="partners",
                             value=iso3)
    partners = list(dict.fromkeys(partners))  # a partner named twice is one partner
    check_years(first_year, last_year, db)
    first_year = None if first_year is None else int(first_year)
    last_year = None if last_year is None else int(last_year)
    states = [p for p in partners if p != "EU"]
    votes = analysis_votes(db).select(years=(first_year, last_year))
    for code in (iso3, *states):  # before any fit: a state with no vote in the range is an impossible request
        if not (votes.votes[votes.row(code)] > 0).any():
            span = f"{first_year or 'the first'}-{last_year or 'the last year'}"
            raise DataError(f"no UN General Assembly votes for {code!r} in {span}")
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
    table = table[table["n_votes"] >= MIN_COMMON_VOTES]
    points = yearly_ideal_points(db).points
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


def clear_caches() -> None:
    """Forget every series cached in this process (the stored fits on disk stay)."""
    for cache in (_ideal_points, _balance, _poles):
        cache.cache_clear()
