"""CLI command ``panel``: write the store's country-year panel to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import DbOption, console, out_option

app = typer.Typer(add_completion=False)


@app.command("panel")
def panel(
    out: Annotated[Path, out_option("Output file: .parquet or .csv.")],
    years: Annotated[str | None, typer.Option("--years", help="Year or range, e.g. 2022 or 1990-2022 (default: "
                                              "every year of the store).", show_default=False)] = None,
    columns: Annotated[str | None, typer.Option("--columns", help="Comma-separated panel columns (default: all).",
                                                show_default=False)] = None,
    countries: Annotated[str | None, typer.Option("--countries", help="Comma-separated ISO3 codes "
                                                  "(default: every state).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Write the country-year panel (iso3, year, name and the chosen columns) to a Parquet or CSV file.

    Columns, units, sources and years of data: docs/panel.md, or the store's ``_columns`` table.
    """
    from middlepower import panel as panel_layer
    from middlepower.errors import DataError
    from middlepower.outpath import check_out
    from middlepower.warehouse import check_iso3

    check_out(out, (".parquet", ".csv"))
    if years is None:  # the store's own span, not a typed one that ages
        held = panel_layer.state_years(db=db)["year"]
        first, last = int(held.min()), int(held.max())
    else:
        first, last = panel_layer.parse_years(years)
    chosen = [c.strip() for c in columns.split(",")] if columns else None
    wanted = None
    if countries is not None:
        wanted = [check_iso3(code, db) for code in countries.split(",") if code.strip()]
        if not wanted:
            raise typer.BadParameter("no ISO3 code given", param_hint="--countries")
    frame = panel_layer.select(first, last, chosen, db=db)
    if wanted is not None:
        frame = frame[frame["iso3"].isin(wanted)]
        absent = [code for code in dict.fromkeys(wanted) if not (frame["iso3"] == code).any()]
        if absent:  # as compare does: a state asked for by name is never dropped silently
            members = panel_layer.state_years(db=db)
            held = members.loc[members["iso3"] == absent[0], "year"]
            known = f"a member {int(held.min())}-{int(held.max())}" if len(held) else "a member in no year"
            asked = str(first) if first == last else f"{first}-{last}"
            raise DataError(f"{absent[0]}: not a member of the state system in {asked} ({known})",
                            parameter="countries", value=countries)
    panel_layer.write(frame, out)
    console().print(f"wrote {len(frame):,} state-years × {frame.shape[1]} columns to {out}")
