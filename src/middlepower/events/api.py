"""The events layer's Python API: choose files, aggregate them on Dask, store and read the tables."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from middlepower import cluster
from middlepower.errors import DataError
from middlepower.events import download as fetcher
from middlepower.events import mapreduce, store
from middlepower.events.files import EventFile, files_from_paths, sample_files
from middlepower.events.tables import Aggregates, shape
from middlepower.warehouse import check_iso3


def parse_day(text: str, *, end: bool = False) -> date:
    """Return a date from ``2024-10-22``, ``20241022`` or ``2024`` (Jan 1, or Dec 31 when ``end``)."""
    value = str(text).strip()
    match = re.fullmatch(r"(\d{4})(?:-?(\d{2})-?(\d{2}))?", value)
    if not match:
        raise DataError(f"date {text!r}: expected YYYY-MM-DD, YYYYMMDD or a year YYYY")
    year = int(match.group(1))
    if match.group(2) is None:
        return date(year, 12, 31) if end else date(year, 1, 1)
    try:
        return date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise DataError(f"date {text!r}: not a calendar date") from None


@dataclass
class Selection:
    """The files a build reads, a label saying where they came from, and what was left out."""

    files: list[EventFile]
    label: str
    left_out: list[str] = field(default_factory=list)
    missing: int = 0


def select_files(*, sample: bool = False, first: date | None = None, last: date | None = None,
                 paths: Sequence[Path | str] = (), version: int = 2, base: str | None = None) -> Selection:
    """Return the files of exactly one input: the registered sample, a cached date range, or ``paths``.

    A date range reads the files GDELT lists for it that are in the cache (or a GDELT-layout
    mirror), verified by md5 and size; ``missing`` counts listed files not fetched yet.
    """
    chosen = [bool(sample), first is not None or last is not None, bool(paths)]
    if sum(chosen) != 1:
        raise DataError("choose one input: --sample, a date range (--from/--to), or GDELT file paths")
    if sample:
        files, dropped = sample_files()
        return Selection(files, "gdelt_v2_sample (97 mirror files, 96 slots)", dropped)
    if paths:
        files, dropped = files_from_paths(paths)
        return Selection(files, f"{len(files)} files from {', '.join(map(str, paths))}", dropped)
    if first is None or last is None:
        raise DataError("a date range needs both --from and --to")
    if last < first:
        raise DataError(f"date range {first}..{last} ends before it starts")
    files, missing = fetcher.cached(first, last, version=version, base=base)
    return Selection(files, f"GDELT {version}.0 exports {first}..{last} (cache)", missing=missing)


def aggregate(files: Sequence[EventFile], *, scheduler=None, workers: int | None = None,
              memory_limit: str = cluster.DEFAULT_MEMORY_LIMIT, files_per_partition: int | None = None,
              on_progress: Callable[[int], None] | None = None) -> Aggregates:
    """Return the event tables of ``files``, map-reduced on Dask (see :mod:`middlepower.cluster`).

    ``scheduler``: None for a LocalCluster (``$MIDDLEPOWER_SCHEDULER`` if set), an address such as
    ``tcp://host:8786``, ``"synchronous"``, or a ``distributed.Client``.
    """
    with cluster.dask_client(scheduler, workers=workers, memory_limit=memory_limit) as runner:
        long = mapreduce.count_files(list(files), runner, files_per_partition=files_per_partition,
                                     on_progress=on_progress)
    return shape(long, list(files))


@dataclass
class BuildReport:
    """What an event build read and wrote."""

    path: Path
    selection: Selection
    aggregates: Aggregates
    runner: str
    seconds: float

    def summary(self) -> str:
        coverage = self.aggregates.coverage
        years = (f"{int(coverage['year'].min())}-{int(coverage['year'].max())}" if len(coverage) else "no years")
        notes = []
        if self.selection.left_out:
            notes.append(f"{len(self.selection.left_out)} duplicate slot(s) left out")
        if self.selection.missing:
            notes.append(f"{self.selection.missing:,} listed files not cached (run `middlepower events fetch`)")
        extra = f"; {'; '.join(notes)}" if notes else ""
        return (f"built {self.path}: {len(self.selection.files):,} files, {int(coverage['year_events'].sum()):,} "
                f"events, {years}, {len(self.aggregates.state_year):,} state-year and "
                f"{len(self.aggregates.dyad_year):,} dyad-year rows on {self.runner}, {self.seconds:.1f} s{extra}")


def build(*, sample: bool = False, first: date | None = None, last: date | None = None,
          paths: Sequence[Path | str] = (), version: int = 2, base: str | None = None, db: Path | str | None = None,
          scheduler=None, workers: int | None = None, memory_limit: str = cluster.DEFAULT_MEMORY_LIMIT,
          files_per_partition: int | None = None, on_files: Callable[[int], None] | None = None,
          on_progress: Callable[[int], None] | None = None) -> BuildReport:
    """Aggregate the chosen files (see :func:`select_files`) and write the event store beside ``db``.

    The store is replaced as a whole: it holds the tables of this build's files only.
    """
    started = time.perf_counter()
    selection = select_files(sample=sample, first=first, last=last, paths=paths, version=version, base=base)
    if not selection.files:
        raise DataError(f"{selection.label}: no files to read" +
                        (f" ({selection.missing:,} listed, none cached: run `middlepower events fetch`)"
                         if selection.missing else ""))
    if on_files:
        on_files(len(selection.files))
    with cluster.dask_client(scheduler, workers=workers, memory_limit=memory_limit) as runner:
        long = mapreduce.count_files(selection.files, runner, files_per_partition=files_per_partition,
                                     on_progress=on_progress)
        description = runner.description
    tables = shape(long, selection.files)
    path = store.write(tables, db, label=selection.label, runner=description)
    return BuildReport(path, selection, tables, description, time.perf_counter() - started)


def state_year(iso3: str | None = None, *, role: str | None = None, family: str | None = None,
               db: Path | str | None = None) -> pd.DataFrame:
    """Return the stored state-year measures (all, or one state / role / family); see tables.STATE_YEAR_COLUMNS.
    Codes in any case; DataError for a code that is no state."""
    return _filtered("events_state_year", {"iso3": iso3, "role": role, "family": family}, db)


def dyad_year(iso3: str | None = None, partner: str | None = None, *, family: str | None = None,
              db: Path | str | None = None) -> pd.DataFrame:
    """Return the stored directed dyad-year measures (Actor1's state ``iso3`` -> Actor2's ``partner``).
    Codes in any case; DataError for a code that is no state."""
    return _filtered("events_dyad_year", {"iso3": iso3, "partner": partner, "family": family}, db)


def coverage(db: Path | str | None = None) -> pd.DataFrame:
    """Return the stored coverage per year: files, days of GDELT, total events, first and last stamp."""
    return store.read("events_coverage", db).sort_values("year").reset_index(drop=True)


def files(db: Path | str | None = None) -> pd.DataFrame:
    """Return the files the stored aggregates come from (name, slot, year, events, bytes, md5, url, path)."""
    return store.read("events_files", db).sort_values("slot").reset_index(drop=True)


def _filtered(table: str, filters: dict[str, str | None], db) -> pd.DataFrame:
    # a code that is no state is a typo (DataError), not a state without events
    wanted = {column: check_iso3(value, db) if column in ("iso3", "partner") else value.strip()
              for column, value in filters.items() if value}
    where = " AND ".join(f"{column} = ?" for column in wanted)
    frame = store.read(table, db, where, list(wanted.values()))
    keys = [c for c in ("iso3", "partner", "year", "role", "family") if c in frame.columns]
    return frame.sort_values(keys).reset_index(drop=True)
