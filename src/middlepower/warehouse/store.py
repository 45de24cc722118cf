"""Read-only access to a built store, checked on every open.

Opening a store checks, in this order: the file opens as DuckDB; the ``_build`` record of a
completed build is there and has this version's schema; every expected table and view exists;
and the content checksum of every table and view equals the one the build recorded. That last
check reads the whole store (DuckDB then also verifies its own block checksums); it runs once per
state of the file: its result is kept beside the store (``.<name>.verified``, keyed by the file's
size, mtime and inode and by any ``.wal`` beside it) and in the process, so later opens cost a
``stat``. Any failure is one DataError line naming the store and telling the user to run
``middlepower build``, which rebuilds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import duckdb
import pandas as pd

from middlepower import config
from middlepower.errors import DataError

SCHEMA_VERSION = 5
"""Bumped whenever the store's tables or views change shape; an older store must be rebuilt."""

CORE_TABLES = ("crosswalk", "state_years", "_sources", "_unmapped", "_columns", "_build")
"""Tables every store has besides one per registered source."""

REBUILD = "run `middlepower build` to rebuild it"


class Store:
    """A read-only connection to a verified store; query results come back as DataFrames."""

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection, info: dict):
        self.path = path
        self._con = connection
        self._info = info

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """Return the result of a parameterised SQL query as a DataFrame.

        A store that turns out to be damaged while it is read raises DataError (one line).
        """
        try:
            return self._con.execute(sql, params or []).df()
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if isinstance(exc, duckdb.IOException) or "Corrupt" in first:
                raise DataError(f"{self.path}: store is damaged ({first}); {REBUILD}") from None
            raise

    def tables(self) -> list[str]:
        """Return the names of the store's tables and views."""
        return sorted(self.query("SELECT table_name FROM information_schema.tables")["table_name"])

    def build_info(self) -> dict:
        """Return the ``_build`` record: fingerprint, content, build_id, versions, built_at, mirror."""
        return dict(self._info)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def expected_tables() -> list[str]:
    """Return every table a current store must hold: one per table source plus the core tables."""
    from middlepower import sources

    return [source.name for source in sources.all_sources() if source.table] + list(CORE_TABLES)


def expected_views() -> list[str]:
    """Return every view a current store must hold."""
    from middlepower.warehouse import un_views, views

    return [*views.VIEWS, *un_views.VIEWS]


def content_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Return a hex digest of every table's columns, types and rows and every view's definition.

    Rows enter as the sum of DuckDB's row hashes, so the digest does not depend on row order;
    ``_build`` (which records the digest) is left out. Reading every row also makes DuckDB check
    every block's checksum.
    """
    digest = hashlib.sha256()
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND table_name <> '_build' ORDER BY 1"
    ).fetchall()
    for (name,) in tables:
        columns = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [name],
        ).fetchall()
        rows, total = con.execute(f'SELECT count(*), sum(hash(t)) FROM "{name}" AS t').fetchone()
        digest.update(f"table {name} {columns} {rows} {total}\n".encode())
    for name, sql in con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall():
        digest.update(f"view {name} {sql}\n".encode())
    return digest.hexdigest()


def file_state(target: Path) -> list:
    """Return what identifies the current bytes of the store: its stat and that of a WAL beside it."""
    stat = target.stat()
    wal = target.with_name(target.name + ".wal")
    wal_stat = wal.stat() if wal.exists() else None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino,
            None if wal_stat is None else [wal_stat.st_size, wal_stat.st_mtime_ns]]


def sidecar_path(target: Path) -> Path:
    """Return the file beside the store recording its last successful content check."""
    return target.with_name(f".{target.name}.verified")


_VERIFIED: dict[tuple, str] = {}


def _already_verified(target: Path, state: list, content: str) -> bool:
    if _VERIFIED.get((str(target), json.dumps(state))) == content:
        return True
    with contextlib.suppress(OSError, ValueError):
        record = json.loads(sidecar_path(target).read_text(encoding="utf-8"))
        if record.get("state") == state and record.get("content") == content:
            _VERIFIED[(str(target), json.dumps(state))] = content
            return True
    return False


def record_verified(target: Path, content: str, build_id: str) -> None:
    """Remember that the store's current bytes passed the content check (in-process and beside it).

    The record also keeps the build id, so that a later build can remove the caches of this build
    even when the store has become unreadable."""
    state = file_state(target)
    _VERIFIED[(str(target), json.dumps(state))] = content
    sidecar = sidecar_path(target)
    with contextlib.suppress(OSError):  # a read-only folder: the check simply runs again next time
        partial = sidecar.with_name(f"{sidecar.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps({"state": state, "content": content, "build_id": build_id}),
                           encoding="utf-8")
        partial.replace(sidecar)


def recorded_build_id(target: Path) -> str | None:
    """Return the build id the last successful check of the store at ``target`` recorded, if any."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return json.loads(sidecar_path(target).read_text(encoding="utf-8")).get("build_id")
    return None


def check(con: duckdb.DuckDBPyConnection, target: Path) -> dict:
    """Return the ``_build`` record of the store behind ``con``; DataError if it is not whole and current."""
    try:
        cursor = con.execute("SELECT * FROM _build")
        rows = cursor.fetchall()
    except duckdb.CatalogException:
        raise DataError(f"{target}: store is incomplete (no build record); {REBUILD}") from None
    if len(rows) != 1:
        raise DataError(f"{target}: store is incomplete ({len(rows)} build records); {REBUILD}")
    info = dict(zip([column[0] for column in cursor.description], rows[0], strict=True))
    schema = info.get("schema_version")
    if schema != SCHEMA_VERSION:
        older = "an older" if isinstance(schema, int) and schema < SCHEMA_VERSION else "another"
        raise DataError(f"{target}: store was built by {older} version of middlepower (store schema {schema}, "
                        f"this version reads {SCHEMA_VERSION}); {REBUILD}")
    present = con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall()
    tables = {name for name, kind in present if kind == "BASE TABLE"}
    view_names = {name for name, kind in present if kind == "VIEW"}
    for name in expected_tables():
        if name not in tables:
            raise DataError(f"{target}: store lacks table {name!r} (built before that source was added, or "
                            f"damaged); {REBUILD}")
    for name in expected_views():
        if name not in view_names:
            raise DataError(f"{target}: store lacks view {name!r}; {REBUILD}")
    state = file_state(target)
    recorded = str(info.get("content_fingerprint"))
    if not _already_verified(target, state, recorded):
        if content_fingerprint(con) != recorded:
            raise DataError(f"{target}: store content differs from what its build recorded (modified or "
                            f"damaged since); {REBUILD}")
        record_verified(target, recorded, str(info.get("build_id")))
    return info


def open_store(path: Path | str | None = None) -> Store:
    """Return a read-only :class:`Store` at ``path`` (default: the user's store), checked as the module says.

    Raises DataError naming the path when the file is missing, is not a readable DuckDB file, is
    incomplete, damaged, modified since its build, or was built by another schema version.
    """
    target = config.store_path(path)
    if not target.is_file():
        raise DataError(f"{target}: no store here; run `middlepower build` first (or pass --db)")
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        raise DataError(f"{target}: not a readable middlepower store ({_first_line(exc)}); {REBUILD}") from None
    try:
        info = check(con, target)
    except DataError:
        con.close()
        raise
    except duckdb.Error as exc:
        con.close()
        raise DataError(f"{target}: store is damaged ({_first_line(exc)}); {REBUILD}") from None
    return Store(target, con, info)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
