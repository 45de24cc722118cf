"""The country-year frame the panel verbs take and return, and reading it from the store."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from middlepower.errors import DataError, ParameterError
from middlepower.limits import check_year
from middlepower.warehouse import open_store

LAND_NEIGHBOURS_SQL = (
    "SELECT c.iso3, trim(unnest(string_split(c.borders, ','))) AS neighbour "
    "FROM countries c WHERE c.borders IS NOT NULL AND c.borders <> ''"
)
"""SQL rows (iso3, neighbour): each state's land neighbours on today's map (mledoze/countries)."""


def parse_years(text: str) -> tuple[int, int]:
    """Return (first, last) from ``"2022"`` or ``"1990-2022"``: ParameterError naming the text
    (parameter ``years``) when it is neither, DataError when the range is reversed."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-:]\s*(\d{4}))?\s*", str(text))
    if not match:
        raise ParameterError("expected a year like 2022 or a range like 1990-2022", parameter="years", value=str(text))
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise DataError("the range ends before it starts", parameter="years", value=str(text))
    return first, last


def _years(first: object, last: object) -> tuple[int, int]:
    """``(first, last)`` as ints; ParameterError naming ``first`` or ``last`` when one is not a whole
    year, DataError when the range is reversed."""
    first, last = check_year("first", first), check_year("last", last)
    if last < first:
        raise DataError("the range ends before it starts", parameter="years", value=f"{first}-{last}")
    return first, last


def state_years(first: int = 1946, last: int = 2025, db: Path | str | None = None) -> pd.DataFrame:
    """Return the backbone frame: one row per COW system member and year, columns iso3, year, name.

    Membership follows the COW state system as extended to 2025 by {isard}; ISO3 keys follow
    :mod:`middlepower.codes`. DataError when ``last`` comes before ``first``.
    """
    first, last = _years(first, last)
    with open_store(db) as store:
        return store.query(
            "SELECT iso3, year, name FROM state_years WHERE year BETWEEN ? AND ? ORDER BY iso3, year",
            [first, last],
        )


def join_columns(frame: pd.DataFrame, values: pd.DataFrame, verb: str) -> pd.DataFrame:
    """Return ``frame`` with verb ``verb``'s declared columns, taken from ``values`` (iso3, year, ...).

    The one join of every panel verb: a left join on iso3 + year that never drops, duplicates or
    reorders rows and leaves the frame's own columns untouched. DataError naming the verb when the
    frame lacks ``iso3`` or ``year``, or already has one of the verb's columns.
    """
    from middlepower.panel.contract import VERBS

    declared = VERBS[verb].columns
    for column in ("iso3", "year"):
        if column not in frame.columns:
            raise DataError(f"{verb}: the frame needs an {column!r} column (has {', '.join(map(str, frame.columns))})")
    clash = [c for c in declared if c in frame.columns]
    if clash:
        raise DataError(f"{verb}: the frame already has column {clash[0]!r}; drop it before adding it again")
    keys = pd.DataFrame({"iso3": frame["iso3"].to_numpy(),
                         "year": pd.to_numeric(frame["year"]).astype("Int64").to_numpy()})
    values = values.assign(year=pd.to_numeric(values["year"]).astype("Int64"))[["iso3", "year", *declared]]
    joined = keys.merge(values, on=["iso3", "year"], how="left", validate="many_to_one")
    out = frame.copy()
    for column in declared:
        out[column] = joined[column].to_numpy()
    return out


def store_columns(frame: pd.DataFrame, verb: str, db: Path | str | None, extra: list[str] | None = None
                  ) -> pd.DataFrame:
    """Return iso3, year, the store columns of verb ``verb`` and ``extra`` from the store's ``panel`` view."""
    from middlepower.panel.contract import VERBS

    wanted = list(dict.fromkeys([*VERBS[verb].store, *(extra or [])]))
    with open_store(db) as store:
        return store.query(f"SELECT iso3, year, {', '.join(wanted)} FROM panel")


def select(first: int, last: int, columns: list[str] | None = None, db: Path | str | None = None) -> pd.DataFrame:
    """Return the panel view for years ``first``..``last`` with iso3, year, name and ``columns``.

    ``None`` selects every column; a column named twice is returned once. Unknown column names
    raise DataError naming the first one and listing what exists; years that are not whole numbers,
    or a column name given as one string instead of a list, raise ParameterError.
    """
    first, last = _years(first, last)
    if isinstance(columns, str):
        raise ParameterError("expected a list of column names, not one string", parameter="columns",
                             value=columns)
    with open_store(db) as store:
        available = list(store.query("SELECT * FROM panel LIMIT 0").columns)
        chosen = (
            available
            if columns is None
            else list(dict.fromkeys(["iso3", "year", "name", *columns]))  # a column named twice is one column
        )
        for column in chosen:
            if column not in available:
                raise DataError(f"unknown column {column!r}; available: {', '.join(available)}", parameter="columns",
                                value=",".join(columns or []))
        sql_columns = ", ".join(f'"{c}"' for c in chosen)
        frame = store.query(
            f"SELECT {sql_columns} FROM panel WHERE year BETWEEN ? AND ? ORDER BY iso3, year", [first, last]
        )
        if frame.empty:  # an impossible request, not an empty answer
            lo, hi = store.query("SELECT min(year) AS lo, max(year) AS hi FROM panel").iloc[0]
            raise DataError(f"no state-years in {first}-{last}; the panel covers {int(lo)}-{int(hi)}",
                            parameter="years", value=f"{first}" if first == last else f"{first}-{last}")
        return frame


def write(frame: pd.DataFrame, out: Path) -> None:
    """Write ``frame`` to ``out`` (.parquet or .csv) via a temporary file, so nothing half-written remains."""
    suffix = out.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise DataError("expected a .parquet or .csv file name", parameter="out", value=str(out))
    tmp = out.with_name(f".{out.name}.partial")
    try:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DataError(f"cannot write ({exc.strerror})", parameter="out", value=str(out)) from None
