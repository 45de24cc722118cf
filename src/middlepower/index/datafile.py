"""Reading a data table a user gives the index engine (``--data``, a COINr iData or iMeta): the boundary.

:func:`read_table` returns a DataFrame from a .csv, .parquet or .xlsx/.xls file under the shared
rules of :mod:`middlepower.specfile` (a regular file, at most
:data:`~middlepower.limits.TABLE_BYTES`, checked before it is read; CSV text in UTF-8, not binary)
plus a table's own: a header without repeated names and at least one row. Every failure is one
DataError naming the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from middlepower import limits
from middlepower.errors import DataError
from middlepower.specfile import decode_text, read_bytes

SUFFIXES = (".csv", ".parquet", ".xlsx", ".xls")


def read_table(path: str | Path, what: str = "data"):
    """Return the ``what`` table at ``path`` as a DataFrame; DataError naming the file otherwise."""
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES and not path.is_dir():
        raise DataError(f"{path}: a {what} table must be {', '.join(SUFFIXES)}")
    data = read_bytes(path, what, limits.TABLE_BYTES, DataError)
    try:
        if suffix == ".csv":
            text = decode_text(data, path, what, DataError)
            if not text.strip():
                raise DataError(f"{path}: the {what} file is empty")
            header = next(csv.reader(io.StringIO(text)))
            repeated = sorted({name for name in header if header.count(name) > 1})
            if repeated:
                raise DataError(f"{path}: column {repeated[0]!r} appears twice in the header")
            frame = pd.read_csv(io.StringIO(text))
        elif suffix == ".parquet":
            frame = pd.read_parquet(io.BytesIO(data))
        else:
            frame = pd.read_excel(io.BytesIO(data))
    except DataError:
        raise
    except Exception as exc:  # pandas, pyarrow and openpyxl each have their own; the first line says what
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"{path}: not a readable {suffix[1:]} {what} table ({message})") from None
    if frame.empty:
        raise DataError(f"{path}: the {what} table has no rows")
    return frame
