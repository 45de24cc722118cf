"""Writing a command's tables to a file or to standard output: CSV, Parquet or JSON, never half-written.

:class:`TableOutput` is made from a command's ``--out`` and ``--format`` options *before* the
command computes anything, so a bad extension, a missing or unwritable folder or a format that
contradicts the file name is one error line (:class:`~middlepower.errors.UsageError`, exit code 2)
and no work is lost. A file is written to a temporary name in its folder and renamed, so a failed
write leaves neither a partial file nor the temporary.

Formats: ``csv`` and ``parquet`` hold one table (the command's main one); ``json`` holds every
table of the command as ``{"name": [records...]}``.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd

from middlepower.errors import UsageError

FILE_FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json"}
STDOUT_FORMATS = ("table", "csv", "json")
FORMATS = ("table", "csv", "parquet", "json")


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


def encode(tables: dict[str, pd.DataFrame], main: str, fmt: str) -> bytes:
    """Return ``tables`` as the bytes of ``fmt``: the ``main`` table for csv/parquet, every table for json."""
    if fmt == "csv":
        return tables[main].to_csv(index=False).encode()
    if fmt == "parquet":
        buffer = io.BytesIO()
        tables[main].to_parquet(buffer, index=False)
        return buffer.getvalue()
    payload = {name: _records(frame) for name, frame in tables.items()}
    return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode()


def write_atomic(path: Path, body: bytes, option: str = "--out") -> Path:
    """Write ``body`` to ``path`` through a temporary file in the same folder, then rename it."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(body)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError(f"{option} {path}: cannot write ({exc.strerror})") from None
    return path


class TableOutput:
    """Where a table command's result goes: the terminal (default), standard output as csv/json, a file.

    ``out`` (``--out``) is checked now: its extension must be .csv, .parquet or .json (or agree with
    ``fmt``), its folder must exist and accept a new file. ``fmt`` (``--format``) without ``out`` is
    what standard output gets: ``table`` (the fitted table, legend and summary), ``csv`` or ``json``
    (data only; messages go to standard error).
    """

    def __init__(self, out: Path | None, fmt: str | None):
        if fmt is not None and fmt not in FORMATS:
            raise UsageError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
        self.path = None if out is None else Path(out)
        self.file_format = None
        if self.path is not None:
            self.file_format = self._check_file(self.path, fmt)
            self.stdout_format = "table"
        else:
            if fmt == "parquet":
                raise UsageError("--format parquet: binary output needs a file (--out result.parquet)")
            self.stdout_format = fmt or "table"

    @staticmethod
    def _check_file(path: Path, fmt: str | None) -> str:
        """The file's format; extension, folder and writability checked by the one boundary for output
        files (:func:`middlepower.outpath.check_out`), then agreement with ``--format``."""
        from middlepower.outpath import check_out

        check_out(path, tuple(FILE_FORMATS))
        by_name = FILE_FORMATS[path.suffix.lower()]
        if fmt not in (None, "table", by_name):
            raise UsageError(f"--out {path} is a .{by_name} file but --format says {fmt}")
        return by_name

    @property
    def shows_table(self) -> bool:
        """True when the terminal gets the fitted table (and the legend and summary lines)."""
        return self.stdout_format == "table"

    def emit(self, tables: dict[str, pd.DataFrame], main: str) -> str | None:
        """Write ``tables`` where they go; return a note for the summary (``wrote FILE``) or None."""
        if self.stdout_format in ("csv", "json"):
            sys.stdout.write(encode(tables, main, self.stdout_format).decode())
            sys.stdout.flush()
        if self.path is None:
            return None
        write_atomic(self.path, encode(tables, main, self.file_format))
        what = "every table" if self.file_format == "json" and len(tables) > 1 else f"{len(tables[main]):,} rows"
        return f"wrote {self.path} ({what})"

