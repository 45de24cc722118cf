"""Read-only access to a built store, refusing half-built or stale files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from middlepower import config
from middlepower.errors import DataError

SCHEMA_VERSION = 3
"""Bumped whenever the store's tables or views change shape; an older store must be rebuilt."""


class Store:
    """A read-only connection to a validated store; query results come back as DataFrames."""

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection):
        self.path = path
        self._con = connection

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """Return the result of a parameterised SQL query as a DataFrame."""
        return self._con.execute(sql, params or []).df()

    def tables(self) -> list[str]:
        """Return the names of the store's tables and views."""
        return sorted(self.query("SELECT table_name FROM information_schema.tables")["table_name"])

    def build_info(self) -> dict:
        """Return the ``_build`` record: fingerprint, schema version, package version, built_at."""
        return self.query("SELECT * FROM _build").iloc[0].to_dict()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(path: Path | str | None = None) -> Store:
    """Return a read-only :class:`Store` at ``path`` (default: the user's store).

    Raises DataError naming the path when the file is missing, is not a DuckDB file, lacks the
    ``_build`` record of a completed build, or was built by an older schema.
    """
    target = Path(path) if path is not None else config.default_store_path()
    if not target.is_file():
        raise DataError(f"{target}: no store here; run `middlepower build` first (or pass --db)")
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error as exc:
        raise DataError(f"{target}: not a readable middlepower store ({str(exc).splitlines()[0]})") from None
    try:
        info = con.execute("SELECT schema_version FROM _build").fetchone()
    except duckdb.Error:
        con.close()
        raise DataError(f"{target}: store is incomplete (no build record); run `middlepower build`") from None
    if info is None or info[0] != SCHEMA_VERSION:
        con.close()
        raise DataError(f"{target}: store was built by another version of middlepower; run `middlepower build`")
    missing = _missing_tables(con)
    if missing:
        con.close()
        raise DataError(f"{target}: store lacks table {missing[0]!r} (built before that source was added); "
                        f"run `middlepower build`")
    return Store(target, con)


def _missing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    from middlepower import sources

    present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [source.name for source in sources.all_sources() if source.table and source.name not in present]
