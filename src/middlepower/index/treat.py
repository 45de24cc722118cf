"""Outlier treatment of ``X[unit, year, indicator]``, column by column (one year, one indicator).

The rules are COINr 1.1.14's (``Treat()``, ``winsorise()``, ``check_SkewKurt()``, ``skew()``,
``kurt()``, ``log_CT()``), edge cases included. Skewness and kurtosis are the e1071 / Excel "type 2"
estimators over the n non-missing units of a column, with m_r = mean((x - mean(x))^r):

    skew = g1 * sqrt(n (n - 1)) / (n - 2),                 g1 = m3 / m2^1.5      (defined for n >= 3)
    kurt = ((n + 1) g2 + 6) (n - 1) / ((n - 2) (n - 3)),   g2 = m4 / m2^2 - 3    (defined for n >= 4)

The check *passes* when |skew| < skew_thresh or kurt < kurt_thresh, *fails* when both bounds are
reached, and is *undefined* when neither passes and one of them is undefined (R's NA logic: n < 3,
a constant column, or n = 3 with |skew| >= skew_thresh). An undefined column is never treated.

``winsorise`` (COINr's default treatment): while a column fails and fewer than ``winmax`` points
have been treated, the extreme on the side of the skew (the maximum if skew >= 0, else the
minimum) is set to the next value inward, all points tied at that extreme at once; the check is
repeated after each step. Points are counted one by one: the count is the number of points at the
high end that were last moved (the moved points and those tied with them) plus the same at the low
end, so two points tied at the maximum count as two. A column that still fails when the loop stops
is restored and given the ``fallback`` transform instead (``log_ct``, COINr's default second stage);
one whose check becomes undefined is restored and left untreated (COINr returns it untreated).

``log``: ln(x), applied only to columns whose values are all > 0 (others are left as they are).
``log_ct``: ln(x - min(x) + a), a = 0.01 (max(x) - min(x)) (COINr's log_CT; safe for any sign).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from middlepower.index import _nan
from middlepower.index.spec import Method


@dataclass(frozen=True)
class TreatmentLog:
    """What treatment did, per (year, indicator): points winsorised and whether the fallback ran.

    ``trajectory`` is the winsorisation loop's :class:`Trajectory` (winsorise only), which serves
    every shorter ``winmax`` on the same data (the uncertainty analysis reuses the nominal run's)."""

    winsorised_points: np.ndarray
    transformed: np.ndarray
    trajectory: Trajectory | None = field(default=None, repr=False, compare=False)


def skew_kurt(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """COINr skewness and excess kurtosis along axis 0 (units), NaN-aware; skew is NaN when n < 3
    (or the column is constant), kurtosis when n < 4."""
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
    skew[n < 3] = np.nan
    kurt[n < 4] = np.nan
    return skew, kurt


PASS, FAIL, UNDEFINED = 1, 0, -1


def check(X: np.ndarray, skew_thresh: float, kurt_thresh: float) -> np.ndarray:
    """COINr's check_SkewKurt per column: PASS, FAIL or UNDEFINED (R's NA), as int8."""
    return _checked(X, skew_thresh, kurt_thresh)[0]


def _checked(X: np.ndarray, skew_thresh: float, kurt_thresh: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`check` and the skewness it rests on."""
    skew, kurt = skew_kurt(X)
    with np.errstate(invalid="ignore"):
        passes = (np.abs(skew) < skew_thresh) | (kurt < kurt_thresh)
        fails = (np.abs(skew) >= skew_thresh) & (kurt >= kurt_thresh)
    return np.where(passes, PASS, np.where(fails, FAIL, UNDEFINED)).astype(np.int8), skew


def fails_check(X: np.ndarray, skew_thresh: float, kurt_thresh: float) -> np.ndarray:
    return check(X, skew_thresh, kurt_thresh) == FAIL


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


def _move_extreme(X: np.ndarray, side: np.ndarray, high: bool) -> tuple[np.ndarray, np.ndarray]:
    """X with the extreme of each ``side`` column moved to the next value inward, and the number
    of points moved per column (all points tied at the extreme)."""
    extreme = (_nan.nanmax if high else _nan.nanmin)(X, axis=0)[None]
    at = (X == extreme) & side[None]
    inward = np.where(X < extreme, X, np.nan) if high else np.where(X > extreme, X, np.nan)
    nxt = (_nan.nanmax if high else _nan.nanmin)(inward, axis=0)[None]
    return np.where(at, nxt, X), at.sum(axis=0)


@dataclass(frozen=True)
class Trajectory:
    """COINr's winsorisation loop, step by step, on the columns (units x columns) of a flattened X.

    ``moved[k]`` = (column numbers, their values (units x columns)) after step k + 1: only the
    columns still failing (and below ``winmax``) take a step; ``counts`` and ``statuses``
    (steps + 1, columns) are the points counted and the check status after 0, 1, ... steps.
    ``winmax``, ``skew_thresh`` and ``kurt_thresh`` are the loop's parameters.
    """

    winmax: int
    skew_thresh: float
    kurt_thresh: float
    start: np.ndarray
    moved: list[tuple[np.ndarray, np.ndarray]]
    counts: np.ndarray
    statuses: np.ndarray


def winsorise_trajectory(X: np.ndarray, winmax: int, skew_thresh: float, kurt_thresh: float) -> Trajectory:
    """COINr's winsorisation loop on every column of X (units first) at once, before any fallback.

    Each step moves one extreme (with its ties) of every column still failing and below
    ``winmax``, and checks those columns again; the others are not touched. The count never
    falls, so there are at most ``winmax`` steps. A column's steps depend on that column only, so
    the run for a smaller winmax is a prefix of this one."""
    flat = X.reshape(X.shape[0], -1)
    status, skew = _checked(flat, skew_thresh, kurt_thresh)
    n_high = np.zeros(status.shape, dtype=np.int64)  # points at the top that were last moved
    n_low = np.zeros(status.shape, dtype=np.int64)
    counts, statuses, moved = [n_high + n_low], [status], []
    active = np.flatnonzero((status == FAIL) & (winmax > 0))
    values, skew = flat[:, active], skew[active]  # the check's skewness says which side moves
    while active.size:
        high = skew >= 0  # COINr: skew >= 0 means high outliers
        if high.any():
            values, count = _move_extreme(values, high, True)
            n_high[active[high]] = count[high]
        if not high.all():
            values, count = _move_extreme(values, ~high, False)
            n_low[active[~high]] = count[~high]
        status = status.copy()
        status[active], skew = _checked(values, skew_thresh, kurt_thresh)
        moved.append((active, values))
        counts.append(n_high + n_low)
        statuses.append(status)
        going = (status[active] == FAIL) & (counts[-1][active] < winmax)
        active, values, skew = active[going], values[:, going], skew[going]
    return Trajectory(winmax, skew_thresh, kurt_thresh, flat, moved, np.stack(counts), np.stack(statuses))


def _finish(X: np.ndarray, treated: np.ndarray, points: np.ndarray, status: np.ndarray,
            transformed, path: Trajectory) -> tuple[np.ndarray, TreatmentLog]:
    """Undefined columns restored untreated (as COINr returns them), failing ones given the fallback
    (``transformed()`` returns X under it, or None for no fallback)."""
    undefined = status == UNDEFINED
    if undefined.any():
        treated = np.where(undefined[None], X, treated)
        points = np.where(undefined, 0, points)
    failing = status == FAIL
    if failing.any() and (fallback := transformed()) is not None:
        treated = np.where(failing[None], fallback, treated)
        points = np.where(failing, 0, points)
    else:
        failing = np.zeros_like(failing)
    return treated, TreatmentLog(points, failing, path)


def winsorise_variants(X: np.ndarray, winmaxes: list[int], skew_thresh: float, kurt_thresh: float,
                       fallback: str, trajectory: Trajectory | None = None) -> list[tuple[np.ndarray, TreatmentLog]]:
    """:func:`winsorise` for several ``winmax`` at once, from one run of the loop (each shorter
    run is a prefix of the longest). Returns (treated X, log) per entry of ``winmaxes``.

    ``trajectory``, a run of the loop on the same X (e.g. the nominal run's log), is reused when
    its parameters allow (same thresholds, a winmax at least as large)."""
    longest = max(int(w) for w in winmaxes)
    reusable = (trajectory is not None and trajectory.winmax >= longest and trajectory.start.size == X.size
                and (trajectory.skew_thresh, trajectory.kurt_thresh) == (skew_thresh, kurt_thresh))
    path = trajectory if reusable else winsorise_trajectory(X, longest, skew_thresh, kurt_thresh)
    cache: list[np.ndarray] = []

    def transformed() -> np.ndarray | None:
        if fallback == "none":
            return None
        if not cache:
            cache.append(log_ct(X) if fallback == "log_ct" else log_positive(X))
        return cache[0]

    out: list[tuple[np.ndarray, TreatmentLog]] = []
    columns = np.arange(path.counts.shape[1])
    done: dict[bytes, tuple[np.ndarray, TreatmentLog]] = {}  # every column stops where it did for another winmax
    for winmax in winmaxes:
        # a column stops at the first step where it no longer fails or has winmax points
        going = (path.statuses == FAIL) & (path.counts < int(winmax))
        stop = np.where(going.all(axis=0), len(path.counts) - 1, np.argmin(going, axis=0))
        if stop.tobytes() in done:
            out.append(done[stop.tobytes()])
            continue
        treated = path.start.copy()
        for step, (moved, values) in enumerate(path.moved, start=1):
            here = stop[moved] == step
            if here.any():
                treated[:, moved[here]] = values[:, here]
        points, status = path.counts[stop, columns], path.statuses[stop, columns]
        out.append(_finish(X, treated.reshape(X.shape), points.reshape(X.shape[1:]), status.reshape(X.shape[1:]),
                           transformed, path))
        done[stop.tobytes()] = out[-1]
    return out


def winsorise(X: np.ndarray, winmax: int, skew_thresh: float, kurt_thresh: float,
              fallback: str) -> tuple[np.ndarray, TreatmentLog]:
    """COINr-style winsorisation with transform fallback; see the module docstring."""
    return winsorise_variants(X, [winmax], skew_thresh, kurt_thresh, fallback)[0]


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
