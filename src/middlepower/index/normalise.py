"""Normalisation of ``X[unit, year, indicator]`` onto comparable scales.

Direction first (COINr's convention): x' = d * x with d = +1 or -1, so that higher is always
better. Statistics are taken over units within each year (``scope = "year"``) or over all
unit-years at once (``scope = "panel"``, comparable across years). Formulas, with min, max, mean,
sd (n - 1 denominator, as R's sd) and rank over the non-missing x' of the scope:

- ``minmax``:      low + (x' - min) / (max - min) * (high - low)
- ``zscore``:      mean_target + (x' - mean) / sd * sd_target
- ``rank``:        rank of x' among units, 1 = lowest, ties get the average rank (R's default)
- ``percentile``:  100 * (rank - 1) / (n - 1)
- ``dist2target``: scale * min(1, 1 - (t' - x') / (max - min)), t' = d * target
- ``goalposts``:   scale * clip((x - worst) / (best - worst), 0, 1), worst and best in the
  indicator's own units (direction is implied by their order)

A column with max = min (or sd = 0, or a single value for percentile) carries no information and
normalises to NaN.
"""

from __future__ import annotations

import numpy as np

from middlepower.index import _nan
from middlepower.index.spec import Indicator, Method


def _axes(scope: str) -> tuple[int, ...]:
    return (0,) if scope == "year" else (0, 1)


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _minmax_parts(Xd: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo = _nan.nanmin(Xd, axis=axes, keepdims=True)
    hi = _nan.nanmax(Xd, axis=axes, keepdims=True)
    return lo, hi, hi - lo


def _ranks(Xd: np.ndarray, scope: str) -> np.ndarray:
    from scipy.stats import rankdata  # SciPy only for the rank methods: it costs a second to import

    if scope == "year":
        return rankdata(Xd, axis=0, nan_policy="omit")
    flat = Xd.reshape(-1, Xd.shape[2])
    return rankdata(flat, axis=0, nan_policy="omit").reshape(Xd.shape)


def normalise(X: np.ndarray, method: Method, indicators: tuple[Indicator, ...]) -> np.ndarray:
    """Return the normalised copy of X (same shape); see the module docstring for formulas."""
    kw = method.kw
    direction = np.array([i.direction for i in indicators], dtype=float)
    Xd = X * direction
    if method.name == "goalposts":
        worst = np.array([i.goalposts[0] for i in indicators])  # type: ignore[index]
        best = np.array([i.goalposts[1] for i in indicators])  # type: ignore[index]
        return float(kw["scale"]) * np.clip((X - worst) / (best - worst), 0.0, 1.0)
    axes = _axes(str(kw["scope"]))
    if method.name == "minmax":
        lo, _, span = _minmax_parts(Xd, axes)
        low, high = float(kw["low"]), float(kw["high"])
        return low + _safe_divide(Xd - lo, span) * (high - low)
    if method.name == "zscore":
        mean, sd = _nan.mean_sd(Xd, axis=axes, ddof=1)
        return float(kw["mean"]) + _safe_divide(Xd - mean, sd) * float(kw["sd"])
    if method.name == "dist2target":
        _, _, span = _minmax_parts(Xd, axes)
        target = np.array([i.target for i in indicators], dtype=float) * direction
        return float(kw["scale"]) * np.minimum(1.0, 1.0 - _safe_divide(target - Xd, span))
    ranks = _ranks(Xd, str(kw["scope"]))
    if method.name == "rank":
        return ranks
    n = _nan.count(Xd, axis=axes).reshape([1 if a in axes else s for a, s in enumerate(Xd.shape)])
    return 100.0 * _safe_divide(ranks - 1.0, (n - 1.0) * np.ones_like(ranks))
