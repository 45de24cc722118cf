"""Build the store atomically: write a temporary DuckDB file, validate it, then rename it into place.

One build at a time per store (:mod:`.lock`); a second build waits for the first. Leftovers of a
killed build (``.<name>.<pid>.building`` and its ``.wal``) are removed by the next build. A build
is a no-op only when the store's recorded input fingerprint equals the declarations' and the
store passes the full check of :func:`~middlepower.warehouse.store.open_store`; a damaged,
incomplete or outdated store is rebuilt. An interrupted or failed build leaves the previous store
untouched. Caches derived from a store live under ``config.build_cache_dir(build_id)`` and are
removed when their build is replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from middlepower import __version__, codes, config, sources
from middlepower.errors import DataError, MiddlepowerError
from middlepower.sources.files import Progress as DownloadProgress
from middlepower.sources.files import remove_leftovers
from middlepower.sources.registry import Derived, Source
from middlepower.warehouse import un_views, views
from middlepower.warehouse.lock import build_lock
from middlepower.warehouse.store import (
    SCHEMA_VERSION,
    content_fingerprint,
    open_store,
    record_verified,
    recorded_build_id,
)

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
    content: str = ""
    reason: str = ""
    """Why the store was (re)built: '' for a no-op, else e.g. the open check's message."""

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
    """Return a hex digest of every declared input (paths, checksums, derived recipes) plus the
    schema and package version. Pure: it reads no file, so a no-op build needs no inputs."""
    digest = hashlib.sha256(f"schema={SCHEMA_VERSION};version={__version__}".encode())
    for source in table_sources:
        for entry in source.files:
            if isinstance(entry, Derived):
                made_from = ",".join(f"{f.path}={f.sha256}" for f in entry.inputs)
                digest.update(f"{source.name}:{entry.path}:v{entry.version}:{made_from}".encode())
            else:
                digest.update(f"{source.name}:{entry.path}:{entry.sha256}".encode())
    return digest.hexdigest()


def _current(target: Path, wanted: str) -> tuple[dict | None, str]:
    """Return (the store's build record, '') if it is whole and current, else (record or None, why not)."""
    if not target.is_file():
        return None, "no store yet"
    try:
        with open_store(target) as store:
            info = store.build_info()
    except DataError as exc:
        return _readable_record(target), str(exc)
    if info.get("fingerprint") != wanted:
        return info, "inputs or middlepower changed since the last build"
    return info, ""


def _readable_record(target: Path) -> dict | None:
    """Return the build record of a store that failed its check, if it can still be read."""
    with contextlib.suppress(duckdb.Error, OSError, IndexError), duckdb.connect(str(target), read_only=True) as con:
        cursor = con.execute("SELECT * FROM _build")
        return dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
    return None


def build(db: Path | str | None = None, *, force: bool = False, progress: Progress | None = None,
          download_progress: DownloadProgress | None = None, on_wait: Progress | None = None) -> BuildReport:
    """Build (or confirm current) the store at ``db`` (default: the user's store) and report.

    Every table source is loaded, keyed by ISO3 through :mod:`middlepower.codes` and written as one
    table; the crosswalk, the state-year backbone, a ``_sources`` provenance table, an ``_unmapped``
    table, the ``panel`` view and its column catalogue ``_columns`` are added, then a ``_build``
    record with the input fingerprint, the content checksum and a build id. Raises SourceError for
    unusable inputs and DataError when the target cannot be written; in both cases any previous
    store is left as it was. ``progress(message)`` reports each step, ``download_progress`` each
    download, ``on_wait(message)`` that another build of the same store is running and this one
    waits for it.
    """
    started = time.perf_counter()
    target = config.store_path(db).expanduser().absolute()
    tick = progress or (lambda message: None)
    table_sources = [source for source in sources.all_sources() if source.table]
    wanted = fingerprint(table_sources)
    config.mirror()  # a mirror that is no folder or http(s) URL fails here, before anything is written
    _ensure_folder(target)
    waiting = on_wait or tick
    with build_lock(target, on_wait=lambda holder: waiting(f"waiting for the build of {target} by {holder} to finish")):
        _remove_leftovers(target)
        remove_leftovers()  # the download cache's temporaries of killed processes
        previous, reason = _current(target, wanted)
        previous_build = (previous or {}).get("build_id") or recorded_build_id(target)
        if not force and not reason:
            return BuildReport(target, True, wanted, seconds=time.perf_counter() - started,
                               content=str(previous["content_fingerprint"]))
        tick("checking inputs")
        for source in table_sources:  # every input verified (or fetched) before anything is written
            for entry in source.files:
                sources.resolve(entry, progress=download_progress)
        report = _write(target, table_sources, wanted, tick)
        if previous_build:
            shutil.rmtree(config.build_cache_dir(str(previous_build)), ignore_errors=True)
    config.remember_mirror(config.mirror())
    report.reason = "forced" if force else reason
    report.seconds = time.perf_counter() - started
    return report


def _write(target: Path, table_sources: list[Source], wanted: str, tick: Progress) -> BuildReport:
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
        un_views.create(con, table_sources)
        _write_table(con, "_columns", views.catalogue(con, table_sources))
        _write_table(con, "_sources", pd.DataFrame(provenance))
        tick("validating")
        _validate(con, tables)
        un_views.validate(con)
        content = content_fingerprint(con)
        build_id = uuid.uuid4().hex
        _write_table(con, "_build", pd.DataFrame([{
            "fingerprint": wanted,
            "content_fingerprint": content,
            "build_id": build_id,
            "schema_version": SCHEMA_VERSION,
            "package_version": __version__,
            "duckdb_version": duckdb.__version__,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "mirror": config.mirror() or "",
        }]))
        con.close()
        stray_wal = target.with_name(target.name + ".wal")
        with contextlib.suppress(FileNotFoundError):
            stray_wal.unlink()  # a WAL beside the old store would be replayed over the new one
        os.replace(tmp_path, target)
    record_verified(target, content, build_id)
    return BuildReport(target, False, wanted, tables, unmapped_frame, content=content)


def _ensure_folder(target: Path) -> None:
    if target.is_dir():
        raise DataError(f"{target}: a folder, not a store file (give a file name, e.g. "
                        f"{target / 'middlepower.duckdb'})")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"{target.parent}: cannot create the store folder ({exc.strerror})") from None


def _remove_leftovers(target: Path) -> None:
    """Remove temporary files of killed builds of ``target`` (we hold the lock: no build is running)."""
    for pattern in (f".{target.name}.*.building", f".{target.name}.*.building.wal",
                    f".{target.name}.verified.*.partial"):
        for leftover in target.parent.glob(pattern):
            with contextlib.suppress(OSError):
                leftover.unlink()


@contextlib.contextmanager
def _temporary_store(target: Path) -> Iterator[tuple[Path, duckdb.DuckDBPyConnection]]:
    """Yield a connection to a fresh temporary file beside ``target``; remove it unless renamed."""
    tmp_path = target.with_name(f".{target.name}.{os.getpid()}.building")
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


def _files_record(source: Source) -> str:
    entries = []
    for entry in source.files:
        if isinstance(entry, Derived):
            entries.append({"path": entry.path, "recipe": entry.recipe,
                            "made_from": [{"path": f.path, "url": f.url, "sha256": f.sha256} for f in entry.inputs]})
        else:
            entries.append({"path": entry.path, "url": entry.url, "sha256": entry.sha256})
    return json.dumps(entries)


def _provenance_row(source: Source, rows: int) -> dict:
    return {
        "source": source.name,
        "title": source.title,
        "files": _files_record(source),
        "licence": source.licence,
        "citation": source.citation,
        "coverage": source.coverage,
        "homepage": source.homepage,
        "redistributable": source.redistributable,
        "rows": rows,
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
