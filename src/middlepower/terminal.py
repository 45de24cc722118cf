"""What every command of the CLI shares: the console, the common options, number formatting, tables.

Each layer's ``cli.py`` builds its commands from these pieces and never imports the root
:mod:`middlepower.cli` (which imports the layers). This module imports only typer and rich, so
``middlepower --help`` stays fast; layers import their libraries inside command bodies.

Options are ``Annotated`` types: write ``db: DbOption = None`` in a command's signature.

Tables: a command describes its columns with :class:`Col` (header, digits, legend, how readily
it is dropped) and prints them with :func:`show`, which fits them to the terminal without ever
cutting a header or a number (it wraps text at word boundaries, leaves out the least important
columns and names them, or switches to one record per row), then prints the one-line legend of
the measures shown. ``--out``/``--format`` (:data:`OutOption`, :data:`FormatOption`) go through
:class:`middlepower.output.TableOutput`; ``--top``/``--all`` through :func:`top_rows`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from middlepower.errors import ParameterError

MISSING = "–"
"""The one glyph every command prints for a missing value (NA, NaN, None)."""

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default: middlepower.duckdb in the user data directory).",
                 show_default=False),
]
FirstYearOption = Annotated[int | None, typer.Option("--from", help="First calendar year.", show_default=False)]
LastYearOption = Annotated[int | None, typer.Option("--to", help="Last calendar year.", show_default=False)]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Also write the result to a file: .csv or .parquet (the main table) or .json "
                 "(every table).", show_default=False),
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", help="table (default: fitted to the terminal), csv or json on standard output; "
                 "with --out, the file's format (parquet too).", show_default=False),
]
AllOption = Annotated[bool, typer.Option("--all", help="Show every row (the file of --out always has them all).")]


def top_option(default: int, what: str = "rows") -> Any:
    """Return the ``--top`` option: how many ``what`` a long listing shows (``default`` when not given;
    ``--all`` for every one). Its parameter defaults to None, so that :func:`rows_shown` can tell a
    ``--top`` given with ``--all`` from one left out."""
    from middlepower.limits import ROWS_SHOWN

    return typer.Option("--top", min=1, max=ROWS_SHOWN.value, show_default=False,
                        help=f"Show the first N {what} (default {default}; --all for every one).")


def rows_shown(top: int | None, show_all: bool, default: int) -> int | None:
    """Return how many rows a listing shows: ``top``, or ``default`` when it is None, or None (every
    row) with ``show_all``. ParameterError naming ``--top`` when both ask: checked before any work."""
    if show_all and top is not None:
        raise ParameterError("give --top N or --all, not both", parameter="top", value=top)
    return None if show_all else (default if top is None else top)


def out_option(help: str) -> Any:  # noqa: A002 - the typer keyword
    """Return the ``--out`` option with a command's own help text (what is written, which formats)."""
    return typer.Option("--out", help=help, show_default=False)


def console(stderr: bool = False) -> Console:
    """Return a console for one command's output (made per call, so its width follows the terminal)."""
    return Console(stderr=stderr)


def progress_bar(*columns: Any) -> Any:
    """Return a transient rich ``Progress`` (with ``columns``, or rich's default ones) on standard
    error, drawn only when standard error is a terminal: piped or captured output gets neither a bar
    nor the blank line rich leaves behind, so a failing command's stderr is its one error line and
    standard output carries results only."""
    from rich.progress import Progress

    screen = console(stderr=True)
    return Progress(*columns, console=screen, transient=True, disable=not screen.is_terminal)


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
    """Upper-cased codes from repeated and/or comma-separated option values (``--with USA,RUS CHN``),
    each once, in the order first given."""
    return list(dict.fromkeys(code.strip().upper() for value in values or [] for code in value.split(",")
                              if code.strip()))


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 year``, ``2 years`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def top_rows(frame, top: int | None):
    """Return (the rows to show, a note such as ``first 20 of 195 rows; --all for every one`` or '');
    ``top`` from :func:`rows_shown` (None: every row)."""
    if top is None or len(frame) <= top:
        return frame, ""
    return frame.head(top), f"first {top} of {len(frame):,} rows shown; --all for every one"


@dataclass(frozen=True)
class Col:
    """One column of a fitted table.

    ``key``: the frame's column; ``header``: what the table shows (short: headers are never cut);
    ``legend``: what the measure is, for the legend line (empty: self-explanatory); ``digits``:
    decimals of a number (None: text); ``fmt``: a function of the row returning the cell's text
    (instead of ``digits``); ``drop``: 0 never dropped, higher numbers are left out first when the
    terminal is too narrow; ``wrap``: text that may wrap at word boundaries; ``style``: a function
    of the cell text returning a rich style.
    """

    key: str
    header: str | None = None
    legend: str = ""
    digits: int | None = None
    fmt: Callable[[dict], str] | None = None
    drop: int = 0
    wrap: bool = False
    style: Callable[[str], str | None] | None = None

    @property
    def title(self) -> str:
        return self.header or self.key

    def text(self, row: dict) -> str:
        if self.fmt is not None:
            return self.fmt(row)
        value = row.get(self.key)
        if self.digits is not None:
            return number(value, self.digits)
        if is_missing(value):
            return MISSING
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    @property
    def numeric(self) -> bool:
        return self.digits is not None


GAP = 2
"""Spaces between two columns."""
MIN_WRAP = 12
"""Narrowest width a wrapping text column is squeezed to (a longer word sets it wider, up to LONG_WORD)."""
LONG_WORD = 18
"""Words longer than this (addresses, file paths) may be broken inside a wrapping text column."""


def _wrap(text: str, width: int) -> list[str]:
    if cell_len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=True) or [""]


def _layout(cols: list[Col], cells: list[list[str]], width: int) -> tuple[list[int], list[int]] | None:
    """Return (indices of the columns kept, their widths) fitting ``width``, or None if none fit.

    Text columns that wrap get at least their longest word (at most ``LONG_WORD``); the room left
    goes to them in proportion to what they lack. Columns are dropped (highest ``drop`` first) only
    when even those widths do not fit.
    """
    kept = list(range(len(cols)))

    def natural(i: int) -> int:
        return max([cell_len(cols[i].title), *(cell_len(row[i]) for row in cells)])

    def narrowest(i: int) -> int:
        if not cols[i].wrap:
            return natural(i)
        words = [min(cell_len(w), LONG_WORD) for row in cells for w in row[i].split()] or [0]
        return min(natural(i), max(cell_len(cols[i].title), max(words), MIN_WRAP))

    while kept:
        least = [narrowest(i) for i in kept]
        spare = width - sum(least) - GAP * (len(kept) - 1)
        if spare >= 0:
            lack = [natural(i) - w for i, w in zip(kept, least, strict=True)]
            total = sum(lack)
            widths = [w + (spare * need // total if total else 0) for w, need in zip(least, lack, strict=True)]
            widths = [min(w, natural(i)) for i, w in zip(kept, widths, strict=True)]
            return kept, widths
        droppable = [i for i in kept if cols[i].drop > 0]
        if not droppable:
            return None
        kept.remove(max(droppable, key=lambda i: (cols[i].drop, i)))
    return None


def _styled(text: str, col: Col, width: int, align_right: bool) -> Text:
    padded = " " * (width - cell_len(text)) + text if align_right else text + " " * (width - cell_len(text))
    style = col.style(text.strip()) if col.style is not None else None
    return Text(padded, style=style or "")


def fit_lines(frame, cols: list[Col], width: int) -> tuple[list[Text], list[Col]]:
    """Return the table's lines fitting ``width`` and the columns left out (see :func:`show`)."""
    rows = frame.to_dict("records")
    cells = [[col.text(row) for col in cols] for row in rows]
    layout = _layout(cols, cells, width)
    if layout is None:
        return _records(cols, cells, width), []
    kept, widths = layout
    header = Text()
    for n, i in enumerate(kept):
        if n:
            header.append(" " * GAP)
        title = cols[i].title
        pad = " " * (widths[n] - cell_len(title))
        header.append(pad + title if cols[i].numeric else title + pad, style="bold")
    lines = [header, Text("─" * (sum(widths) + GAP * (len(kept) - 1)), style="dim")]
    for row in cells:
        parts = [_wrap(row[i], widths[n]) if cols[i].wrap else [row[i]] for n, i in enumerate(kept)]
        for k in range(max(len(p) for p in parts)):
            line = Text()
            for n, i in enumerate(kept):
                if n:
                    line.append(" " * GAP)
                text = parts[n][k] if k < len(parts[n]) else ""
                line.append_text(_styled(text, cols[i], widths[n], cols[i].numeric))
            line.rstrip()
            lines.append(line)
    return lines, [cols[i] for i in range(len(cols)) if i not in kept]


def _records(cols: list[Col], cells: list[list[str]], width: int) -> list[Text]:
    """One block per row, ``header: value`` lines, for tables no terminal width can hold."""
    label = min(max(cell_len(c.title) for c in cols), width // 3)
    lines: list[Text] = []
    for row in cells:
        for col, text in zip(cols, row, strict=True):
            wrapped = _wrap(text, max(width - label - 2, 10))
            for k, part in enumerate(wrapped):
                head = (col.title if k == 0 else "").ljust(label)
                line = Text(head + "  ", style="bold" if k == 0 else "")
                line.append(part, style=(col.style(text) if col.style else None) or "")
                lines.append(line)
        lines.append(Text(""))
    return lines


def paragraph(text: str, width: int) -> list[str]:
    """``text`` wrapped at word boundaries to ``width`` (an unbreakable word keeps its own line)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def show(frame, cols: list[Col], title: str | None = None, legend: str = "", screen: Console | None = None) -> None:
    """Print ``frame`` as a table fitting the terminal, then its legend (``legend`` after the measures).

    No header or number is ever cut: text columns marked ``wrap`` wrap at word boundaries; columns
    with a ``drop`` rank are left out, least important first, and named in the legend; when even the
    essential columns cannot fit, every row becomes a block of ``header: value`` lines.
    """
    screen = screen or console()
    width = max(screen.width, 40)
    if title:
        screen.print()
        for line in paragraph(title, width):
            screen.print(Text(line, style="bold"), no_wrap=True, crop=False, soft_wrap=True)
    lines, left_out = fit_lines(frame, cols, width)
    for line in lines:
        screen.print(line, no_wrap=True, crop=False, soft_wrap=True)
    if frame.empty:
        screen.print("(no rows)", style="dim")
    measures = [f"{c.title} = {c.legend}" for c in cols if c.legend and c not in left_out]
    notes = "; ".join(measures)
    if left_out:
        notes += ("; " if notes else "") + "not shown at this width: " + ", ".join(c.title for c in left_out)
    if legend:
        notes += ("; " if notes else "") + legend
    if notes:
        for line in paragraph("Legend: " + notes, width):
            screen.print(Text(line, style="dim"), no_wrap=True, crop=False, soft_wrap=True)


def say(text: str, screen: Console | None = None, style: str = "") -> None:
    """Print a summary or note line wrapped to the terminal at word boundaries (never cut)."""
    screen = screen or console()
    for line in paragraph(text, max(screen.width, 40)):
        screen.print(Text(line, style=style), no_wrap=True, crop=False, soft_wrap=True)


def with_interval(row: dict, key: str, digits: int = 0, signed: bool = False) -> str:
    """``69 [66–70]`` (or ``+0.20 [+0.16, +0.58]`` when ``signed``): ``row[key]`` and its 90% interval
    ``row[key + "_lo"]``-``row[key + "_hi"]``; ``MISSING`` when the value is missing."""
    value, low, high = row.get(key), row.get(f"{key}_lo"), row.get(f"{key}_hi")
    if is_missing(value):
        return MISSING
    spec = f"+.{digits}f" if signed else f".{digits}f"
    if is_missing(low) or is_missing(high):
        return format(value, spec)
    if signed:
        return f"{value:{spec}} [{low:{spec}}, {high:{spec}}]"
    return f"{value:{spec}} [{low:{spec}}–{high:{spec}}]"


def year_text(value: object) -> str:
    """A calendar year as plain text (no thousands separator), ``MISSING`` when there is none."""
    return MISSING if is_missing(value) else str(int(value))  # type: ignore[arg-type]


def abbreviations(codes: list[str], length: int = 3) -> dict[str, str]:
    """Short, unique headers for ``codes`` (node codes of a spec): ``capability`` -> ``cap``.

    The first ``length`` letters, else the first letter and the next consonants, else a number.
    """
    out: dict[str, str] = {}
    for code in codes:
        consonants = [c for c in code[1:] if c.isalpha() and c not in "aeiou"]
        candidates = [code[:length], code[0] + "".join(consonants[: length - 1]),
                      code[0] + "".join(consonants[1:length]), code[: length - 1] + code[-1]]
        chosen = next((c for c in candidates if c not in out.values()), None)
        out[code] = chosen or f"{code[: length - 1]}{len(out)}"
    return out


def table_output(out, fmt):
    """Where a command's tables go: a :class:`~middlepower.output.TableOutput` for ``--out`` and ``--format``.

    Imported on use, so that ``--help`` does not load pandas; a bad ``--out`` or ``--format`` fails here,
    before any computing."""
    from middlepower.output import TableOutput

    return TableOutput(out, fmt)


def deliver(output, tables: dict, main: str, draw: Callable[[Console], None], summary: str) -> None:
    """Send a command's result where ``output`` (a :class:`~middlepower.output.TableOutput`) says.

    On the terminal: ``draw(screen)`` prints the fitted tables, then the ``summary`` line and where
    the file went. With ``--format csv|json`` standard output gets the data only and the summary
    goes to standard error.
    """
    note = output.emit(tables, main)
    screen = console() if output.shows_table else console(stderr=True)
    if output.shows_table:
        draw(screen)
    say(summary, screen)
    if note:
        say(note, screen)
