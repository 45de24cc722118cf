"""``middlepower events fetch|build|show``: GDELT files in, state-year and dyad-year measures out.

Each command parses options, calls one function of :mod:`middlepower.events`, prints a table or a
progress bar and a one-line summary. Library errors propagate to the main CLI (one line, exit code).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table

app = typer.Typer(help="GDELT event data: fetch files, aggregate them on Dask, show diplomatic measures.",
                  no_args_is_help=True)

DB_OPTION = typer.Option(None, "--db", help="Main store file; the event store sits beside it "
                                            "(default: middlepower.events.duckdb in the user data directory).")
FROM_OPTION = typer.Option(None, "--from", help="First day: YYYY-MM-DD, YYYYMMDD or a year.")
TO_OPTION = typer.Option(None, "--to", help="Last day (inclusive): YYYY-MM-DD, YYYYMMDD or a year.")
V1_OPTION = typer.Option(False, "--v1", help="GDELT 1.0 (daily files from 2013-04, back files 1979-2013) "
                                             "instead of 2.0 (15-minute files from 2015-02-18).")
BASE_OPTION = typer.Option(None, "--base-url", help="GDELT's address, or a copy in its layout "
                                                    "(default: $MIDDLEPOWER_GDELT_BASE or http://data.gdeltproject.org/).")


def mount(parent: typer.Typer) -> None:
    """Attach the events commands to the main CLI as ``middlepower events``."""
    parent.add_typer(app, name="events")


def _console() -> Console:
    return Console()


@app.command("fetch")
def fetch_command(
    first: str = typer.Option(..., "--from", help="First day: YYYY-MM-DD, YYYYMMDD or a year."),
    last: str = typer.Option(..., "--to", help="Last day (inclusive): YYYY-MM-DD, YYYYMMDD or a year."),
    v1: bool = V1_OPTION,
    base_url: str = BASE_OPTION,
    refresh_list: bool = typer.Option(False, "--refresh-list", help="Download GDELT's file list again."),
    parallel: int = typer.Option(4, "--parallel", min=1, max=32, help="Downloads at a time."),
) -> None:
    """Download GDELT's export files for a date range into the cache, each checked against GDELT's list.

    Reads GDELT's master file list (2.0) or md5sums and filesizes (1.0), downloads every export file of
    the range that is not cached yet, and keeps a file only if its size and md5 match the list. Runs
    again resume: cached files are verified, not downloaded, and an interrupted file continues from
    where it stopped. A file that fails is named and refused (exit code 3). Example:
    middlepower events fetch --from 2024-10-22 --to 2024-10-22
    """
    from middlepower import events

    start, end = events.parse_day(first), events.parse_day(last, end=True)
    console = _console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), DownloadColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True) as bar:
        files_task = bar.add_task("reading GDELT's file list", total=None)
        bytes_task = bar.add_task("received", total=None, visible=False)

        def listed(count: int, size: int) -> None:
            bar.update(files_task, description="files", total=count)
            bar.update(bytes_task, total=size or None, visible=True)

        def tick(event: str, amount: int) -> None:
            bar.advance(files_task if event == "file" else bytes_task, amount)

        report = events.fetch(start, end, version=1 if v1 else 2, base=base_url, refresh_list=refresh_list,
                              parallel=parallel, tick=tick, on_listed=listed)
    console.print(report.summary(start, end))


@app.command("build")
def build_command(
    paths: list[Path] | None = typer.Argument(None, help="GDELT files or folders of them (instead of --sample "
                                                         "or a date range).", show_default=False),
    sample: bool = typer.Option(False, "--sample", help="The 97 real GDELT 2.0 files of the data mirror."),
    first: str = FROM_OPTION,
    last: str = TO_OPTION,
    v1: bool = V1_OPTION,
    base_url: str = BASE_OPTION,
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 "
                                  "(default: $MIDDLEPOWER_SCHEDULER, else a LocalCluster); 'synchronous' "
                                  "runs in-process."),
    workers: int = typer.Option(None, "--workers", min=1, help="LocalCluster worker processes (default: CPUs)."),
    memory_limit: str = typer.Option("2GiB", "--memory-limit", help="Memory limit per LocalCluster worker."),
    files_per_task: int = typer.Option(None, "--files-per-task", min=1,
                                       help="Files per map task (default: 1, more for very long ranges)."),
    db: Path = DB_OPTION,
) -> None:
    """Aggregate GDELT files to state-year and dyad-year diplomatic measures on Dask, into the event store.

    Input is one of: --sample, a date range already fetched (--from/--to), or paths. Each file is a
    partition of a map-reduce that runs on a LocalCluster of this machine, or on an existing cluster
    given by --scheduler or MIDDLEPOWER_SCHEDULER (its workers need middlepower installed and the files
    on shared storage, or network access to fetch them). The event store is written beside the main
    store and replaced whole. Example: middlepower events build --sample
    """
    from middlepower import events

    start = events.parse_day(first) if first else None
    end = events.parse_day(last, end=True) if last else None
    console = _console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("starting Dask", total=None)
        report = events.build(
            sample=sample, first=start, last=end, paths=paths or (), version=1 if v1 else 2, base=base_url, db=db,
            scheduler=scheduler, workers=workers, memory_limit=memory_limit, files_per_partition=files_per_task,
            on_files=lambda count: bar.update(task, description="files aggregated", total=count),
            on_progress=lambda done: bar.update(task, completed=done))
    console.print(report.summary())


@app.command("show")
def show_command(
    country: str = typer.Argument(None, help="ISO3 code (omit for the coverage of the event store)."),
    year: int = typer.Option(None, "--year", help="One year only."),
    partners: bool = typer.Option(False, "--partners", help="Directed dyads: the state's partners instead."),
    family: str = typer.Option(None, "--family", help="Partners for one CAMEO family (04, 043, ..., all)."),
    top: int = typer.Option(15, "--top", min=1, help="How many partners to list."),
    db: Path = DB_OPTION,
) -> None:
    """Show a state's diplomatic event measures per year (or the event store's coverage).

    Counts are events involving the state (as either actor) and events hosted in it (located there),
    for each CAMEO family, with their share of the year's whole GDELT volume and the coverage (files,
    days) they rest on. Example: middlepower events show KAZ
    """
    from middlepower import codes, events

    console = _console()
    if country is None:
        table = events.coverage(db)
        console.print(_table(table, "Event store coverage", list(table.columns)))
        console.print(f"{int(table['files'].sum()):,} files, {int(table['year_events'].sum()):,} events, "
                      f"{len(table)} years")
        return
    iso3 = codes.check_iso3(country)
    if partners:
        _show_partners(console, events.dyad_year(iso3, family=family or "all", db=db), iso3, year, top)
        return
    frame = events.state_year(iso3, db=db)
    if year is not None:
        frame = frame[frame["year"] == year]
    out = Table(title=f"{iso3}: GDELT diplomatic events (count | per 1,000 events of the year)")
    out.add_column("year", justify="right")
    out.add_column("role")
    names = [f.code for f in events.FAMILIES] + ["all"]
    for code in names:
        out.add_column(code, justify="right")
    out.add_column("files", justify="right")
    for (row_year, role), rows in frame.groupby(["year", "role"], sort=True):
        by = rows.set_index("family")
        cells = [f"{int(by.at[c, 'events'])} | {1000 * by.at[c, 'share']:.2f}" if c in by.index else "0"
                 for c in names]
        out.add_row(str(row_year), role, *cells, str(int(rows["files"].iloc[0])))
    console.print(out)
    console.print(f"{iso3}: {int(frame.loc[frame['family'] == 'all', 'events'].sum()):,} events over "
                  f"{frame['year'].nunique()} years; coverage per year in `middlepower events show`")


def _show_partners(console: Console, frame, iso3: str, year: int | None, top: int) -> None:
    if year is not None:
        frame = frame[frame["year"] == year]
    ranked = frame.groupby("partner", as_index=False)["events"].sum().sort_values(
        ["events", "partner"], ascending=[False, True]).head(top)
    console.print(_table(ranked, f"{iso3} as Actor1: partners (Actor2's state), events", ["partner", "events"]))
    console.print(f"{iso3}: {len(ranked)} of {frame['partner'].nunique()} partners shown")


def _table(frame, title: str, columns: list[str]) -> Table:
    out = Table(title=title)
    for column in columns:
        out.add_column(column, justify="left" if frame[column].dtype == object else "right")
    for row in frame.itertuples(index=False):
        out.add_row(*[f"{v:.4f}" if isinstance(v, float) else str(v) for v in row])
    return out
