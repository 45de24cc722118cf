"""The event store: a DuckDB file beside the main store holding the event tables and their files.

``middlepower.duckdb`` gets an ``middlepower.events.duckdb`` companion, so rebuilding the main store
(which replaces its file) never drops event tables that took hours to aggregate, and an event build
never touches the main store. The file is written whole to a temporary name and renamed, so a
failed build leaves the previous one in place. Tables: ``events_state_year``, ``events_dyad_year``,
``events_coverage``, ``events_files`` (which files every year's aggregates come from: each measure
of year Y rests on all files of year Y), ``events_unmapped`` and ``_events_build``.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from middlepower import __version__, config
from middlepower.errors import DataError
from middlepower.events.tables import Aggregates

EVENTS_SCHEMA_VERSION = 1
TABLES = ("events_state_year", "events_dyad_year", "events_coverage", "events_files", "events_unmapped")


def event_store_path(db: Path | str | None = None) -> Path:
    """Return the event store that goes with the main store ``db`` (default: the user's store)."""
    main = config.store_path(db)
    return main.with_name(f"{main.stem}.events.duckdb")


def write(aggregates: Aggregates, db: Path | str | None, *, label: str, runner: str) -> Path:
    """Write ``aggregates`` as the event store of ``db`` (atomically) and return its path."""
    target = event_store_path(db)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        with duckdb.connect(str(tmp)) as con:
            for name, frame in aggregates.frames().items():
                con.register("_incoming", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
                con.unregister("_incoming")
            build = pd.DataFrame([{
                "schema_version": EVENTS_SCHEMA_VERSION, "package_version": __version__, "inputs": label,
                "runner": runner, "files": len(aggregates.files),
                "events": int(aggregates.coverage["year_events"].sum()),
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }])
            con.register("_incoming", build)
            con.execute("CREATE TABLE _events_build AS SELECT * FROM _incoming")
        os.replace(tmp, target)
    except (OSError, duckdb.Error) as exc:
        raise DataError(f"{target}: cannot write the event store ({str(exc).splitlines()[0]})") from None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return target


def read(table: str, db: Path | str | None = None, where: str = "", params: list | None = None) -> pd.DataFrame:
    """Return ``table`` of the event store of ``db`` (optionally filtered by a SQL ``where``)."""
    if table not in (*TABLES, "_events_build"):
        raise DataError(f"no event table {table!r}; tables: {', '.join(TABLES)}")
    path = event_store_path(db)
    if not path.is_file():
        raise DataError(f"{path}: no event store; run `middlepower events build` first")
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            version = con.execute("SELECT schema_version FROM _events_build").fetchone()
            if version is None or version[0] != EVENTS_SCHEMA_VERSION:
                raise DataError(f"{path}: built by another version of middlepower; run `middlepower events build`")
            sql = f'SELECT * FROM "{table}"' + (f" WHERE {where}" if where else "")
            return con.execute(sql, params or []).df()
    except duckdb.Error as exc:
        raise DataError(f"{path}: not a readable event store ({str(exc).splitlines()[0]})") from None
