"""Read GDELT event files (2.0 exports, 1.0 daily and historical files), plain or zipped.

:func:`read_events` returns a whole file as a typed DataFrame; :func:`iter_batches` streams a
file in bounded record batches (what the aggregation uses, so a 1.0 yearly back file never has
to fit in memory). The layout is recognised from the number of tab-separated fields on the first
line. A row with another number of fields (a truncated file, a mixed excerpt), a value of the
wrong type, or an unreadable zip is a SourceError naming the file and the row or column.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from middlepower.errors import SourceError
from middlepower.events.layout import LAYOUTS, Layout

BLOCK_BYTES = 8 << 20
"""Bytes of CSV text parsed per record batch (bounds the memory of one read)."""
INFLATE_IN_MEMORY = 64 << 20
"""A zip member up to this size (every 2.0 file, most 1.0 daily files) is inflated whole; larger ones stream."""

_PANDAS_TYPES = {
    pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.string(): pd.StringDtype(),
}


@contextlib.contextmanager
def open_text(path: Path | str) -> Iterator[io.BufferedIOBase]:
    """Yield a binary stream of the file's CSV text: the file itself, or the single member of a zip."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        with path.open("rb") as handle:
            yield handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path}: not a readable zip ({exc}); the download is truncated or damaged") from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) != 1:
            raise SourceError(f"{path}: expected one CSV member in the zip, found {len(members)}")
        if members[0].file_size <= INFLATE_IN_MEMORY:
            yield io.BytesIO(archive.read(members[0]))  # one inflate call: faster than streaming
            return
        with archive.open(members[0]) as member:
            yield member


def detect_layout(path: Path | str) -> Layout:
    """Return the layout of ``path`` from the field count of its first line (SourceError otherwise)."""
    if not Path(path).is_file():
        raise SourceError(f"{path}: no such GDELT file")
    try:
        with open_text(path) as stream:
            first = stream.readline()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise SourceError(f"{path}: cannot read ({exc}); the file is truncated or damaged") from None
    if not first.strip():
        raise SourceError(f"{path}: empty file, not a GDELT event file")
    width = first.count(b"\t") + 1
    if width not in LAYOUTS:
        raise SourceError(f"{path}: first line has {width} tab-separated fields; expected 61 (GDELT 2.0), "
                          f"58 (1.0 daily) or 57 (1.0 historical)")
    return LAYOUTS[width]


def iter_batches(path: Path | str, columns: tuple[str, ...] | None = None, *,
                 layout: Layout | None = None, block_bytes: int = BLOCK_BYTES) -> Iterator[pa.RecordBatch]:
    """Yield record batches of ``columns`` (default: all) of the file, typed as in :mod:`.layout`."""
    layout = layout or detect_layout(path)
    wanted = tuple(columns or layout.columns)
    unknown = [name for name in wanted if name not in layout.columns]
    if unknown:
        raise SourceError(f"{path}: {layout.title} has no column {unknown[0]!r}")
    bad_rows: list = []

    def _invalid(row) -> str:
        bad_rows.append(row)
        return "error"

    read = pacsv.ReadOptions(column_names=list(layout.columns), block_size=block_bytes, use_threads=False)
    parse = pacsv.ParseOptions(delimiter="\t", quote_char=False, escape_char=False, invalid_row_handler=_invalid)
    convert = pacsv.ConvertOptions(column_types=layout.types(wanted), include_columns=list(wanted),
                                   strings_can_be_null=True, null_values=[""],
                                   timestamp_parsers=["%Y%m%d%H%M%S", "%Y%m%d"])
    try:
        with open_text(path) as stream:
            yield from pacsv.open_csv(stream, read_options=read, parse_options=parse, convert_options=convert)
    except (pa.ArrowInvalid, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise SourceError(_read_error(path, layout, exc, bad_rows)) from None


def _read_error(path, layout: Layout, exc: Exception, bad_rows: list) -> str:
    if bad_rows:
        row = bad_rows[0]
        where = f"row {row.number}" if row.number is not None else "a row"
        return (f"{path}: {where} has {row.actual_columns} fields, expected {row.expected_columns} "
                f"({layout.title}); the file is truncated or mixes layouts")
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    column = re.search(r"column #(\d+)", text)
    if column:
        name = layout.columns[int(column.group(1))] if int(column.group(1)) < layout.width else column.group(1)
        value = re.search(r"invalid value '([^']*)'", text)
        shown = f" {value.group(1)!r}" if value else ""
        return f"{path}: column {name} holds a value{shown} that is not {layout.types((name,))[name]} ({layout.title})"
    return f"{path}: cannot read as {layout.title}: {text[:160]}"


def read_events(path: Path | str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return the events of one GDELT file as a DataFrame with typed columns.

    Integer and flag columns are nullable (Int8 .. Int64, boolean), codes and names are strings
    (empty fields are NA), ``SQLDATE`` and ``DATEADDED`` are datetimes (seconds), coordinates,
    tone and Goldstein scores float64. ``columns`` limits the read to some columns.
    """
    layout = detect_layout(path)
    batches = list(iter_batches(path, columns, layout=layout))
    schema = pa.schema([(name, kind) for name, kind in layout.types(tuple(columns or layout.columns)).items()])
    table = pa.Table.from_batches(batches, schema=schema) if batches else schema.empty_table()
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)
