"""Imputation of missing indicator values, acting on ``X[unit, year, indicator]``.

Methods (formulas in docs/index-engine.md):

- ``none``: leave NaN in place (aggregation then follows its missing-value rule).
- ``group_mean`` / ``group_median``: a missing x[u, t, i] becomes the mean / median of indicator i
  in year t over the units of u's group (grouping column of the spec) that have a value.
- ``forward``: carry the unit's last earlier observed value forward in time.
- ``backward``: carry the unit's next later observed value backward in time.
- ``forward_backward``: forward, then backward for gaps at the start of a series.
"""

from __future__ import annotations

import numpy as np

from middlepower.errors import SpecError
from middlepower.index import _nan
from middlepower.index.spec import Method


def carry_forward(X: np.ndarray) -> np.ndarray:
    """Fill each NaN with the latest earlier value of the same unit and indicator (axis 1 = time)."""
    years = np.arange(X.shape[1]).reshape(1, -1, 1)
    last_seen = np.where(np.isnan(X), 0, years)
    np.maximum.accumulate(last_seen, axis=1, out=last_seen)
    return np.take_along_axis(X, last_seen, axis=1)


def carry_backward(X: np.ndarray) -> np.ndarray:
    return carry_forward(X[:, ::-1])[:, ::-1].copy()


def group_fill(X: np.ndarray, groups: np.ndarray, statistic: str) -> np.ndarray:
    """Fill NaN with the group's mean or median in the same year (units without a group keep NaN)."""
    out = X.copy()
    labels = [g for g in dict.fromkeys(groups.ravel()) if g is not None and g == g]
    for label in labels:  # few groups: a loop over groups, never over units or years
        member = (groups == label)[:, :, None]
        values = np.where(member, X, np.nan)
        fill = _nan.nanmean(values, axis=0) if statistic == "mean" else _nan.nanmedian(values, axis=0)
        gap = member & np.isnan(X)
        out = np.where(gap, fill[None, :, :], out)
    return out


def impute(X: np.ndarray, method: Method, groups: np.ndarray | None) -> np.ndarray:
    """Return a copy of X with missing values filled by ``method``."""
    if method.name == "none":
        return X.copy()
    if method.name in ("group_mean", "group_median"):
        if groups is None:
            raise SpecError(f"imputation {method.name!r}: the spec names no 'group' column")
        return group_fill(X, groups, method.name.removeprefix("group_"))
    if method.name == "forward":
        return carry_forward(X)
    if method.name == "backward":
        return carry_backward(X)
    return carry_backward(carry_forward(X))
