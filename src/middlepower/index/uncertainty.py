"""Monte Carlo uncertainty analysis: the index under random draws of its uncertain inputs.

Each replication draws every uncertain input independently (uniformly among the alternatives of
a discrete input; weights w * (1 + U(-noise, noise)); none or one excluded indicator) and
recomputes the whole index for all units and years. Per unit and year the result reports the
nominal score and rank, the mean score, the mean and median rank, and the 5 % and 95 % quantiles
of score and rank (linear interpolation between order statistics, as numpy's default).
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from middlepower.index.aggregate import Ranking
from middlepower.index.montecarlo import evaluate, make_context, random_design
from middlepower.index.spec import Spec, UncertainInput

QUANTILES = (0.05, 0.5, 0.95)


def _order_stat_positions(n: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0-based lower/upper order statistics and weight of the upper one, for n draws."""
    h = (np.maximum(n, 1) - 1) * q
    lo = np.floor(h).astype(np.int64)
    return lo, np.minimum(lo + 1, np.maximum(n - 1, 0)), h - lo


def score_summary(by_cell: np.ndarray) -> dict[str, np.ndarray]:
    """Mean and quantiles per cell of (cells, replications) scores, ignoring NaN draws.

    Sorts ``by_cell`` in place."""
    by_cell.sort(axis=1)  # NaN sorts last
    n = (~np.isnan(by_cell)).sum(axis=1)
    out = {}
    totals = by_cell.sum(axis=1, dtype=np.float64)
    gaps = n < by_cell.shape[1]
    if gaps.any():  # only cells with unscored draws need the slower NaN-aware sum
        totals[gaps] = np.nansum(by_cell[gaps], axis=1, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_score"] = np.where(n > 0, totals / n, np.nan)
    rows = np.arange(by_cell.shape[0])
    for q in (0.05, 0.95):
        lo, hi, frac = _order_stat_positions(n, q)
        value = by_cell[rows, lo] * (1 - frac) + by_cell[rows, hi] * frac
        out[f"score_q{round(q * 100):02d}"] = np.where(n > 0, value, np.nan)
    return out


def rank_summary(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, median and quantiles per cell from rank histograms (cells, 1 + units); column 0
    counts draws without a rank."""
    hist = counts[:, 1:]
    n = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    ranks = np.arange(1, hist.shape[1] + 1)
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_rank"] = np.where(n > 0, (hist * ranks).sum(axis=1) / n, np.nan)

    def order_stat(k: np.ndarray) -> np.ndarray:
        return (cum > k[:, None]).argmax(axis=1) + 1.0

    for name, q in (("median_rank", 0.5), ("rank_q05", 0.05), ("rank_q95", 0.95)):
        lo, hi, frac = _order_stat_positions(n, q)
        out[name] = np.where(n > 0, order_stat(lo) * (1 - frac) + order_stat(hi) * frac, np.nan)
    return out


def uncertainty(spec: Spec, data: pd.DataFrame, inputs: tuple[UncertainInput, ...] | None = None,
                n: int = 1000, seed: int = 0, progress: bool = False) -> pd.DataFrame:
    """Score and rank distributions of the index per unit and year over ``n`` replications.

    ``inputs`` default to the spec's ``[[uncertainty]]`` entries. Returns one row per unit-year
    of the data with columns unit, year, nominal_score, nominal_rank, mean_score, score_q05,
    score_q95, mean_rank, median_rank, rank_q05, rank_q95.
    """
    ctx = make_context(spec, data, inputs)
    panel = ctx.nominal.panel
    n_units, n_years, _ = panel.shape
    cells = n_units * n_years
    design = random_design(ctx, n, np.random.default_rng(seed))
    scores = np.empty((cells, n), dtype=np.float32)  # (year-major) cells x replications
    counts = np.zeros(cells * (n_units + 1), dtype=np.int64)
    cell_offsets = np.arange(cells) * (n_units + 1)
    lock = threading.Lock()

    # histogram index of (cell, rank): the unit at sorted position p of year y has rank p + 1
    # (no ties) unless its score is NaN, which goes to column 0
    position_base = (np.arange(n_years)[:, None] * n_units * (n_units + 1) + np.arange(1, n_units + 1)[None, :])

    def keep(rows: np.ndarray, chunk_scores: np.ndarray, ranking: Ranking) -> None:
        scores[:, rows] = chunk_scores.reshape(rows.size, cells).T
        if ranking.ties:
            ranks = np.nan_to_num(ranking.ranks().reshape(rows.size, cells), nan=0.0).astype(np.int64)
            index = ranks + cell_offsets
        else:
            index = np.multiply(ranking.order.transpose(1, 0, 2), n_units + 1, order="C")  # year-major: stays in cache
            index += position_base[:, None, :]
            missing = np.isnan(chunk_scores).sum(axis=-1).T[:, :, None]
            if missing.any():
                unranked = np.arange(n_units) >= n_units - missing
                index -= np.where(unranked, np.arange(1, n_units + 1), 0)
        chunk_counts = np.bincount(index.ravel(), minlength=counts.size)
        with lock:  # chunks may arrive from several worker threads
            counts[:] += chunk_counts

    evaluate(ctx, design, keep, progress=progress, label="uncertainty")
    summary = {**score_summary(scores), **rank_summary(counts.reshape(cells, n_units + 1))}
    root = ctx.nominal.plan.levels[-1].codes[0]
    year_idx, unit_idx = np.divmod(np.arange(cells), n_units)
    nominal = ctx.nominal.node_scores(root).to_numpy()
    nominal_rank = ctx.nominal.scores.query("node == @root").set_index(["unit", "year"])["rank"]
    frame = pd.DataFrame({"unit": panel.units[unit_idx], "year": panel.years[year_idx],
                          "nominal_score": nominal[unit_idx, year_idx], **summary})
    frame = frame[panel.present[unit_idx, year_idx]]
    keys = pd.MultiIndex.from_arrays([frame["unit"], frame["year"]])
    frame.insert(3, "nominal_rank", nominal_rank.reindex(keys).to_numpy())
    order = ["unit", "year", "nominal_score", "nominal_rank", "mean_score", "score_q05", "score_q95",
             "mean_rank", "median_rank", "rank_q05", "rank_q95"]
    frame = frame[order].sort_values(["year", "nominal_rank", "unit"], na_position="last")
    frame.attrs.update(replications=n, seed=seed, inputs=[u.label for u in ctx.inputs], node=root)
    return frame.reset_index(drop=True)
