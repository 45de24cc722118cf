"""CLI commands of the foundation: ``build``, ``fetch`` and ``sources``."""

from __future__ import annotations

from typing import Annotated

import typer

from middlepower.terminal import (
    Col,
    DbOption,
    FormatOption,
    OutOption,
    console,
    deliver,
    progress_bar,
    show,
    table_output,
)

app = typer.Typer(add_completion=False)


@app.command("build")
def build(
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the inputs are unchanged.")] = False,
) -> None:
    """Build the country-year store from the registered sources (a no-op when it is current and whole).

    Files are read from MIDDLEPOWER_MIRROR (a folder or an http(s) URL), then the local cache,
    then downloaded from their canonical addresses; each is checked against its sha256. The store
    is written to a temporary file, validated and renamed, so a failed build leaves the old one
    intact. A damaged, incomplete or outdated store is rebuilt; a second build of the same store
    waits for the first.
    """
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    from middlepower import warehouse

    out = console()
    with progress_bar(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()) as bar:
        task = bar.add_task("starting", total=None)

        def downloading(label: str, done: int, total: int | None) -> None:
            size = f"{done / 1e6:.1f}" + (f" of {total / 1e6:.1f}" if total else "")
            bar.update(task, description=f"downloading {label} ({size} MB)")

        report = warehouse.build(db, force=force, progress=lambda msg: bar.update(task, description=msg),
                                 download_progress=downloading,
                                 on_wait=lambda msg: out.print(msg, highlight=False, soft_wrap=True))
    if report.reason and report.reason not in ("no store yet", "forced") and not report.skipped:
        out.print(f"rebuilt because: {report.reason}", highlight=False, soft_wrap=True)
    out.print(report.summary())


@app.command("fetch")
def fetch() -> None:
    """Download every registered file that is missing locally, resumably, each checked against its sha256.

    Reads MIDDLEPOWER_MIRROR (a folder or an http(s) URL) first, then the canonical addresses.
    Files whose licence forbids automatic download (SIPRI, Energy Institute) are listed with the
    address to get them from and the path to save them as. Exit code 3 if anything is missing.
    """
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TransferSpeedColumn

    from middlepower import config, sources
    from middlepower.errors import SourceError

    config.mirror()  # a mirror that is no folder or http(s) URL fails here, once
    out = console()
    entries = [(source, entry) for source in sources.all_sources() for entry in source.files]
    manual: dict[str, sources.ManualDownload] = {}
    failed: list[str] = []
    fetched = available = 0
    with progress_bar(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                      TransferSpeedColumn()) as bar:
        overall = bar.add_task(f"checking {len(entries)} files", total=len(entries))
        tasks: dict[str, int] = {}

        def downloading(label: str, done: int, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        for _, entry in entries:
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
        out.print(f"{len(manual)} file(s) need a manual download (their licences do not let middlepower "
                  f"fetch them); download each address and save it as the path after the arrow:",
                  highlight=False, soft_wrap=True)
        for exc in manual.values():  # one line per upstream file, however many sources read it
            out.print(f"  {exc.url} -> {exc.target}", highlight=False, soft_wrap=True)
    if failed:  # plain lines on stdout, one per file; the one error line on stderr follows
        out.print(f"{len(failed)} file(s) failed:", highlight=False)
        for message in failed:
            out.print(f"  {message}", highlight=False, soft_wrap=True, markup=False)
    out.print(f"{available} of {len(entries)} files available ({fetched} fetched now), "
              f"{len(manual)} need a manual download, {len(failed)} failed")
    if manual or failed:
        raise SourceError(f"{len(manual) + len(failed)} file(s) still missing: "
                          + ("download the files listed above by hand" if manual else failed[0]))


@app.command("sources")
def list_sources(
    check: Annotated[bool, typer.Option("--check/--no-check", help="Verify checksums of local files.")] = True,
    db: DbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """List every registered source with producer, licence, coverage, local status and rows in the store.

    The terminal shows one line or two per source; --out (or --format csv|json) has every field,
    citation and homepage included. The store column is empty when no store has been built at the
    default path (or at --db). Exit code 3, with one line naming the first, when a local file is unusable.
    """
    import pandas as pd

    from middlepower import config, sources
    from middlepower.errors import SourceError
    from middlepower.warehouse.catalogue import store_rows

    output = table_output(out, fmt)
    rows = store_rows(db)
    counts = {"ok": 0, "missing": 0, "bad": 0}
    first_bad = ""
    records = []
    for source in sources.all_sources():
        problems = []
        for entry in source.files:
            state, _ = sources.locate(entry)
            if state in ("missing", "mirror-url"):
                counts["missing"] += 1
                problems.append(f"{'on the mirror URL' if state == 'mirror-url' else 'missing'} {entry.path}")
                continue
            if check:
                try:
                    sources.resolve(entry, download=False)
                except SourceError as exc:
                    counts["bad"] += 1
                    first_bad = first_bad or str(exc)
                    problems.append(f"UNUSABLE {entry.path}")
                    continue
            counts["ok"] += 1
        status = "shipped" if not source.files else "; ".join(problems) or ("ok" if check else "found")
        stored = rows.get(source.name)
        records.append({"source": source.name, "title": source.title, "producer": source.producer,
                        "licence": source.licence, "coverage": source.coverage, "citation": source.citation,
                        "homepage": source.homepage, "redistributable": source.redistributable,
                        "files": len(source.files), "status": status, "store_rows": stored})
    frame = pd.DataFrame(records)
    cols = [Col("source"), Col("title", wrap=True),
            Col("status", legend="ok: every file found" + (" and its checksum verified" if check else "")
                + "; shipped: typed facts in the package", wrap=True),
            Col("store_rows", "rows", "rows in the store", digits=0, drop=2),
            Col("licence", wrap=True, drop=3)]
    mirror = config.mirror()
    summary = (f"{len(records)} sources: {counts['ok']} files ok, {counts['missing']} missing, "
               f"{counts['bad']} unusable; mirror: "
               f"{mirror + ' (' + config.mirror_origin() + ')' if mirror else 'none'}")
    deliver(output, {"sources": frame}, "sources",
            lambda screen: show(frame, cols, "middlepower sources",
                                "producers, licences, citations and homepages: --out sources.csv", screen), summary)
    if counts["bad"]:
        raise SourceError(f"{counts['bad']} local file(s) unusable; first: {first_bad}")
