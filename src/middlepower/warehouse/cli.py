"""CLI commands of the foundation: ``build`` and ``sources``."""

from __future__ import annotations

from typing import Annotated

import typer

from middlepower.terminal import DbOption, console

app = typer.Typer(add_completion=False)


@app.command("build")
def build(
    db: DbOption = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the inputs are unchanged.")] = False,
) -> None:
    """Build the country-year store from the registered sources (a no-op when inputs are unchanged).

    Files are read from the mirror folder in MIDDLEPOWER_MIRROR, then the local cache, then
    downloaded from their canonical addresses; each is checked against its sha256. The store is
    written to a temporary file, validated and renamed, so a failed build leaves the old one intact.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from middlepower import warehouse

    out = console()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=out, transient=True) as bar:
        task = bar.add_task("starting", total=None)
        report = warehouse.build(db, force=force, progress=lambda msg: bar.update(task, description=msg))
    out.print(report.summary())


@app.command("sources")
def list_sources(
    check: Annotated[bool, typer.Option("--check/--no-check", help="Verify checksums of local files.")] = True,
    db: DbOption = None,
) -> None:
    """List every registered source with citation, licence, coverage, local status and rows in the store.

    The store column is empty when no store has been built at the default path (or at --db).
    """
    from rich.table import Table

    from middlepower import sources
    from middlepower.errors import SourceError
    from middlepower.warehouse.catalogue import store_rows

    rows = store_rows(db)
    table = Table(title="middlepower sources", show_lines=True)
    for column in ("source", "title / citation", "licence", "coverage", "status", "store rows"):
        table.add_column(column, overflow="fold")
    counts = {"ok": 0, "missing": 0, "bad": 0}
    for source in sources.all_sources():
        problems = []
        for file in source.files:
            _, path = sources.locate(file)
            if path is None:
                counts["missing"] += 1
                problems.append(f"missing {file.path}")
                continue
            if check:
                try:
                    sources.resolve(file, download=False)
                except SourceError:
                    counts["bad"] += 1
                    problems.append(f"CHECKSUM MISMATCH {file.path}")
                    continue
            counts["ok"] += 1
        if not source.files:
            status = "shipped with middlepower"
        else:
            status = "; ".join(problems) or f"found ({len(source.files)} file(s){', checksum ok' if check else ''})"
        stored = rows.get(source.name)
        table.add_row(source.name, f"{source.title}\n{source.citation}", source.licence, source.coverage, status,
                      "" if stored is None else f"{stored:,}")
    out = console()
    out.print(table)
    out.print(f"{len(sources.all_sources())} sources: {counts['ok']} files ok, "
              f"{counts['missing']} missing, {counts['bad']} with a bad checksum")
    if counts["bad"]:
        raise typer.Exit(3)
