"""The country-year frame the panel verbs take and return, and reading it from the store."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from middlepower.errors import DataError
from middlepower.warehouse import open_store


LAND_NEIGHBOURS_SQL = (
    "SELECT c.iso3, trim(unnest(string_split(c.borders, ','))) AS neighbour "
    "FROM countries c WHERE c.borders IS NOT NULL AND c.borders <> ''"
)
"""SQL rows (iso3, neighbour): each state's land neighbours on today's map (mledoze/countries)."""


def parse_years(text: str) -> tuple[int, int]:
    """Return (first, last) from ``"2022"`` or ``"1990-2022"``; DataError naming the text otherwise."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-:]\s*(\d{4}))?\s*", str(text))
    if not match:
        raise DataError(f"--years {text!r}: expected a year like 2022 or a range like 1990-2022")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise DataError(f"--years {text!r}: the range ends before it starts")
    return first, last


def state_years(first: int = 1946, last: int = 2025, db: Path | str | None = None) -> pd.DataFrame:
    """Return the backbone frame: one row per COW system member and year, columns iso3, year, name.

    Membership follows the COW state system as extended to 2025 by {isard}; ISO3 keys follow
    :mod:`middlepower.codes`.
    """
    with open_store(db) as store:
        return store.query(
            "SELECT iso3, year, name FROM state_years WHERE year BETWEEN ? AND ? ORDER BY iso3, year",
            [first, last],
        )


def join_columns(frame: pd.DataFrame, extra: pd.DataFrame, where: str) -> pd.DataFrame:
    """Return ``frame`` left-joined with ``extra`` on iso3 + year, never dropping or duplicating rows."""
    for column in ("iso3", "year"):
        if column not in frame.columns:
            raise DataError(f"{where}: the frame needs an {column!r} column (has {', '.join(frame.columns)})")
    clash = [c for c in extra.columns if c in frame.columns and c not in ("iso3", "year")]
    if clash:
        raise DataError(f"{where}: the frame already has column {clash[0]!r}")
    keyed = frame.assign(year=pd.to_numeric(frame["year"]).astype("int64"))
    extra = extra.assign(year=extra["year"].astype("int64"))
    out = keyed.merge(extra, on=["iso3", "year"], how="left", validate="many_to_one")
    out.index = frame.index
    return out


def panel_columns(columns: list[str], frame: pd.DataFrame, db: Path | str | None, where: str) -> pd.DataFrame:
    """Return ``frame`` with the named columns of the store's ``panel`` view joined on iso3 + year."""
    select = ", ".join(["iso3", "year", *columns])
    with open_store(db) as store:
        extra = store.query(f"SELECT {select} FROM panel")
    return join_columns(frame, extra, where)


def select(first: int, last: int, columns: list[str] | None = None, db: Path | str | None = None) -> pd.DataFrame:
    """Return the panel view for years ``first``..``last`` with iso3, year, name and ``columns``.

    ``None`` selects every column. Unknown column names raise DataError naming the first one and
    listing what exists.
    """
    with open_store(db) as store:
        available = list(store.query("SELECT * FROM panel LIMIT 0").columns)
        chosen = available if columns is None else ["iso3", "year", "name", *[c for c in columns if c not in ("iso3", "year", "name")]]
        for column in chosen:
            if column not in available:
                raise DataError(f"--columns: unknown column {column!r}; available: {', '.join(available)}")
        sql_columns = ", ".join(f'"{c}"' for c in chosen)
        return store.query(
            f"SELECT {sql_columns} FROM panel WHERE year BETWEEN ? AND ? ORDER BY iso3, year", [first, last]
        )


def write(frame: pd.DataFrame, out: Path) -> None:
    """Write ``frame`` to ``out`` (.parquet or .csv) via a temporary file, so nothing half-written remains."""
    suffix = out.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise DataError(f"--out {out}: expected a .parquet or .csv file name")
    tmp = out.with_name(f".{out.name}.partial")
    try:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DataError(f"--out {out}: cannot write ({exc.strerror})") from None
