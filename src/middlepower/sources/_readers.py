"""Small readers shared by the source modules (R data files, gzipped CSVs, integer codes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadr

from middlepower.errors import SourceError


def read_rda(path: Path, object_name: str | None = None) -> pd.DataFrame:
    """Return the data frame stored in an R ``.rda`` file (the one named ``object_name`` if given)."""
    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own types for corrupt or unsupported files
        raise SourceError(f"{path}: not a readable R data file ({exc})") from None
    if object_name is None:
        if len(objects) != 1:
            raise SourceError(f"{path}: expected one R object, found {', '.join(objects)}")
        return next(iter(objects.values()))
    if object_name not in objects:
        raise SourceError(f"{path}: no R object {object_name!r} (has {', '.join(objects)})")
    return objects[object_name]


def as_int(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return ``frame`` with ``columns`` cast to nullable Int64 (R stores integers as doubles)."""
    out = frame.copy()
    for column in columns:
        # Float64 (nullable) rounds missing values silently; numpy float64 warns on NaN.
        out[column] = pd.to_numeric(out[column], errors="raise").astype("Float64").round().astype("Int64")
    return out


def github_raw(repo: str, commit: str, path: str) -> str:
    """Return the canonical raw-download URL of ``path`` in ``repo`` at ``commit``."""
    return f"https://github.com/{repo}/raw/{commit}/{path}"


def github_raw_content(repo: str, commit: str, path: str) -> str:
    """Return the raw.githubusercontent.com URL of ``path`` in ``repo`` at ``commit`` (path percent-encoded)."""
    from urllib.parse import quote

    return f"https://raw.githubusercontent.com/{repo}/{commit}/{quote(path)}"


def write_csv_gz(frame: pd.DataFrame, out: Path) -> None:
    """Write ``frame`` as a gzipped CSV at ``out`` (no index; no timestamp in the gzip header)."""
    frame.to_csv(out, index=False, compression={"method": "gzip", "mtime": 0})
