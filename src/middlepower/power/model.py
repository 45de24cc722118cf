"""The model's numerics, per replication: percentiles within the year, tiers, conduct, classes, power gap.

Every replication's node scores (from :mod:`middlepower.power.engine`) are turned into scale-free
quantities — the percentile of a state within its year, its tier, whether its conduct is a
middle power's, its class, and the standardised power gap — so that replications drawn under
different normalisations and imputed data sets can be pooled. :class:`Draws` accumulates them;
intervals are the 5th and 95th percentiles over replications (90% intervals).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower.config import COMPUTE_THREADS
from middlepower.intervals import PERCENTILES
from middlepower.power.spec import CLASSES, TIERS, PowerSettings

INTERVAL = PERCENTILES
"""Percentiles over replications that bound every reported interval (:mod:`middlepower.intervals`)."""


@dataclass
class ModelResult:
    """Tidy results of one model run (see :mod:`middlepower.power` for each frame's columns).

    ``default_last_year`` is the last year in which every pillar has real data for most states;
    frames run to ``years[1]``, later years flagged by their vintage columns.
    """

    spec: object
    indicators: pd.DataFrame
    scores: pd.DataFrame
    tiers: pd.DataFrame
    classes: pd.DataFrame
    gap: pd.DataFrame
    vintage: pd.DataFrame
    replications: int
    default_last_year: int
    seconds: float = 0.0
    imputation: pd.DataFrame | None = None
    """The missing-data model on held-out real values of its inputs
    (:func:`middlepower.power.imputation.holdout`)."""
    bridge: pd.DataFrame | None = None
    """The bridge between two real years on held-out real values
    (:func:`middlepower.power.imputation.bridge_holdout`)."""


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
    ordered = np.sort(values.astype(np.float32), axis=0)  # NaN sorts last
    count = np.sum(~np.isnan(ordered), axis=0)
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


STORED_PERCENTILE_ERROR = 1e-4
"""Percentile points: the most that storing replications' percentiles as float32 (resolution 7.6e-6 near
100) and interpolating between them can move an interval's bound from the float64 value."""


def percentile_interval(point: np.ndarray, replications: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`interval` of float32 percentile ``replications`` about the float64 ``point``: a bound that
    misses the point by no more than ``STORED_PERCENTILE_ERROR`` is the point (every replication gave the
    same percentile; float32 storage alone put the bound beside it). Bounds farther off are kept: other
    states' imputed values can move a state's percentile in every replication (docs/power.md)."""
    lo, hi = (bound.astype(np.float64) for bound in interval(replications))
    with np.errstate(invalid="ignore"):
        lo = np.where((lo > point) & (lo - point <= STORED_PERCENTILE_ERROR), point, lo)
        hi = np.where((hi < point) & (point - hi <= STORED_PERCENTILE_ERROR), point, hi)
    return lo, hi


def percentile_within_year(values: np.ndarray) -> np.ndarray:
    """Percentile rank (0-100, 100 = highest) of each unit among the units with a value, per year.

    ``values`` is (..., units, years); NaN stays NaN. Ties share their average rank.
    """
    # float32 halves the sort's work; scores differ at the 1e-7 level only where they are tied anyway
    ranks = np.swapaxes(average_ranks(np.swapaxes(values.astype(np.float32), -1, -2)), -1, -2)
    n = np.sum(~np.isnan(values), axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1, 100.0 * (ranks - 1.0) / (n - 1.0), np.nan)


def classify(percentiles: np.ndarray, great: float, middle: float, tiered: np.ndarray | None = None) -> np.ndarray:
    """Tier codes: 0 great (>= ``great``), 1 middle (>= ``middle``), 2 small, -1 no tier.

    ``tiered`` (broadcastable) is False where the state-year has too few real inputs for a tier.
    """
    out = np.full(percentiles.shape, -1, dtype=np.int8)
    out[percentiles < middle] = 2
    out[percentiles >= middle] = 1
    out[percentiles >= great] = 0
    if tiered is not None:
        out[np.broadcast_to(~tiered, out.shape)] = -1
    return out


def class_codes(tiers: np.ndarray, behaviour_percentile: np.ndarray, conduct_cut: float) -> np.ndarray:
    """Class codes (index into ``CLASSES``): great power 0; middle tier with conduct at or above
    ``conduct_cut`` 1, below it 2; small state 3; -1 without a tier (or a middle tier without a
    behaviour score: its conduct is unknown)."""
    out = np.full(tiers.shape, -1, dtype=np.int8)
    out[tiers == 0] = 0
    out[(tiers == 1) & (behaviour_percentile >= conduct_cut)] = 1
    out[(tiers == 1) & (behaviour_percentile < conduct_cut)] = 2
    out[tiers == 2] = 3
    return out


def median_ignoring_nan(values: np.ndarray) -> np.ndarray:
    """Median over the last axis of the values that are not NaN (the mean of the two middle values
    of an even count); NaN where a row has none. Returns an array of ``values.shape[:-1]``."""
    valid = (~np.isnan(values)).sum(axis=-1)
    if valid.size == 0:
        return np.full(values.shape[:-1], np.nan)
    count = int(valid.flat[0])
    if count > 0 and (valid == count).all():
        # one selection for every row (NaN is placed after every number), no full sort
        upper_at = count // 2
        part = np.partition(values, upper_at, axis=-1)
        upper = part[..., upper_at]
        lower = part[..., :upper_at].max(axis=-1) if count % 2 == 0 else upper
        return (lower + upper) / 2
    ordered = np.sort(values, axis=-1)
    last = values.shape[-1] - 1
    lower = np.take_along_axis(ordered, np.clip((valid - 1) // 2, 0, last)[..., None], -1)[..., 0]
    upper = np.take_along_axis(ordered, np.clip(valid // 2, 0, last)[..., None], -1)[..., 0]
    return np.where(valid > 0, (lower + upper) / 2, np.nan)


LOWESS_FRACTION = 2 / 3
"""Share of a year's states in each local fit of the power gap (Cleveland's recommended default)."""

LOWESS_ITERATIONS = 3
"""Robustness iterations of the power gap's local fit (Cleveland's recommended default)."""

_LOWESS_CHUNK = 10
"""Replications per block of the local fit: its (replications, units, units) arrays stay in cache."""

_THREADS = COMPUTE_THREADS
"""Years of the local fit computed side by side (NumPy releases the interpreter lock in its loops)."""


def robust_lowess(x: np.ndarray, y: np.ndarray, fraction: float = LOWESS_FRACTION,
                  iterations: int = LOWESS_ITERATIONS) -> np.ndarray:
    """Robust locally weighted linear fit of ``y`` on ``x`` across units, per year (Cleveland 1979,
    LOWESS), evaluated at every unit's own ``x``: an array like ``y`` in its units, NaN where a
    unit lacks either value or its year has fewer than two units with both.

    Arrays are (..., units, years). Each unit's fit is the weighted least-squares line through the
    ``floor(fraction * n)`` units nearest to it in ``x`` (itself included, at least two), weighted
    by the tricube of their distance over the distance to the farthest of them; where those
    weights give ``x`` no spread, the weighted mean of ``y``. Each robustness iteration multiplies
    every unit's weight by the bisquare of its residual over six times the median absolute
    residual, and fits again. Weights and sums are float32 (scores differ far above its 1e-7).
    """
    units, years = x.shape[-2:]
    xs, ys = x.reshape(-1, units, years), y.reshape(-1, units, years)
    fitted = np.full(xs.shape, np.nan)

    def fit_year(t: int) -> None:  # writes only year t's cells, so years can run side by side
        both = ~np.isnan(xs[:, :, t]) & ~np.isnan(ys[:, :, t])
        present = np.flatnonzero(both.any(axis=0))
        if present.size < 2:
            return
        for first in range(0, xs.shape[0], _LOWESS_CHUNK):
            rows = slice(first, first + _LOWESS_CHUNK)
            valid = both[rows][:, present]
            fit = _lowess_rows(xs[rows, present, t], ys[rows, present, t], valid, fraction, iterations)
            enough = valid.sum(axis=-1, keepdims=True) >= 2
            fitted[rows, present, t] = np.where(valid & enough, fit, np.nan)

    if years > 1 and _THREADS > 1:
        with ThreadPoolExecutor(_THREADS) as pool:
            list(pool.map(fit_year, range(years)))
    else:
        for t in range(years):
            fit_year(t)
    return fitted.reshape(y.shape)


def _lowess_rows(x: np.ndarray, y: np.ndarray, valid: np.ndarray, fraction: float,
                 iterations: int) -> np.ndarray:
    """:func:`robust_lowess` for one year: x, y and valid (rows, units), every row its own data
    set; returns the fitted values (rows, units), meaningless where ``valid`` is False or a row
    has fewer than two valid units."""
    n = valid.sum(axis=-1)
    fill = np.where(valid, x, 0.0).sum(axis=-1, keepdims=True) / np.maximum(n, 1)[:, None]
    # C order, whatever the caller's slice: every (rows, units, units) array below follows it
    x32 = np.ascontiguousarray(np.where(valid, x, fill), np.float32)  # a missing unit: at the mean, weight 0
    y32 = np.ascontiguousarray(np.where(valid, y, 0.0), np.float32)
    span = np.minimum(np.maximum(2, np.floor(fraction * n + 1e-7).astype(int)), np.maximum(n, 1))
    d = np.subtract(x32[:, None, :], x32[:, :, None])  # d[r, i, j] = x_j - x_i
    w = np.abs(d)
    if not valid.all():
        w += np.where(valid, np.float32(0), np.float32(np.inf))[:, None, :]  # never a neighbour
    if (span == span[0]).all():
        h = np.partition(w, span[0] - 1, axis=-1)[..., span[0] - 1]
    else:
        h = np.take_along_axis(np.sort(w, axis=-1), (span - 1)[:, None, None], axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        if (h > 0).all():
            w *= (1 / h)[..., None]
        else:  # a zero radius keeps only the units at distance 0
            w *= np.where(h > 0, 1 / h, np.inf)[..., None]
            w[np.isnan(w)] = 0.0
    np.minimum(w, 1, out=w)
    cube = w * w
    w *= cube
    np.subtract(1, w, out=w)
    np.multiply(w, w, out=cube)
    w *= cube  # tricube (1 - u^3)^3, 0 at and beyond the radius and for missing units
    if (n == 0).any():  # a row without any valid unit has an infinite radius: inf * 0 above
        np.nan_to_num(w, copy=False)
    wd = w * d
    wdd = np.multiply(wd, d, out=d)
    robustness = valid.astype(np.float32)
    fit = _local_lines(w, wd, wdd, robustness, y32)
    for _ in range(iterations):
        residual = np.where(valid, np.abs(y - fit), np.nan)
        scale = 6 * median_ignoring_nan(residual)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(scale > 0, np.minimum(residual / scale, 1), 0.0)
        robustness = np.where(valid, (1 - u * u) ** 2, 0.0).astype(np.float32)
        fit = _local_lines(w, wd, wdd, robustness, y32)
    return fit


def _local_lines(w: np.ndarray, wd: np.ndarray, wdd: np.ndarray, robustness: np.ndarray,
                 y: np.ndarray) -> np.ndarray:
    """Every unit's weighted least-squares line evaluated at its own x (rows, units): weights
    ``w * robustness`` (w is (rows, units, units), row i of a data set the weights around unit i),
    ``wd`` and ``wdd`` the weights times the distance in x and its square. Where the weights give
    x no spread, the weighted mean of y; NaN where they are all 0."""
    weighted = np.stack([robustness, robustness * y], axis=-1)
    s0, sy = np.moveaxis((w @ weighted).astype(float), -1, 0)
    sd, sdy = np.moveaxis((wd @ weighted).astype(float), -1, 0)
    sdd = (wdd @ weighted[..., :1])[..., 0].astype(float)
    spread = s0 * sdd - sd * sd
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(spread > 1e-6 * s0 * sdd, (sdd * sy - sd * sdy) / spread, sy / s0)


def standardised_gap(capability: np.ndarray, influence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Residuals of influence about its robust local fit on capability across units, per year
    (:func:`robust_lowess`): (points of influence, standardised).

    Arrays are (..., units, years). Only units with both scores enter a year's fit; the
    standardised residual divides by the residuals' root mean square about the fit (n - 2
    denominator). NaN where a year has fewer than three such units.
    """
    both = ~np.isnan(capability) & ~np.isnan(influence)
    expected = robust_lowess(capability, influence)
    n = both.sum(axis=-2, keepdims=True).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        resid = np.where(both, influence - expected, np.nan)
        sd = np.sqrt(np.nansum(resid**2, axis=-2, keepdims=True) / (n - 2))
        return resid, np.where(n > 2, resid / sd, np.nan)


class Draws:
    """Per-replication summaries, filled chunk by chunk: percentiles of every node (float32),
    tier and class codes (int8) and the standardised gap (float32), each (R, units, years)."""

    def __init__(self, nodes: list[str], n: int, shape: tuple[int, int], settings: PowerSettings,
                 tiered: np.ndarray):
        self.nodes, self.settings, self.tiered = nodes, settings, tiered
        self.pct = {code: np.full((n, *shape), np.nan, np.float32) for code in nodes}
        self.tier = np.full((n, *shape), -1, np.int8)
        self.cls = np.full((n, *shape), -1, np.int8)
        self.gap = np.full((n, *shape), np.nan, np.float32)

    def add(self, rows: np.ndarray, scores: dict[str, np.ndarray]) -> None:
        s = self.settings
        pct = {code: percentile_within_year(scores[code]) for code in self.nodes}
        for code in self.nodes:
            self.pct[code][rows] = pct[code]
        tiers = classify(pct[s.tier_pillar], s.great_percentile, s.middle_percentile, self.tiered)
        self.tier[rows] = tiers
        self.cls[rows] = class_codes(tiers, pct[s.behaviour_pillar], s.conduct_percentile)
        capability = np.where(self.tiered, scores[s.capability_pillar], np.nan)
        self.gap[rows] = standardised_gap(capability, scores[s.influence_pillar])[1]

    def shares(self, codes: np.ndarray, labels: tuple[str, ...]) -> dict[str, np.ndarray]:
        """Share of replications (with any code >= 0) in each label's code, per unit-year."""
        scored = (codes >= 0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return {label: np.where(scored > 0, (codes == k).sum(axis=0) / scored, np.nan)
                    for k, label in enumerate(labels)}


def tier_names(codes: np.ndarray) -> np.ndarray:
    names = np.array([*TIERS, None], dtype=object)
    return names[np.where(codes < 0, len(TIERS), codes)]


def class_names(codes: np.ndarray) -> np.ndarray:
    names = np.array([*CLASSES, None], dtype=object)
    return names[np.where(codes < 0, len(CLASSES), codes)]
