"""``middlepower report ISO3``: a country report as self-contained HTML or PDF."""

from __future__ import annotations

from pathlib import Path

import typer


def mount(app: typer.Typer) -> None:
    """Add ``report`` to the main CLI."""
    app.command("report")(report)


def report(
    iso3: str = typer.Argument(..., help="ISO3 code of the state, e.g. KAZ."),
    year: int = typer.Option(None, "--year", help="Year (default: the power model's last year with real data in every pillar)."),
    fmt: str = typer.Option("html", "--format", help="html (self-contained, charts inline) or pdf."),
    out: Path = typer.Option(None, "--out", help="Output file (default: middlepower-<ISO3>-<year>.<format>)."),
    db: Path = typer.Option(None, "--db", help="Store file (default: middlepower.duckdb in the user data directory)."),
) -> None:
    """Write a country report: pillars with intervals, rank interval, tier probability over time, power gap,
    alignment (when available), the corridor table, plain-language explanations and a bibliography."""
    from middlepower.cli import console
    from middlepower.report import build_report

    with console.status(f"building the {fmt} report of {iso3}"):
        path = build_report(iso3, year=year, fmt=fmt, out=out, db=db)
    console.print(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KiB)")
