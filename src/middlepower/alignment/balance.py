"""The multi-vector balance index: how evenly a state's UN votes sit between the four poles.

For state i in period t, let A_p be its agreement index (yes 1, abstain 0.5, no 0; see
:mod:`middlepower.alignment.agreement`) with pole p over the period's non-unanimous roll calls,
for every pole p in {USA, RUS, CHN, EU} that voted on at least ``MIN_COMMON_VOTES`` of them with
i (and is not i itself). Then

    balance_index = 1 - (max_p A_p - min_p A_p)

It is 1 when the state agrees equally with every pole (keeps comparable distance from all) and
falls towards 0 as it agrees with one pole and not another (aligned with one side). It needs at
least two poles; ``balance_poles`` says how many entered (2 before 1958, 3 in 1958-1970 when
there is no PRC pole, 4 from 1971). The USA, Russia and China themselves get no index (they are
poles; their ``balance_poles`` is 0, as no pole entered an index); EU members do, and their own
vote is part of the EU majority they are compared with.

The power model's balance is relative to the Assembly: each agreement is ranked among the year's
states before the spread is taken, on the roll calls the state voted on
(:func:`common_support_balance`, the panel's ``balance_relative`` since spec revision 2.28) or on
every state's own votes (:func:`relative_balance`, before it).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from middlepower.alignment.poles import POLES, pole_agreement, pole_votes
from middlepower.alignment.votes import Period, VoteMatrix

MIN_COMMON_VOTES = 5
SPREAD_REPLICATES = 200
"""Bootstrap resamples of a year's roll calls behind :func:`balance_spread`."""
SPREAD_SEED = 20261207
"""The resamples' seed: the spread is a fixed property of the data, the same in every run."""


def balance_table(matrix: VoteMatrix, *, period: Period = "year", measure: str = "agree_index") -> pd.DataFrame:
    """Return one row per state-period with the balance index and its ingredients.

    ``matrix`` should already be the roll calls to use (``select(unanimous=False)`` is the default
    elsewhere). Columns: ``iso3``, ``year``/``session``, ``balance_index`` (0-1), ``balance_poles``,
    ``closest_pole``, ``farthest_pole`` and ``agree_usa``, ``agree_rus``, ``agree_chn``,
    ``agree_eu`` (the ``measure`` with each pole; NaN where the pole is missing or the state is it).
    """
    long = pole_agreement(matrix, period=period)
    long = long[long["n_votes"] >= MIN_COMMON_VOTES]
    wide = long.pivot_table(index=["iso3", period], columns="pole", values=measure).reindex(columns=list(POLES))
    values = wide.to_numpy(dtype=float)
    present = ~np.isnan(values)
    count = present.sum(axis=1)
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(np.where(present, values, np.nan), axis=1) - np.nanmin(
            np.where(present, values, np.nan), axis=1
        )
    filled_high = np.where(present, values, -np.inf)
    filled_low = np.where(present, values, np.inf)
    out = pd.DataFrame(
        {
            "balance_index": np.where(count >= 2, 1.0 - spread, np.nan),
            "balance_poles": count,
            "closest_pole": np.array(POLES, dtype=object)[filled_high.argmax(axis=1)],
            "farthest_pole": np.array(POLES, dtype=object)[filled_low.argmin(axis=1)],
        },
        index=wide.index,
    )
    out.loc[count < 2, ["closest_pole", "farthest_pole"]] = None
    # A pole state cannot balance between itself and the others: its index is left missing.
    is_pole = out.index.get_level_values("iso3").isin(POLES)
    out.loc[is_pole, ["balance_index", "closest_pole", "farthest_pole"]] = [np.nan, None, None]
    out.loc[is_pole, "balance_poles"] = 0
    for pole in POLES:
        out[f"agree_{pole.lower()}"] = wide[pole].to_numpy()
    return out.reset_index()


def relative_balance(table: pd.DataFrame, *, period: str = "year") -> pd.Series:
    """Balance relative to the Assembly, 0-1, aligned with the rows of a :func:`balance_table` frame.

    Each agreement with a pole (``agree_usa`` ... ``agree_eu``) is first turned into the state's
    percentile among the period's states with that agreement (0 = least, 1 = most; ties share
    their mean rank); then ``1 - (max - min)`` over the poles, as for ``balance_index``. A pole that
    moves away from every state (the USA's no on 169 of 184 votes in 2025) lowers every state's
    agreement with it alike and leaves the percentiles, hence this index, unchanged. NaN where
    ``balance_index`` is NaN (a pole itself, fewer than two poles).

    This ranks every state on all of its own votes: the panel's ``balance_relative`` before spec
    revision 2.28, which replaced it with :func:`common_support_balance`. It is kept as the balance
    whose resamples :func:`balance_spread` measures, and as the independent check of the new one,
    which it equals for a state that voted on every roll call.
    """
    columns = [f"agree_{pole.lower()}" for pole in POLES]
    grouped = table.groupby(period)[columns]
    ranks = grouped.rank(method="average")
    counts = grouped.transform("count")
    pct = (ranks - 1.0) / (counts - 1.0).where(counts > 1)
    spread = pct.max(axis=1, skipna=True) - pct.min(axis=1, skipna=True)
    return (1.0 - spread).where(table["balance_index"].notna())


def common_support_balance(matrix: VoteMatrix) -> pd.DataFrame:
    """Return the relative balance of every state-year of ``matrix``, each state compared on its own votes.

    For state i, calendar year t and pole p, S_i is the set of the year's roll calls (``matrix``
    should already be the selection in use) on which i voted. Every other state j gets its
    agreement index with p (yes 1, abstain 0.5, no 0, as in :func:`balance_table`) over the roll
    calls of S_i on which j and p both voted, if there are at least ``MIN_COMMON_VOTES``; i's own
    over S_i is its usual agreement index. i's percentile for p is the mean rank of its own among
    these (0 = least, 1 = most; ties share their mean rank; the pole itself is not ranked), and the
    balance is ``1 - (max - min)`` over the poles with a percentile (spec revision 2.28). Columns:
    ``iso3``, ``year``, ``balance_relative`` (0-1); only state-years with a balance (two poles or
    more; never a pole itself).
    """
    years = matrix.roll_calls["year"].to_numpy(dtype=int)
    states = matrix.states.to_numpy()
    pole_rows = {pole: pole_votes(matrix, pole) for pole in POLES}
    pieces = []
    for year in np.unique(years):
        cols = np.flatnonzero(years == year)
        votes = matrix.votes[:, cols].astype(float)
        voted = (votes > 0).astype(float)
        percentiles = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for pole in POLES:
                # agree[j, i]: j's agreement with the pole over S_i, the roll calls i voted on
                agree = weighted_pole_agreement(votes, pole_rows[pole][cols], voted.T, states == pole)
                own = np.diagonal(agree)
                valid = ~np.isnan(agree)
                less = np.sum(valid & (agree < own[None, :]), axis=0)
                ties = np.sum(valid & (agree == own[None, :]), axis=0)  # i itself among them
                count = valid.sum(axis=0)
                rank = less + (ties + 1.0) / 2.0
                percentiles.append(np.where(~np.isnan(own) & (count > 1), (rank - 1.0) / (count - 1.0), np.nan))
        balance = balance_of_percentiles(percentiles, states)
        keep = ~np.isnan(balance)
        pieces.append(pd.DataFrame({"iso3": states[keep], "year": int(year), "balance_relative": balance[keep]}))
    if not pieces:
        return pd.DataFrame({"iso3": pd.Series(dtype=object), "year": pd.Series(dtype=int),
                             "balance_relative": pd.Series(dtype=float)})
    return pd.concat(pieces, ignore_index=True)


def balance_spread(
    matrix: VoteMatrix, *, replicates: int = SPREAD_REPLICATES, seed: int = SPREAD_SEED
) -> pd.DataFrame:
    """Return the sampling spread of the relative balance for every state-year of ``matrix``.

    Per calendar year, the year's roll calls (``matrix`` should already be the selection in use) are
    resampled with replacement ``replicates`` times; in each resample the agreement index with every
    pole, the percentiles among the year's states and the balance are recomputed as in
    :func:`balance_table` and :func:`relative_balance` (a roll call drawn twice counts twice, also
    towards ``MIN_COMMON_VOTES``). Columns: ``iso3``, ``year``, ``balance_relative_sd`` (the
    standard deviation over the resamples, 0-1 scale; NaN where no resample gives a balance).
    """
    rng = np.random.default_rng(seed)
    years = matrix.roll_calls["year"].to_numpy(dtype=int)
    pole_rows = {pole: pole_votes(matrix, pole) for pole in POLES}
    pieces = []
    for year in np.unique(years):
        cols = np.flatnonzero(years == year)
        counts = rng.multinomial(cols.size, np.full(cols.size, 1.0 / cols.size), size=replicates).T
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # states without a balance: NaN kept
            sd = np.nanstd(replicate_balance(matrix, cols, pole_rows, counts.astype(float)), axis=1)
        pieces.append(pd.DataFrame({"iso3": matrix.states, "year": int(year), "balance_relative_sd": sd}))
    if not pieces:
        return pd.DataFrame({"iso3": pd.Series(dtype=object), "year": pd.Series(dtype=int),
                             "balance_relative_sd": pd.Series(dtype=float)})
    out = pd.concat(pieces, ignore_index=True)
    return out[out["balance_relative_sd"].notna()].reset_index(drop=True)


def replicate_balance(
    matrix: VoteMatrix, cols: np.ndarray, pole_rows: dict[str, np.ndarray], weights: np.ndarray
) -> np.ndarray:
    """(states, replicates) relative balance of every state of ``matrix`` over the roll calls ``cols``,
    each roll call counted ``weights[c, r]`` times in replicate r (all ones: the point value).

    NaN for a pole itself, a state with fewer than two poles, and a state without votes.
    """
    votes = matrix.votes[:, cols].astype(float)
    states = matrix.states.to_numpy()
    percentiles = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for pole in POLES:
            index = weighted_pole_agreement(votes, pole_rows[pole][cols], weights, states == pole)
            ranked = pd.DataFrame(index).rank(axis=0, method="average").to_numpy()
            count = np.sum(~np.isnan(index), axis=0)
            percentiles.append((ranked - 1.0) / np.where(count > 1, count - 1.0, np.nan))
    return balance_of_percentiles(percentiles, states)


def weighted_pole_agreement(
    votes: np.ndarray, reference: np.ndarray, weights: np.ndarray, is_pole: np.ndarray
) -> np.ndarray:
    """(states, k) agreement index (yes 1, abstain 0.5, no 0) of every row of ``votes`` with a pole.

    ``votes`` (states, roll calls; float vote codes) and ``reference`` (the pole's codes over the same
    roll calls) as in :class:`~middlepower.alignment.votes.VoteMatrix`; roll call c counts
    ``weights[c, k]`` times in column k. NaN where the weighted number of roll calls on which both
    voted is below ``MIN_COMMON_VOTES``, and in the rows ``is_pole`` (the pole itself).
    """
    reference = np.asarray(reference, dtype=float)
    common = (votes > 0) & (reference > 0)[None, :]
    agreement = np.where(common, 1.0 - np.abs(votes - reference[None, :]) / 2.0, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        n = common.astype(float) @ weights
        index = np.where(n >= MIN_COMMON_VOTES, (agreement @ weights) / n, np.nan)
    index[is_pole, :] = np.nan
    return index


def balance_of_percentiles(percentiles: list[np.ndarray], states: np.ndarray) -> np.ndarray:
    """``1 - (max - min)`` over the poles of each state's percentiles (one array per pole, states first).

    NaN for a state with fewer than two percentiles and for the poles themselves.
    """
    stacked = np.stack(percentiles)
    present = ~np.isnan(stacked)
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(np.where(present, stacked, -np.inf), axis=0) - np.nanmin(
            np.where(present, stacked, np.inf), axis=0)
    balance = np.where(present.sum(axis=0) >= 2, 1.0 - spread, np.nan)
    balance[np.isin(states, POLES)] = np.nan
    return balance


def rank_balance(table: pd.DataFrame, year: int, *, top: int = 20, period: str = "year") -> pd.DataFrame:
    """Return the ``top`` most balanced states of ``year`` from a :func:`balance_table` frame."""
    rows = table[(table[period] == year) & table["balance_index"].notna()]
    return rows.sort_values(["balance_index", "iso3"], ascending=[False, True]).head(top).reset_index(drop=True)
