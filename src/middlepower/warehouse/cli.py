"""CLI commands of the foundation: ``build``, ``sources`` and ``panel``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from middlepower import codes, sources
from middlepower.errors import SourceError

DB_OPTION = typer.Option(None, "--db", help="Store file (default: middlepower.duckdb in the user data directory).")


def mount(app: typer.Typer) -> None:
    """Add the foundation's commands to the main app."""
    app.command("build")(build)
    app.command("sources")(list_sources)
    app.command("panel")(panel)


def build(
    db: Path = DB_OPTION,
    force: bool = typer.Option(False, "--force", help="Rebuild even if the inputs are unchanged."),
) -> None:
    """Build the country-year store from the registered sources (a no-op when inputs are unchanged).

    Files are read from the mirror folder in MIDDLEPOWER_MIRROR, then the local cache, then
    downloaded from their canonical addresses; each is checked against its sha256. The store is
    written to a temporary file, validated and renamed, so a failed build leaves the old one intact.
    """
    from middlepower import warehouse
    from middlepower.cli import console

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("starting", total=None)
        report = warehouse.build(db, force=force, progress=lambda msg: bar.update(task, description=msg))
    console.print(report.summary())


def list_sources(
    check: bool = typer.Option(True, "--check/--no-check", help="Verify checksums of local files."),
) -> None:
    """List every registered source with citation, licence, coverage and local status."""
    from middlepower.cli import console

    table = Table(title="middlepower sources", show_lines=True)
    for column in ("source", "title / citation", "licence", "coverage", "status"):
        table.add_column(column, overflow="fold")
    counts = {"ok": 0, "missing": 0, "bad": 0}
    for source in sources.all_sources():
        states = []
        for file in source.files:
            state, path = sources.locate(file)
            if path is None:
                counts["missing"] += 1
                states.append(f"missing {file.path}")
                continue
            if check:
                try:
                    sources.resolve(file, download=False)
                except SourceError:
                    counts["bad"] += 1
                    states.append(f"CHECKSUM MISMATCH {file.path}")
                    continue
            counts["ok"] += 1
        status = "; ".join(states) if states else f"found ({len(source.files)} file(s){', checksum ok' if check else ''})"
        table.add_row(source.name, f"{source.title}\n{source.citation}", source.licence, source.coverage, status)
    console.print(table)
    console.print(f"{len(sources.all_sources())} sources: {counts['ok']} files ok, "
                  f"{counts['missing']} missing, {counts['bad']} with a bad checksum")
    if counts["bad"]:
        raise typer.Exit(3)


def panel(
    years: str = typer.Option("1990-2022", "--years", help="Year or range, e.g. 2022 or 1990-2022."),
    columns: str = typer.Option(None, "--columns", help="Comma-separated panel columns (default: all)."),
    countries: str = typer.Option(None, "--countries", help="Comma-separated ISO3 codes (default: every state)."),
    out: Path = typer.Option(..., "--out", help="Output file: .parquet or .csv."),
    db: Path = DB_OPTION,
) -> None:
    """Write the country-year panel (iso3, year and the chosen columns) to a Parquet or CSV file."""
    from middlepower import panel as panel_layer
    from middlepower.cli import console

    first, last = panel_layer.parse_years(years)
    chosen = [c.strip() for c in columns.split(",")] if columns else None
    frame = panel_layer.select(first, last, chosen, db=db)
    if countries:
        wanted = [codes.check_iso3(code) for code in countries.split(",")]
        frame = frame[frame["iso3"].isin(wanted)]
    panel_layer.write(frame, out)
    console.print(f"wrote {len(frame):,} state-years × {frame.shape[1]} columns to {out}")
