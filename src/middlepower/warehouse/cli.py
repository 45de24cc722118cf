"""CLI commands of the foundation: ``build``, ``fetch``, ``sources`` and ``panel``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import (BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                           TransferSpeedColumn)
from rich.table import Table

from middlepower import codes, sources
from middlepower.errors import SourceError

DB_OPTION = typer.Option(None, "--db", help="Store file (default: middlepower.duckdb in the user data directory).")


def mount(app: typer.Typer) -> None:
    """Add the foundation's commands to the main app."""
    app.command("build")(build)
    app.command("fetch")(fetch)
    app.command("sources")(list_sources)
    app.command("panel")(panel)


def build(
    db: Path = DB_OPTION,
    force: bool = typer.Option(False, "--force", help="Rebuild even if the inputs are unchanged."),
) -> None:
    """Build the country-year store from the registered sources (a no-op when it is current and whole).

    Files are read from MIDDLEPOWER_MIRROR (a folder or an http(s) URL), then the local cache,
    then downloaded from their canonical addresses; each is checked against its sha256. The store
    is written to a temporary file, validated and renamed, so a failed build leaves the old one
    intact. A damaged, incomplete or outdated store is rebuilt; a second build of the same store
    waits for the first.
    """
    from middlepower import warehouse
    from middlepower.cli import console

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def downloading(label: str, done: int, total: int | None) -> None:
            size = f"{done / 1e6:.1f}" + (f" of {total / 1e6:.1f}" if total else "")
            bar.update(task, description=f"downloading {label} ({size} MB)")

        report = warehouse.build(db, force=force, progress=lambda msg: bar.update(task, description=msg),
                                 download_progress=downloading,
                                 on_wait=lambda msg: console.print(msg, highlight=False, soft_wrap=True))
    if report.reason and report.reason not in ("no store yet", "forced") and not report.skipped:
        console.print(f"rebuilt because: {report.reason}", highlight=False, soft_wrap=True)
    console.print(report.summary())


def fetch() -> None:
    """Download every registered file that is missing locally, resumably, each checked against its sha256.

    Reads MIDDLEPOWER_MIRROR (a folder or an http(s) URL) first, then the canonical addresses.
    Files whose licence forbids automatic download (SIPRI, Energy Institute) are listed with the
    address to get them from and the path to save them as. Exit code 3 if anything is missing.
    """
    from middlepower.cli import console, err_console

    entries = [(source, entry) for source in sources.all_sources() for entry in source.files]
    manual: dict[str, sources.ManualDownload] = {}
    failed: list[str] = []
    fetched = available = 0
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  console=console, transient=True) as bar:
        overall = bar.add_task(f"checking {len(entries)} files", total=len(entries))
        tasks: dict[str, int] = {}

        def downloading(label: str, done: int, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        for source, entry in entries:
            before = sources.locate(entry)[0]
            try:
                sources.resolve(entry, progress=downloading)
                fetched += before in ("missing", "mirror-url")
                available += 1
            except sources.ManualDownload as exc:
                manual.setdefault(exc.url, exc)
            except SourceError as exc:
                failed.append(str(exc))
            bar.advance(overall)
    if manual:  # plain lines, never folded, so each address can be copied whole
        console.print(f"{len(manual)} file(s) need a manual download (their licences do not let middlepower "
                      f"fetch them); download each address and save it as the path after the arrow:",
                      highlight=False, soft_wrap=True)
        for exc in manual.values():  # one line per upstream file, however many sources read it
            console.print(f"  {exc.url} -> {exc.target}", highlight=False, soft_wrap=True)
    for message in failed:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    console.print(f"{available} of {len(entries)} files available ({fetched} fetched now), "
                  f"{len(manual)} need a manual download, {len(failed)} failed")
    if manual or failed:
        raise SourceError(f"{len(manual) + len(failed)} file(s) still missing: "
                          + ("download the files listed above by hand" if manual else failed[0]))


def list_sources(
    check: bool = typer.Option(True, "--check/--no-check", help="Verify checksums of local files."),
) -> None:
    """List every registered source with citation, licence, coverage and local status."""
    from middlepower import config
    from middlepower.cli import console

    table = Table(title="middlepower sources", show_lines=True)
    for column in ("source", "title / citation", "licence", "coverage", "status"):
        table.add_column(column, overflow="fold")
    counts = {"ok": 0, "missing": 0, "bad": 0}
    first_bad = ""
    for source in sources.all_sources():
        states = []
        for entry in source.files:
            state, _ = sources.locate(entry)
            if state in ("missing", "mirror-url"):
                counts["missing"] += 1
                states.append(f"{'on mirror URL' if state == 'mirror-url' else 'missing'} {entry.path}")
                continue
            if check:
                try:
                    sources.resolve(entry, download=False)
                except SourceError as exc:
                    counts["bad"] += 1
                    first_bad = first_bad or str(exc)
                    states.append(f"UNUSABLE {entry.path}")
                    continue
            counts["ok"] += 1
        status = "; ".join(states) if states else f"found ({len(source.files)} file(s){', checksum ok' if check else ''})"
        table.add_row(source.name, f"{source.title}\n{source.citation}", source.licence, source.coverage, status)
    console.print(table)
    mirror = config.mirror()
    console.print(f"{len(sources.all_sources())} sources: {counts['ok']} files ok, "
                  f"{counts['missing']} missing, {counts['bad']} unusable; mirror: "
                  f"{mirror + ' (' + config.mirror_origin() + ')' if mirror else 'none'}", highlight=False)
    if counts["bad"]:
        raise SourceError(f"{counts['bad']} local file(s) unusable; first: {first_bad}")


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
        wanted = [codes.check_iso3(code, db) for code in countries.split(",")]
        frame = frame[frame["iso3"].isin(wanted)]
    panel_layer.write(frame, out)
    console.print(f"wrote {len(frame):,} state-years × {frame.shape[1]} columns to {out}")
