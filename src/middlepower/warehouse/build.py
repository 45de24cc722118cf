"""Build the store atomically: write a temporary DuckDB file, validate it, then rename it into place.

An interrupted or failed build leaves the previous store untouched and no temporary file behind.
Unchanged inputs (same file checksums, same schema and package version) make the build a no-op.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from middlepower import __version__, codes, config, sources
from middlepower.errors import DataError, MiddlepowerError
from middlepower.sources.registry import Source
from middlepower.warehouse import un_views, views
from middlepower.warehouse.store import SCHEMA_VERSION

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build did: ``skipped`` when the store was already current."""

    path: Path
    skipped: bool
    fingerprint: str
    tables: dict[str, int] = field(default_factory=dict)
    unmapped: pd.DataFrame | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        """Return the one-line summary the CLI prints."""
        if self.skipped:
            return f"store {self.path} is up to date ({self.seconds:.1f} s, nothing rebuilt)"
        rows = sum(self.tables.values())
        unmapped = 0 if self.unmapped is None else int(self.unmapped["rows"].sum())
        return (
            f"built {self.path}: {len(self.tables)} tables, {rows:,} rows, "
            f"{unmapped:,} rows with codes that have no ISO3 (see table _unmapped), {self.seconds:.1f} s"
        )


def fingerprint(table_sources: list[Source]) -> str:
    """Return a hex digest of every input file's sha256 plus the schema and package version.

    Files are resolved (and their checksums verified) on the way, so a missing or altered input
    fails here, before anything is written.
    """
    digest = hashlib.sha256(f"schema={SCHEMA_VERSION};version={__version__}".encode())
    for source in table_sources:
        for file in source.files:
            sources.resolve(file)
            digest.update(f"{source.name}:{file.path}:{file.sha256}".encode())
    return digest.hexdigest()


def _current_fingerprint(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute("SELECT fingerprint, schema_version FROM _build").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row and row[1] == SCHEMA_VERSION else None


def build(db: Path | str | None = None, *, force: bool = False, progress: Progress | None = None) -> BuildReport:
    """Build (or confirm current) the store at ``db`` (default: the user's store) and report.

    Every table source is loaded, keyed by ISO3 through :mod:`middlepower.codes` and written as one
    table; the crosswalk, the state-year backbone, a ``_sources`` provenance table, an ``_unmapped``
    table, the ``panel`` view and its column catalogue ``_columns`` are added. Raises SourceError for
    unusable inputs and DataError when
    the target cannot be written; in both cases any previous store is left as it was.
    """
    started = time.perf_counter()
    target = Path(db) if db is not None else config.default_store_path()
    tick = progress or (lambda message: None)
    table_sources = [source for source in sources.all_sources() if source.table]
    tick("checking inputs")
    wanted = fingerprint(table_sources)
    if not force and _current_fingerprint(target) == wanted:
        return BuildReport(target, True, wanted, seconds=time.perf_counter() - started)

    with _temporary_store(target) as (tmp_path, con):
        tables: dict[str, int] = {}
        unmapped: list[pd.DataFrame] = []
        provenance = []
        for source in table_sources:
            tick(f"loading {source.name}")
            frame = sources.load(source.name)
            keyed, missing = codes.attach_iso3(frame, source.name)
            _write_table(con, source.name, keyed)
            tables[source.name] = len(keyed)
            unmapped.append(missing)
            provenance.append(_provenance_row(source, len(keyed)))
        tick("writing crosswalk and views")
        for name, frame in (("crosswalk", codes.crosswalk()), ("state_years", codes.state_years())):
            _write_table(con, name, frame)
            tables[name] = len(frame)
        unmapped_frame = pd.concat(unmapped, ignore_index=True) if unmapped else pd.DataFrame(
            columns=["source", "code", "rows"])
        _write_table(con, "_unmapped", unmapped_frame)
        views.create(con, table_sources)
        un_views.create(con)
        _write_table(con, "_columns", views.catalogue(con, table_sources))
        _write_table(con, "_sources", pd.DataFrame(provenance))
        tick("validating")
        _validate(con, tables)
        un_views.validate(con)
        _write_table(con, "_build", pd.DataFrame([{
            "fingerprint": wanted,
            "schema_version": SCHEMA_VERSION,
            "package_version": __version__,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }]))
        con.close()
        os.replace(tmp_path, target)
    return BuildReport(target, False, wanted, tables, unmapped_frame, time.perf_counter() - started)


@contextlib.contextmanager
def _temporary_store(target: Path) -> Iterator[tuple[Path, duckdb.DuckDBPyConnection]]:
    """Yield a connection to a fresh temporary file beside ``target``; remove it unless renamed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"{target.parent}: cannot create the store folder ({exc.strerror})") from None
    tmp_path = target.with_name(f".{target.name}.{os.getpid()}.building")
    with contextlib.suppress(OSError):  # a leftover of a killed build with our pid, or a read-only folder
        tmp_path.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp_path))
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
        raise DataError(f"{target.parent}: cannot write the store there ({reason})") from None
    try:
        yield tmp_path, con
    finally:
        with contextlib.suppress(Exception):
            con.close()
        for leftover in (tmp_path, tmp_path.with_name(tmp_path.name + ".wal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _write_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("_incoming", frame)
    try:
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
    finally:
        con.unregister("_incoming")


def _provenance_row(source: Source, rows: int) -> dict:
    return {
        "source": source.name,
        "title": source.title,
        "files": json.dumps([{"path": f.path, "url": f.url, "sha256": f.sha256} for f in source.files]),
        "licence": source.licence,
        "citation": source.citation,
        "coverage": source.coverage,
        "homepage": source.homepage,
        "redistributable": source.redistributable,
        "rows": rows,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _validate(con: duckdb.DuckDBPyConnection, tables: dict[str, int]) -> None:
    for name, expected in tables.items():
        (count,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0]
        if count != expected:
            raise MiddlepowerError(f"store validation failed: table {name} has {count} rows, expected {expected}")
    (duplicates,) = con.execute(
        "SELECT count(*) FROM (SELECT iso3, year FROM panel GROUP BY iso3, year HAVING count(*) > 1)"
    ).fetchall()[0]
    if duplicates:
        raise MiddlepowerError(f"store validation failed: panel has {duplicates} duplicated iso3-year keys")
