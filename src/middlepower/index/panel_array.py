"""From a wide data frame (one row per unit and year, one column per indicator) to the engine's
array ``X[unit, year, indicator]`` (float64, NaN where missing).

This is the boundary where data meet a spec: unknown columns and duplicated unit-years are
reported here, once, with a one-line error naming the entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower.errors import DataError, SpecError
from middlepower.index.spec import Spec


@dataclass(frozen=True)
class PanelArray:
    """Indicator values of every unit and year, aligned with the spec's indicators.

    ``X`` has shape (units, years, indicators); ``groups`` (units, years) holds the grouping
    column used by group imputation (or None); ``present`` marks unit-years that are rows of the
    input (others are all-NaN padding and never get a score).
    """

    units: np.ndarray
    years: np.ndarray
    codes: tuple[str, ...]
    X: np.ndarray
    groups: np.ndarray | None
    present: np.ndarray

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.X.shape  # type: ignore[return-value]


def _require_column(columns: set, column: str, where: str) -> None:
    if column not in columns:
        raise SpecError(f"{where}: column {column!r} not in data")


def _numeric(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    series = frame[column]
    if series.dtype.kind in "fiub":  # already numeric: no per-value check needed
        return series.to_numpy(dtype=float, na_value=np.nan, copy=True)
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        raise DataError(f"{what}: non-numeric value {frame[column][bad].iloc[0]!r}")
    return values.to_numpy(dtype=float)


def _indicator_values(frame: pd.DataFrame, spec: Spec) -> np.ndarray:
    """(rows, indicators) float values, each divided by its denominator column if it has one."""
    names = list(dict.fromkeys(c for ind in spec.indicators for c in (ind.column, ind.denominator) if c))
    # one conversion for every numeric column (per column it costs more than a small run), the columns
    # taken by position when their names are unique
    position = {name: k for k, name in enumerate(frame.columns)}
    kinds = dict(zip(frame.columns, (dtype.kind for dtype in frame.dtypes), strict=True))
    numeric = [name for name in names if kinds[name] in "fiub"]
    sub = frame.take([position[name] for name in numeric], axis=1) if len(position) == frame.shape[1] \
        else frame[numeric]
    columns = dict(zip(numeric, sub.to_numpy(dtype=float, na_value=np.nan).T, strict=True)) if numeric else {}
    columns.update({name: _numeric(frame, name, f"column {name!r}") for name in names if name not in columns})
    values = np.column_stack([columns[ind.column] for ind in spec.indicators])
    for j, ind in enumerate(spec.indicators):
        if ind.denominator is not None:  # COINr's Denominate: x / denominator, before anything else
            with np.errstate(invalid="ignore", divide="ignore"):
                values[:, j] /= columns[ind.denominator]
    return values


def panel_from_frame(spec: Spec, frame: pd.DataFrame) -> PanelArray:
    """Align a wide frame with ``spec``; returns the PanelArray the pipeline runs on."""
    columns = set(frame.columns.tolist())
    _require_column(columns, spec.unit_column, "spec 'unit'")
    if spec.time_column is not None:
        _require_column(columns, spec.time_column, "spec 'time'")
    if spec.group_column is not None:
        _require_column(columns, spec.group_column, "spec 'group'")
    for ind in spec.indicators:
        _require_column(columns, ind.column, f"indicator {ind.code!r}")
        if ind.denominator is not None:
            _require_column(columns, ind.denominator, f"indicator {ind.code!r} denominator")
    if frame.empty:
        raise DataError("data: no rows")
    unit_idx, units = pd.factorize(frame[spec.unit_column].to_numpy(), sort=True)
    if spec.time_column is None:
        year_idx, years = np.zeros(len(frame), dtype=np.int64), np.array([None], dtype=object)
    else:
        year_idx, years = pd.factorize(frame[spec.time_column].to_numpy(), sort=True)
        years = np.asarray(years)
    if (unit_idx < 0).any() or (year_idx < 0).any():
        raise DataError(f"data: missing value in column {spec.unit_column!r} or {spec.time_column!r}")
    key = unit_idx * len(years) + year_idx
    order = np.argsort(key, kind="stable")
    repeated = order[1:][key[order][1:] == key[order][:-1]]  # rows whose unit-year came before
    if repeated.size:
        row = frame.iloc[int(repeated.min())]
        when = "" if spec.time_column is None else f", {spec.time_column}={row[spec.time_column]}"
        raise DataError(f"data: unit {row[spec.unit_column]!r}{when} appears twice")
    values = _indicator_values(frame, spec)
    values[~np.isfinite(values)] = np.nan  # also x / 0
    X = np.full((len(units), len(years), len(spec.indicators)), np.nan)
    X[unit_idx, year_idx] = values
    present = np.zeros((len(units), len(years)), dtype=bool)
    present[unit_idx, year_idx] = True
    groups = None
    if spec.group_column is not None:
        groups = np.full((len(units), len(years)), None, dtype=object)
        groups[unit_idx, year_idx] = frame[spec.group_column].to_numpy(dtype=object)
    return PanelArray(np.asarray(units), years, tuple(spec.indicator_codes), X, groups, present)
