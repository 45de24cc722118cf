"""CLI command ``panel``: write the store's country-year panel to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import DbOption, YearsOption, console, out_option

app = typer.Typer(add_completion=False)


@app.command("panel")
def panel(
    out: Annotated[Path, out_option("Output file: .parquet or .csv.")],
    years: YearsOption = "1990-2022",
    columns: Annotated[str | None, typer.Option("--columns", help="Comma-separated panel columns (default: all).",
                                                show_default=False)] = None,
    countries: Annotated[str | None, typer.Option("--countries", help="Comma-separated ISO3 codes "
                                                  "(default: every state).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Write the country-year panel (iso3, year and the chosen columns) to a Parquet or CSV file.

    Columns, units, sources and years of data: docs/panel.md, or the store's ``_columns`` table.
    """
    from middlepower import codes
    from middlepower import panel as panel_layer

    first, last = panel_layer.parse_years(years)
    chosen = [c.strip() for c in columns.split(",")] if columns else None
    frame = panel_layer.select(first, last, chosen, db=db)
    if countries:
        wanted = [codes.check_iso3(code, db) for code in countries.split(",")]
        frame = frame[frame["iso3"].isin(wanted)]
    panel_layer.write(frame, out)
    console().print(f"wrote {len(frame):,} state-years × {frame.shape[1]} columns to {out}")
