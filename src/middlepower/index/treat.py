"""Outlier treatment of ``X[unit, year, indicator]``, column by column (one year, one indicator).

Skewness and kurtosis are COINr's (the e1071 / Excel "type 2" estimators), over the n non-missing
units of a column, with m_r = mean((x - mean(x))^r):

    skew = g1 * sqrt(n (n - 1)) / (n - 2),                 g1 = m3 / m2^1.5
    kurt = ((n + 1) g2 + 6) (n - 1) / ((n - 2) (n - 3)),   g2 = m4 / m2^2 - 3   (excess kurtosis)

A column *fails* when |skew| >= skew_thresh and kurt >= kurt_thresh (COINr's check_SkewKurt passes
when |skew| < skew_thresh or kurt < kurt_thresh).

``winsorise`` (COINr's default treatment): while a column fails and fewer than ``winmax`` points
have been treated, the most extreme point on the side of the skew (the maximum if skew > 0, else
the minimum) is set to the next value inward; the check is repeated after each point. A column
that still fails after ``winmax`` points is restored and given the ``fallback`` transform instead.
Points tied at the extreme move together and count as one point.

``log``: ln(x), applied only to columns whose values are all > 0 (others are left as they are).
``log_ct``: ln(x - min(x) + a), a = 0.01 (max(x) - min(x)) (COINr's log_CT; safe for any sign).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from middlepower.index import _nan
from middlepower.index.spec import Method


@dataclass(frozen=True)
class TreatmentLog:
    """What treatment did, per (year, indicator): points winsorised and whether the fallback ran."""

    winsorised_points: np.ndarray
    transformed: np.ndarray


def skew_kurt(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """COINr skewness and excess kurtosis along axis 0 (units), NaN-aware; NaN when n < 4."""
    present = ~np.isnan(X)
    n = present.sum(axis=0).astype(float)
    filled = np.where(present, X, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
    centred = np.where(present, filled - mean[None], 0.0)  # gaps contribute nothing
    squared = centred * centred
    m2 = squared.sum(axis=0) / np.maximum(n, 1)
    m3 = (squared * centred).sum(axis=0) / np.maximum(n, 1)
    m4 = (squared * squared).sum(axis=0) / np.maximum(n, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = m3 / m2**1.5
        g2 = m4 / m2**2 - 3.0
        skew = g1 * np.sqrt(n * (n - 1)) / (n - 2)
        kurt = ((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3))
    small = n < 4
    skew[small] = np.nan
    kurt[small] = np.nan
    return skew, kurt


def fails_check(X: np.ndarray, skew_thresh: float, kurt_thresh: float) -> np.ndarray:
    skew, kurt = skew_kurt(X)
    with np.errstate(invalid="ignore"):
        return (np.abs(skew) >= skew_thresh) & (kurt >= kurt_thresh)


def log_ct(X: np.ndarray) -> np.ndarray:
    lo = _nan.nanmin(X, axis=0)[None]
    span = _nan.nanmax(X, axis=0)[None] - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.log(X - lo + 0.01 * span)
    return np.where(span > 0, out, X)


def log_positive(X: np.ndarray) -> np.ndarray:
    positive = ~(_nan.nanmin(X, axis=0) <= 0)[None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(positive, np.log(np.where(positive, X, 1.0)), X)


def _winsorise_step(X: np.ndarray, active: np.ndarray) -> np.ndarray:
    skew, _ = skew_kurt(X)
    hi = _nan.nanmax(X, axis=0)[None]
    lo = _nan.nanmin(X, axis=0)[None]
    next_hi = _nan.nanmax(np.where(X < hi, X, np.nan), axis=0)[None]
    next_lo = _nan.nanmin(np.where(X > lo, X, np.nan), axis=0)[None]
    upper = (active & (skew > 0))[None]
    lower = (active & (skew < 0))[None]
    X = np.where(upper & (X == hi) & ~np.isnan(next_hi), next_hi, X)
    return np.where(lower & (X == lo) & ~np.isnan(next_lo), next_lo, X)


def winsorise(X: np.ndarray, winmax: int, skew_thresh: float, kurt_thresh: float,
              fallback: str) -> tuple[np.ndarray, TreatmentLog]:
    """COINr-style winsorisation with transform fallback; see the module docstring."""
    treated = X.copy()
    active = fails_check(X, skew_thresh, kurt_thresh)
    points = np.zeros(active.shape, dtype=np.int64)
    for _ in range(int(winmax)):  # at most winmax passes over all columns at once
        if not active.any():
            break
        treated = _winsorise_step(treated, active)
        points += active
        active &= fails_check(treated, skew_thresh, kurt_thresh)
    if fallback != "none" and active.any():
        transformed = log_ct(X) if fallback == "log_ct" else log_positive(X)
        treated = np.where(active[None], transformed, treated)
        points[active] = 0
    else:
        active = np.zeros_like(active)
    return treated, TreatmentLog(points, active)


def treat(X: np.ndarray, method: Method) -> tuple[np.ndarray, TreatmentLog]:
    """Apply ``method`` to every (year, indicator) column of X; returns (treated X, log)."""
    shape = X.shape[1:]
    if method.name == "none":
        return X.copy(), TreatmentLog(np.zeros(shape, np.int64), np.zeros(shape, bool))
    if method.name == "log":
        return log_positive(X), TreatmentLog(np.zeros(shape, np.int64), ~(_nan.nanmin(X, axis=0) <= 0))
    if method.name == "log_ct":
        return log_ct(X), TreatmentLog(np.zeros(shape, np.int64), np.ones(shape, bool))
    kw = method.kw
    return winsorise(X, int(kw["winmax"]), float(kw["skew_thresh"]), float(kw["kurt_thresh"]), str(kw["fallback"]))
