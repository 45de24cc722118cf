"""``middlepower events fetch|build|show``: GDELT files in, state-year and dyad-year measures out.

Each command parses options, calls one function of :mod:`middlepower.events`, prints a table or a
progress bar and a one-line summary. Library errors propagate to the main CLI (one line, exit code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.limits import ROWS_SHOWN, WORKERS
from middlepower.terminal import (
    Col,
    FormatOption,
    OutOption,
    console,
    deliver,
    plural,
    progress_bar,
    show,
    table_output,
)

app = typer.Typer(name="events", add_completion=False, no_args_is_help=True,
                  help="GDELT event data: fetch files, aggregate them on Dask, show diplomatic measures.")

FromDay = Annotated[str | None, typer.Option("--from", help="First day: YYYY-MM-DD, YYYYMMDD or a year.",
                                             show_default=False)]
ToDay = Annotated[str | None, typer.Option("--to", help="Last day (inclusive): YYYY-MM-DD, YYYYMMDD or a year.",
                                           show_default=False)]
V1Option = Annotated[bool, typer.Option("--v1", help="GDELT 1.0 (daily files from 2013-04, back files 1979-2013) "
                                                     "instead of 2.0 (15-minute files from 2015-02-18).")]
BaseOption = Annotated[str | None, typer.Option(
    "--base-url", help="GDELT's address, or a copy in its layout (default: $MIDDLEPOWER_GDELT_BASE or "
                       "http://data.gdeltproject.org/).", show_default=False)]
EventDbOption = Annotated[Path | None, typer.Option(
    "--db", help="Main store file; the event store sits beside it (default: middlepower.events.duckdb in the "
                 "user data directory).", show_default=False)]


def _days(first: str | None, last: str | None):
    """(start, end) dates of ``--from``/``--to`` (either may be None); DataError naming the option that
    is no date, or ``--to`` when the range ends before it starts."""
    from middlepower import events
    from middlepower.errors import DataError

    days = []
    for name, text, end in (("first", first, False), ("last", last, True)):
        try:
            days.append(None if text is None else events.parse_day(text, end=end))
        except DataError as exc:
            raise DataError(exc.message.split(": ", 1)[-1], parameter=name, value=text) from None
    if days[0] is not None and days[1] is not None and days[1] < days[0]:
        raise DataError(f"the range {first} to {last} ends before it starts", parameter="last", value=last)
    return days[0], days[1]


def _base(base_url: str | None) -> None:
    """ParameterError naming ``--base-url`` unless it is an http(s) address or a folder."""
    import re

    from middlepower.errors import ParameterError

    if base_url is not None and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", base_url) \
            and not base_url.lower().startswith(("http://", "https://")):
        raise ParameterError("expected an http(s) address or a folder laid out like GDELT's", parameter="base_url",
                             value=base_url)


MEMORY = r"\s*\d+(\.\d+)?\s*([kMGT]i?B|B)?\s*"
"""A memory size as Dask reads it: 2GiB, 1.5 GB, 500MB, 1000000."""


@app.command("fetch")
def fetch_command(
    first: Annotated[str, typer.Option("--from", help="First day: YYYY-MM-DD, YYYYMMDD or a year.")],
    last: Annotated[str, typer.Option("--to", help="Last day (inclusive): YYYY-MM-DD, YYYYMMDD or a year.")],
    v1: V1Option = False,
    base_url: BaseOption = None,
    refresh_list: Annotated[bool, typer.Option("--refresh-list", help="Download GDELT's file list again.")] = False,
    parallel: Annotated[int, typer.Option("--parallel", min=1, max=32, help="Downloads at a time.")] = 4,
) -> None:
    """Download GDELT's export files for a date range into the cache, each checked against GDELT's list.

    Reads GDELT's master file list (2.0) or md5sums and filesizes (1.0), downloads every export file of
    the range that is not cached yet, and keeps a file only if its size and md5 match the list. Runs
    again resume: cached files are verified, not downloaded, and an interrupted file continues from
    where it stopped. A file that fails is named and refused (exit code 3). Reads no store. Example:
    middlepower events fetch --from 2024-10-22 --to 2024-10-22
    """
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from middlepower import events

    _base(base_url)
    start, end = _days(first, last)
    out = console()
    with progress_bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), DownloadColumn(),
                      TimeElapsedColumn(), TimeRemainingColumn()) as bar:
        files_task = bar.add_task("reading GDELT's file list", total=None)
        bytes_task = bar.add_task("received", total=None, visible=False)

        def listed(count: int, size: int) -> None:
            bar.update(files_task, description="files", total=count)
            bar.update(bytes_task, total=size or None, visible=True)

        def tick(event: str, amount: int) -> None:
            bar.advance(files_task if event == "file" else bytes_task, amount)

        report = events.fetch(start, end, version=1 if v1 else 2, base=base_url, refresh_list=refresh_list,
                              parallel=parallel, tick=tick, on_listed=listed)
    out.print(report.summary(start, end))


@app.command("build")
def build_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="GDELT files or folders of them (instead of --sample or a date range).", show_default=False)] = None,
    sample: Annotated[bool, typer.Option("--sample", help="The 97 real GDELT 2.0 files of the data mirror.")] = False,
    first: FromDay = None,
    last: ToDay = None,
    v1: V1Option = False,
    base_url: BaseOption = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: $MIDDLEPOWER_SCHEDULER, else "
                            "a LocalCluster); 'synchronous' runs in-process.", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=WORKERS.value, show_default=False,
                                                help="LocalCluster worker processes (default: CPUs).")] = None,
    memory_limit: Annotated[str, typer.Option("--memory-limit", help="Memory limit per LocalCluster worker.")] = "2GiB",
    files_per_task: Annotated[int | None, typer.Option(
        "--files-per-task", min=1, show_default=False,
        help="Files per map task (default: about 16 MB of CSV text per task).")] = None,
    db: EventDbOption = None,
) -> None:
    """Aggregate GDELT files to state-year and dyad-year diplomatic measures on Dask, into the event store.

    Input is one of: --sample, a date range already fetched (--from/--to), or paths. Files are the
    partitions of a map-reduce that runs on a LocalCluster of this machine, or on an existing cluster
    given by --scheduler or MIDDLEPOWER_SCHEDULER (its workers need middlepower installed and the files
    on shared storage, or network access to fetch them). The event store is written beside the main
    store and replaced whole. Example: middlepower events build --sample
    """
    import re

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from middlepower import events
    from middlepower.errors import ParameterError

    if not re.fullmatch(MEMORY, memory_limit, flags=re.IGNORECASE):
        raise ParameterError("expected a size such as 2GiB or 500MB", parameter="memory_limit", value=memory_limit)
    _base(base_url)
    start, end = _days(first, last)
    out = console()
    with progress_bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TimeRemainingColumn()) as bar:
        task = bar.add_task("starting Dask", total=None)
        report = events.build(
            sample=sample, first=start, last=end, paths=paths or (), version=1 if v1 else 2, base=base_url, db=db,
            scheduler=scheduler, workers=workers, memory_limit=memory_limit, files_per_partition=files_per_task,
            on_files=lambda count: bar.update(task, description="files aggregated", total=count),
            on_progress=lambda done: bar.update(task, completed=done))
    out.print(report.summary())


@app.command("show")
def show_command(
    country: Annotated[str | None, typer.Argument(help="ISO3 code (omit for the coverage of the event store).",
                                                  show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", help="One year only.", show_default=False)] = None,
    partners: Annotated[bool, typer.Option("--partners", help="Directed dyads: the state's partners instead.")] = False,
    family: Annotated[str | None, typer.Option("--family", help="Partners for one CAMEO family (04, 043, ..., all).",
                                               show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=ROWS_SHOWN.value,
                                     help="How many partners to list (the file of --out has them all).")] = 15,
    db: EventDbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Show a state's diplomatic event measures per year (or the event store's coverage).

    Counts are events involving the state (as either actor) and events hosted in it (located there),
    for each CAMEO family, with their share of the year's whole GDELT volume and the coverage (files,
    days) they rest on. Example: middlepower events show KAZ
    """
    from middlepower import events

    output = table_output(out, fmt)
    if country is None:
        coverage = events.coverage(db)
        cols = [Col("year", fmt=lambda r: str(int(r["year"]))), Col("files", digits=0),
                Col("coverage_days", "days", "days of GDELT files read", digits=4),
                Col("year_events", "events", "every event in those files", digits=0),
                Col("first_slot", "first file"), Col("last_slot", "last file", drop=1)]
        summary = (f"{int(coverage['files'].sum()):,} files, {int(coverage['year_events'].sum()):,} events, "
                   f"{plural(len(coverage), 'year')}")
        deliver(output, {"coverage": coverage}, "coverage",
                lambda screen: show(coverage, cols, "Event store coverage", screen=screen), summary)
        return
    from middlepower.errors import DataError, ParameterError
    from middlepower.events.families import BY_CODE, HOSTED, INVOLVED
    from middlepower.warehouse import check_iso3

    if family is not None and not partners:
        raise ParameterError("applies to --partners only (the yearly table shows every family)",
                             parameter="family", value=family)
    if family is not None and family.strip() not in (*BY_CODE, "all"):
        raise ParameterError(f"not a CAMEO family of the event store ({', '.join(BY_CODE)} or all)",
                             parameter="family", value=family)
    iso3 = check_iso3(country, db)
    if year is not None:
        stored = sorted(int(y) for y in events.coverage(db)["year"])
        if year not in stored:
            raise DataError(f"the event store has no file of that year (it has {', '.join(map(str, stored))})",
                            parameter="year", value=year)
    if partners:
        frame = events.dyad_year(iso3, family=family or "all", db=db)
        frame = frame if year is None else frame[frame["year"] == year]
        ranked = frame.groupby("partner", as_index=False)["events"].sum().sort_values(
            ["events", "partner"], ascending=[False, True]).reset_index(drop=True)
        shown = ranked.head(top)
        summary = f"{iso3}: {len(shown)} of {len(ranked)} partners shown"
        deliver(output, {"partners": ranked}, "partners",
                lambda screen: show(shown, [Col("partner"), Col("events", digits=0)],
                                    f"{iso3} as Actor1: partners (Actor2's state), events", screen=screen), summary)
        return
    frame = events.state_year(iso3, db=db)
    frame = frame if year is None else frame[frame["year"] == year]
    names = [f.code for f in events.FAMILIES] + ["all"]
    counts, shares = _by_family(frame, names)
    labels = "; ".join(f"{f.code} = {f.label}" for f in events.FAMILIES)

    def draw(screen) -> None:
        key = [Col("year", fmt=lambda r: str(int(r["year"]))), Col("role")]
        show(counts, key + [Col(n, digits=0) for n in names] + [Col("files", digits=0, drop=1)],
             f"{iso3}: GDELT diplomatic events", f"CAMEO families: {labels}", screen)
        show(shares, key + [Col(n, digits=2) for n in names], "Per 1,000 events of the year", screen=screen)

    every = frame[frame["family"] == "all"].groupby("role")["events"].sum()
    summary = (f"{iso3}: {int(every.get(INVOLVED, 0)):,} events involving it and {int(every.get(HOSTED, 0)):,} "
               f"held in it (an event can be both) over {plural(frame['year'].nunique(), 'year')}; "
               f"coverage per year in `middlepower events show`")
    deliver(output, {"events": frame}, "events", draw, summary)


def _by_family(frame, names: list[str]):
    """Two frames with one row per year and role and one column per family: counts (and the files read),
    and shares per 1,000 events of the year."""
    import pandas as pd

    counts, shares = [], []
    for (row_year, role), part in frame.groupby(["year", "role"], sort=True):
        by = part.set_index("family")
        counts.append({"year": row_year, "role": role, **{c: int(by.at[c, "events"]) if c in by.index else 0
                                                           for c in names}, "files": int(part["files"].iloc[0])})
        shares.append({"year": row_year, "role": role, **{c: 1000 * float(by.at[c, "share"]) if c in by.index else 0.0
                                                           for c in names}})
    return (pd.DataFrame(counts, columns=["year", "role", *names, "files"]),
            pd.DataFrame(shares, columns=["year", "role", *names]))
