"""NaN-aware reductions that stay silent on all-NaN slices (they return NaN, as the docs say)."""

from __future__ import annotations

import warnings

import numpy as np


def count(x: np.ndarray, axis) -> np.ndarray:
    return np.sum(~np.isnan(x), axis=axis)


def nanmax(x: np.ndarray, axis, keepdims: bool = False) -> np.ndarray:
    # fmax ignores NaN and gives NaN for an all-NaN slice without a warning: np.nanmax's values,
    # without the cost of silencing its warning (which is most of a small call)
    return np.fmax.reduce(x, axis=axis, keepdims=keepdims)


def nanmin(x: np.ndarray, axis, keepdims: bool = False) -> np.ndarray:
    return np.fmin.reduce(x, axis=axis, keepdims=keepdims)


def nanmean(x: np.ndarray, axis) -> np.ndarray:
    n = count(x, axis)
    total = np.nansum(x, axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def mean_sd(x: np.ndarray, axis, ddof: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """NaN-aware mean and standard deviation (``ddof`` as numpy's) over ``axis``, dimensions kept:
    np.nanmean's and np.nanstd's values in one pass over the presence mask (NaN where undefined)."""
    present = ~np.isnan(x)
    n = present.sum(axis=axis, keepdims=True)
    filled = np.where(present, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=axis, keepdims=True) / n
        deviation = np.where(present, filled - mean, 0.0)
        variance = (deviation * deviation).sum(axis=axis, keepdims=True) / (n - ddof)
    defined = n - ddof > 0
    return np.where(n > 0, mean, np.nan), np.where(defined, np.sqrt(np.where(defined, variance, 0.0)), np.nan)


def nanstd(x: np.ndarray, axis, ddof: int = 1, keepdims: bool = False) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanstd(x, axis=axis, ddof=ddof, keepdims=keepdims)


def nanmedian(x: np.ndarray, axis) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(x, axis=axis)
