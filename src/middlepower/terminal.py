"""What every command of the CLI shares: the console, the common options, number formatting, tables.

Each layer's ``cli.py`` builds its commands from these pieces and never imports the root
:mod:`middlepower.cli` (which imports the layers). This module imports only typer and rich, so
``middlepower --help`` stays fast; layers import their libraries inside command bodies.

Options are ``Annotated`` types: write ``db: DbOption = None`` in a command's signature.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

MISSING = "–"
"""The one glyph every command prints for a missing value (NA, NaN, None)."""

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default: middlepower.duckdb in the user data directory).",
                 show_default=False),
]
YearOption = Annotated[int, typer.Option("--year", help="Calendar year, e.g. 2022.")]
FirstYearOption = Annotated[int | None, typer.Option("--from", help="First calendar year.", show_default=False)]
LastYearOption = Annotated[int | None, typer.Option("--to", help="Last calendar year.", show_default=False)]
YearsOption = Annotated[str, typer.Option("--years", help="Year or range, e.g. 2022 or 1990-2022.")]


def out_option(help: str) -> Any:  # noqa: A002 - the typer keyword
    """Return the ``--out`` option with a command's own help text (what is written, which formats)."""
    return typer.Option("--out", help=help, show_default=False)


def console(stderr: bool = False) -> Console:
    """Return a console for one command's output (made per call, so its width follows the terminal)."""
    return Console(stderr=stderr)


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas NA and NaT."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NA and NaT are not equal to themselves
    except (TypeError, ValueError):  # pd.NA raises on bool(); arrays are not single values
        return value.__class__.__name__ in ("NAType", "NaTType")


def number(value: object, digits: int = 1) -> str:
    """Format one cell: ``MISSING`` for missing values, thousands separators and ``digits`` decimals
    for numbers, ``∞`` for infinities, ``str`` for anything else."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return f"{int(value):,}"
    if isinstance(value, float) or hasattr(value, "dtype"):
        as_float = float(value)  # type: ignore[arg-type]
        if math.isinf(as_float):
            return "∞" if as_float > 0 else "-∞"
        return f"{as_float:,.{digits}f}"
    return str(value)


def table(frame, title: str, digits: dict[str, int] | None = None, columns: list[str] | None = None,
          default_digits: int = 1, fold: bool = False) -> Table:
    """Return ``frame`` (a DataFrame) as a rich table: numeric columns right-aligned and formatted by
    :func:`number` (``digits[column]`` decimals, else ``default_digits``), ``year`` as a plain integer."""
    import pandas as pd

    columns = list(frame.columns) if columns is None else columns
    out = Table(title=title, title_justify="left")
    for column in columns:
        numeric = column in frame.columns and pd.api.types.is_numeric_dtype(frame[column]) \
            and not pd.api.types.is_bool_dtype(frame[column])
        out.add_column(str(column), justify="right" if numeric else "left", overflow="fold" if fold else "ellipsis")
    for _, row in frame.iterrows():
        cells = []
        for column in columns:
            value = row.get(column)
            if column == "year" and not is_missing(value):
                cells.append(str(int(value)))
            else:
                cells.append(number(value, (digits or {}).get(column, default_digits)))
        out.add_row(*cells)
    return out


def codes(values: list[str] | None) -> list[str]:
    """Upper-cased codes from repeated and/or comma-separated option values (``--with USA,RUS CHN``)."""
    return [code.strip().upper() for value in values or [] for code in value.split(",") if code.strip()]
