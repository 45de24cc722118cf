"""NaN-aware reductions that stay silent on all-NaN slices (they return NaN, as the docs say)."""

from __future__ import annotations

import warnings

import numpy as np


def count(x: np.ndarray, axis) -> np.ndarray:
    return np.sum(~np.isnan(x), axis=axis)


def nanmax(x: np.ndarray, axis, keepdims: bool = False) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmax(x, axis=axis, keepdims=keepdims)


def nanmin(x: np.ndarray, axis, keepdims: bool = False) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmin(x, axis=axis, keepdims=keepdims)


def nanmean(x: np.ndarray, axis) -> np.ndarray:
    n = count(x, axis)
    total = np.nansum(x, axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def nanstd(x: np.ndarray, axis, ddof: int = 1, keepdims: bool = False) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanstd(x, axis=axis, ddof=ddof, keepdims=keepdims)


def nanmedian(x: np.ndarray, axis) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(x, axis=axis)
