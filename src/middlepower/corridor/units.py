"""Explicit unit conversions: every capacity becomes TEU per year, every time becomes hours.

The sources report capacity in TEU/yr, TEU/day, Mt/yr, trains/day, train pairs/day and trains/yr.
The conversions use two documented parameters from ``parameters.yaml``: tonnes per TEU (14 t gross,
ADY) and TEU per block train (100, ADY). A tonnage capacity counts all cargo (bulk, oil, wagons),
so converting it to TEU overstates the container capacity; the docs say so where it matters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from middlepower.errors import DataError

HOURS_PER = {"h": 1.0, "d": 24.0}

# Leading token of a capacity unit -> (kind, per-period multiplier to a year).
_CAPACITY_UNITS = {
    "TEU/yr": ("teu", 1.0),
    "TEU/day": ("teu", "days"),
    "Mt/yr": ("mt", 1.0),
    "train pairs/day": ("trains", "days"),
    "trains/day": ("trains", "days"),
    "freight trains/yr": ("trains", 1.0),
    "trains/yr": ("trains", 1.0),
}


def capacity_kind(unit: str) -> str | None:
    """Return the recognised leading token of a capacity unit string, or None."""
    text = unit.strip()
    for token in sorted(_CAPACITY_UNITS, key=len, reverse=True):
        if text.startswith(token):
            return token
    return None


def to_teu_per_year(value: float, unit: str, params: Mapping[str, float], where: str) -> float:
    """Return ``value`` in ``unit`` as TEU per year; DataError naming ``where`` for an unknown unit.

    A train pair per day counts as one westbound train per day (the model carries westbound flow).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    token = capacity_kind(unit or "")
    if token is None:
        raise DataError(f"{where}: capacity unit {unit!r} is not one of {', '.join(_CAPACITY_UNITS)}")
    kind, period = _CAPACITY_UNITS[token]
    per_year = params["days_per_year"] if period == "days" else period
    if kind == "teu":
        return value * per_year
    if kind == "mt":
        return value * 1e6 / params["tonnes_per_teu"] * per_year
    return value * params["teu_per_train"] * per_year


def to_hours(value: float, unit: str, where: str) -> float:
    """Return a duration in hours; DataError naming ``where`` for a unit other than h or d."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    if unit not in HOURS_PER:
        raise DataError(f"{where}: time unit {unit!r} is not 'h' or 'd'")
    return value * HOURS_PER[unit]
