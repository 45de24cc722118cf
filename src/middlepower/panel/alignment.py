"""Panel verbs for UN General Assembly alignment: ``add_alignment`` and ``add_balance``.

Both take a country-year frame with ``iso3`` and ``year`` and return it with documented columns
added, never dropping or reordering rows. Values rest on the store's UN General Assembly series
(Voeten via {unvotes} to January 2020, UN DGACM from October 2019), complete calendar years only:
1946-2025 while session 80 is being uploaded (the last real year is ``series.last_full_year``).
Other years, and states that cast no vote in a year (non-members, absent all year), get NA.
See docs/alignment.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.alignment import series
from middlepower.errors import DataError

ALIGNMENT_COLUMNS = {
    "un_votes_n": "recorded votes cast on the year's non-unanimous UNGA roll calls (count; the selection "
                  "of alignment.series.SELECTION; 1946-2025)",
    "un_ideal_point": "own dynamic ideal point (sd units; mean 0, sd 1 over all state-years; higher = closer to the USA)",
    "un_ideal_point_se": "Laplace standard error of un_ideal_point (sd units; conditional on roll-call parameters)",
    "un_agree_usa": "strict agreement with the USA: share of common non-unanimous votes cast identically (0-1)",
    "un_agree_rus": "strict agreement with the USSR / Russia (0-1)",
    "un_agree_chn": "strict agreement with the People's Republic of China (0-1; NA before 1971)",
    "un_agree_eu": "strict agreement with the EU members' majority vote (0-1; NA before 1958)",
    "un_distance_usa": "|ideal point - USA's| (sd units)",
    "un_distance_rus": "|ideal point - Russia's| (sd units)",
    "un_distance_chn": "|ideal point - China's| (sd units; NA before 1971)",
    "un_distance_eu": "|ideal point - mean of EU members'| (sd units; NA before 1958)",
}
BALANCE_COLUMNS = {
    "balance_index": "multi-vector balance: 1 - (max - min) over poles of the agreement index (0-1; 1 = even)",
    "balance_poles": "number of poles (USA, RUS, CHN, EU) that entered balance_index",
    "closest_pole": "pole with the highest agreement index that year",
}


def add_alignment(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with the UN alignment columns added (see ``ALIGNMENT_COLUMNS``).

    Adds ``un_votes_n``, ``un_ideal_point``, ``un_ideal_point_se``, ``un_agree_{usa,rus,chn,eu}``
    and ``un_distance_{usa,rus,chn,eu}``. A pole's own row has NA for itself. The first call
    fits the ideal-point model (30-60 s) unless a stored fit exists; later calls reuse it.
    """
    _check(frame)
    points = series.yearly_ideal_points(db).points.rename(
        columns={"n_votes": "un_votes_n", "ideal_point": "un_ideal_point", "se": "un_ideal_point_se"})
    poles = series.yearly_poles(db).rename(columns=lambda c: f"un_{c}" if c.startswith(("agree_", "distance_")) else c)
    values = points[["iso3", "year", "un_votes_n", "un_ideal_point", "un_ideal_point_se"]].merge(
        poles, on=["iso3", "year"], how="outer")
    return _attach(frame, values, list(ALIGNMENT_COLUMNS))


def add_balance(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` with ``balance_index``, ``balance_poles`` and ``closest_pole`` added.

    See ``BALANCE_COLUMNS`` and :mod:`middlepower.alignment.balance` for the formula.
    """
    _check(frame)
    return _attach(frame, series.yearly_balance(db), list(BALANCE_COLUMNS))


def _check(frame: pd.DataFrame) -> None:
    for column in ("iso3", "year"):
        if column not in frame.columns:
            raise DataError(f"panel frame has no column {column!r}: alignment verbs need iso3 and year")


def _attach(frame: pd.DataFrame, values: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    clash = [column for column in columns if column in frame.columns]
    if clash:
        raise DataError(f"panel frame already has column {clash[0]!r}; drop it before adding it again")
    keys = frame[["iso3", "year"]].copy()
    keys["year"] = pd.to_numeric(keys["year"]).astype("Int64")
    values = values.assign(year=values["year"].astype("Int64"))[["iso3", "year", *columns]]
    joined = keys.merge(values, on=["iso3", "year"], how="left", validate="many_to_one")
    out = frame.copy()
    for column in columns:
        out[column] = joined[column].to_numpy()
    return out
