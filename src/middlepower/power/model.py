"""The power model computed: the nominal index run and its Monte Carlo replications, summarised.

One :class:`ModelResult` holds tidy frames for every state and year; the public functions in
:mod:`middlepower.power` select from it. Replications come from the index engine's
public block interface (:func:`middlepower.index.run_blocks`: the spec's ``[[uncertainty]]`` inputs
drawn at random, the pillars' scores returned per block);
here every replication's pillar scores are turned into scale-free quantities — the percentile of a
state within its year, the tier, and the standardised power gap — so that replications drawn
under different normalisations can be compared. Intervals are the 5th and 95th percentiles over
replications (90% intervals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower import index
from middlepower.power.spec import TIERS, PowerSpec

INTERVAL = (5.0, 95.0)
"""Percentiles over replications that bound every reported interval (a 90% interval)."""


@dataclass
class ModelResult:
    """Tidy results of one model run (see :mod:`middlepower.power` for each frame's columns)."""

    spec: PowerSpec
    indicators: pd.DataFrame
    scores: pd.DataFrame
    tiers: pd.DataFrame
    gap: pd.DataFrame
    replications: int
    seconds: float = 0.0


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis (1 = lowest), ties sharing their average rank, NaN kept NaN.

    The vectorised equivalent of ``scipy.stats.rankdata(..., nan_policy="omit")`` on every row.
    """
    missing = np.isnan(values)
    finite = np.where(missing, np.inf, values)  # numpy sorts +inf about twice as fast as NaN
    order = np.argsort(finite, axis=-1)  # tied values end up adjacent whatever the sort's stability
    ordered = np.take_along_axis(finite, order, axis=-1)
    size = values.shape[-1]
    position = np.arange(size)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    ends = np.ones(ordered.shape, dtype=bool)
    ends[..., :-1] = starts[..., 1:]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    last = np.flip(np.minimum.accumulate(np.flip(np.where(ends, position, size), axis=-1), axis=-1), axis=-1)
    ranks = np.empty(values.shape, dtype=float)
    np.put_along_axis(ranks, order, (first + last) / 2.0 + 1.0, axis=-1)
    ranks[missing] = np.nan
    return ranks


def interval(values: np.ndarray, bounds: tuple[float, float] = INTERVAL) -> tuple[np.ndarray, np.ndarray]:
    """Percentiles ``bounds`` over axis 0 ignoring NaN (linear interpolation, as numpy's default)."""
    ordered = np.sort(values, axis=0)  # NaN sorts last
    count = np.sum(~np.isnan(values), axis=0)
    out = []
    for bound in bounds:
        where = bound / 100.0 * np.maximum(count - 1, 0)
        below = np.floor(where).astype(int)
        above = np.minimum(below + 1, np.maximum(count - 1, 0))
        low = np.take_along_axis(ordered, below[None], axis=0)[0]
        high = np.take_along_axis(ordered, above[None], axis=0)[0]
        value = low + (where - below) * (high - low)
        out.append(np.where(count > 0, value, np.nan))
    return out[0], out[1]


def percentile_within_year(values: np.ndarray) -> np.ndarray:
    """Percentile rank (0-100, 100 = highest) of each unit among the units with a value, per year.

    ``values`` is (..., units, years); NaN stays NaN. Ties share their average rank.
    """
    # float32 halves the sort's work; scores differ at the 1e-7 level only where they are tied anyway
    ranks = np.swapaxes(average_ranks(np.swapaxes(values.astype(np.float32), -1, -2)), -1, -2)
    n = np.sum(~np.isnan(values), axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1, 100.0 * (ranks - 1.0) / (n - 1.0), np.nan)


def classify(percentiles: np.ndarray, great: float, middle: float) -> np.ndarray:
    """Tier codes: 0 great (>= ``great``), 1 middle (>= ``middle``), 2 small, -1 no score."""
    out = np.full(percentiles.shape, -1, dtype=np.int8)
    out[percentiles < middle] = 2
    out[percentiles >= middle] = 1
    out[percentiles >= great] = 0
    return out


def standardised_gap(capability: np.ndarray, influence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Residuals of influence on capability by OLS across units, per year: (points, standardised).

    Arrays are (..., units, years). Only units with both scores enter a year's fit; the
    standardised residual divides by the fit's residual standard deviation (n - 2 denominator).
    """
    both = ~np.isnan(capability) & ~np.isnan(influence)
    x, y = np.where(both, capability, 0.0), np.where(both, influence, 0.0)
    n = both.sum(axis=-2, keepdims=True).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = x.sum(axis=-2, keepdims=True) / n, y.sum(axis=-2, keepdims=True) / n
        dx = np.where(both, x - mx, 0.0)
        slope = (dx * (y - my)).sum(axis=-2, keepdims=True) / (dx * dx).sum(axis=-2, keepdims=True)
        resid = np.where(both, y - my - slope * dx, np.nan)
        sd = np.sqrt(np.nansum(resid**2, axis=-2, keepdims=True) / (n - 2))
        return resid, np.where(n > 2, resid / sd, np.nan)


REPLICATION_BLOCK = 125
"""Replications per engine block (:class:`middlepower.index.Job`): bounds the memory of a block's
pillar scores (125 x states x years x nodes float64) on the full panel."""


def replicate(spec: PowerSpec, ctx: index.Context, n: int, seed: int, progress=None,
              mapper=None) -> dict[str, np.ndarray]:
    """Evaluate ``n`` random replications; return arrays (n, units, years).

    Keys: ``pct:<node>`` (percentile within year of each pillar and the root), ``tier`` (codes of
    :func:`classify` on the tier pillar) and ``gap`` (standardised power gap). The pillar scores
    of each replication come from the engine's public block interface
    (:func:`middlepower.index.run_blocks` with ``nodes``), evaluated by ``mapper`` (default: this
    process's threads; see :func:`middlepower.index.block_mapper` for a Dask cluster).
    """
    settings = spec.settings
    n_units, n_years, _ = ctx.nominal.panel.shape
    nodes = [*spec.pillars, spec.index.root]
    wanted = tuple(dict.fromkeys([*nodes, settings.tier_pillar, settings.capability_pillar,
                                  *settings.influence_pillars]))
    out = {f"pct:{c}": np.full((n, n_units, n_years), np.nan, np.float32) for c in nodes}
    out["tier"] = np.full((n, n_units, n_years), -1, np.int8)
    out["gap"] = np.full((n, n_units, n_years), np.nan, np.float32)
    job = index.Job(ctx, n, seed, output="none", nodes=wanted, block_size=REPLICATION_BLOCK)
    for block in index.run_blocks(job, mapper, progress=progress):
        rows, scores = slice(block.rows.start, block.rows.stop), block.nodes
        for code in nodes:
            out[f"pct:{code}"][rows] = percentile_within_year(scores[code])
        tier_pct = out[f"pct:{settings.tier_pillar}"][rows] if settings.tier_pillar in nodes else \
            percentile_within_year(scores[settings.tier_pillar])
        out["tier"][rows] = classify(tier_pct, settings.great_percentile, settings.middle_percentile)
        influence = influence_score([scores[c] for c in settings.influence_pillars])
        out["gap"][rows] = standardised_gap(scores[settings.capability_pillar], influence)[1]
    return out


def influence_score(pillars: list[np.ndarray]) -> np.ndarray:
    """The influence score of the power gap: mean of the influence pillars a state has (NaN if none)."""
    stacked = np.stack(pillars)
    present = ~np.isnan(stacked)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(present.any(axis=0), np.nansum(stacked, axis=0) / present.sum(axis=0), np.nan)


def tier_names(codes: np.ndarray) -> np.ndarray:
    names = np.array([*TIERS, None], dtype=object)
    return names[np.where(codes < 0, len(TIERS), codes)]
