"""``middlepower report ISO3``: a country report as self-contained HTML or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import DbOption, console, out_option

app = typer.Typer(add_completion=False)


@app.command("report")
def report(
    iso3: Annotated[str, typer.Argument(help="ISO3 code of the state, e.g. KAZ.")],
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="Year (default: the power model's last year with real data in every pillar).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="html (self-contained, charts inline) or pdf (default: the --out file's extension, else "
        "html).", show_default=False)] = None,
    out: Annotated[Path | None, out_option("Output file (default: middlepower-<ISO3>-<year>.<format>).")] = None,
    db: DbOption = None,
) -> None:
    """Write a country report: pillars with intervals, data years and carried, imputed or missing inputs, rank
    interval, tier probability over time, power gap, alignment, the corridor table, plain-language
    explanations, a caption with source and data year under every chart, and a bibliography."""
    from middlepower.report import build_report, report_format

    screen = console()
    fmt = report_format(fmt, out)
    with screen.status(f"building the {fmt} report of {iso3}"):
        path = build_report(iso3, year=year, fmt=fmt, out=out, db=db)
    screen.print(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KiB)")
