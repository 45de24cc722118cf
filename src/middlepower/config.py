"""Where middlepower keeps things: the store, the download cache and the mirror.

Every location can be overridden by an environment variable, so tests and CI never touch a
user's real data directory.

The mirror (``MIDDLEPOWER_MIRROR``) is a folder or an http(s) URL laid out like the upstream
snapshot ``../shared/data``. A relative folder is resolved against the working directory at the
moment it is read. Each build that used a mirror remembers it in ``<data home>/mirror``; when the
variable is unset, that remembered mirror is used, so a later shell finds the same files. Setting
the variable to the empty string means "no mirror" (download from the canonical addresses).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import platformdirs

MIRROR_ENV = "MIDDLEPOWER_MIRROR"
"""Folder or http(s) URL laid out like the upstream snapshot (e.g. ``../shared/data``)."""

HOME_ENV = "MIDDLEPOWER_HOME"
"""Overrides the user data directory (store, cache and remembered mirror live under it)."""

REMEMBERED_MIRROR = "mirror"
"""File under the data home holding the mirror the last build used (one line)."""

COMPUTE_THREADS = max(1, min(4, os.cpu_count() or 1))
"""Threads a computation may run side by side in this process (the cores, at most four)."""


def data_home() -> Path:
    """Return the directory holding the default store and the download cache."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(platformdirs.user_data_dir("middlepower", appauthor=False))


def default_store_path() -> Path:
    """Return the default DuckDB store path (``<data home>/middlepower.duckdb``)."""
    return data_home() / "middlepower.duckdb"


def store_path(db: Path | str | None = None) -> Path:
    """Return the store path a ``db`` argument names: ``db`` itself, or the default store when it is None."""
    return Path(db) if db is not None else default_store_path()


def cache_dir() -> Path:
    """Return the download cache directory (files verified by checksum before use)."""
    return data_home() / "cache"


def build_cache_dir(build_id: str) -> Path:
    """Return the folder for caches derived from the store build ``build_id`` (e.g. the power model).

    A build that replaces a store removes the folder of the build it replaces, so such caches
    never outlive their store.
    """
    return data_home() / "builds" / build_id


def code_digest(folder: Path, extra: str = "") -> str:
    """Return 16 hex digits fingerprinting ``extra`` and the Python files of ``folder``: part of the
    key of a cache whose content depends on that code (a report, the dashboard's profiles)."""
    import hashlib

    digest = hashlib.sha256(extra.encode())
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_url(location: str) -> bool:
    """Return True when ``location`` is an http(s) URL rather than a folder."""
    return location.startswith(("http://", "https://"))


def _normalise(value: str) -> str:
    if is_url(value):
        return value.rstrip("/") + "/"
    return str(Path(value).expanduser().resolve())


def mirror() -> str | None:
    """Return the mirror: an absolute folder path or an http(s) URL ending in '/', or None.

    ``MIDDLEPOWER_MIRROR`` wins (a relative folder is resolved against the current directory
    now); when it is unset, the mirror remembered by the last build; '' means no mirror.
    """
    value = os.environ.get(MIRROR_ENV)
    if value is None:
        value = remembered_mirror()
    if not value:
        return None
    _check_mirror(value)
    return _normalise(value)


def _check_mirror(value: str) -> None:
    """SourceError naming the mirror unless it is an http(s) URL, or a folder (or nothing yet) on disk."""
    from middlepower.errors import SourceError

    if is_url(value):
        return
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
        raise SourceError(f"{mirror_origin()} {value!r}: expected a folder or an http(s) URL")
    if Path(value).expanduser().exists() and not Path(value).expanduser().is_dir():
        raise SourceError(f"{mirror_origin()} {value!r}: a file, not a folder laid out like ../shared/data")


def mirror_origin() -> str:
    """Return where :func:`mirror` came from, for messages ('MIDDLEPOWER_MIRROR' or the remembered file)."""
    if os.environ.get(MIRROR_ENV) is not None:
        return MIRROR_ENV
    return f"the mirror remembered in {data_home() / REMEMBERED_MIRROR}"


def mirror_dir() -> Path | None:
    """Return the mirror when it is a folder (None for no mirror or an http(s) mirror)."""
    location = mirror()
    return Path(location) if location and not is_url(location) else None


def remembered_mirror() -> str | None:
    """Return the mirror the last build remembered, or None."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = (data_home() / REMEMBERED_MIRROR).read_text(encoding="utf-8").strip()
        return text or None
    return None


def remember_mirror(location: str | None) -> None:
    """Record ``location`` as the mirror later commands use when ``MIDDLEPOWER_MIRROR`` is unset.

    Nothing is recorded for None (a build that downloaded from the canonical addresses keeps
    the previous record). An unwritable data home only means the mirror is not remembered.
    """
    if not location:
        return
    target = data_home() / REMEMBERED_MIRROR
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        partial.write_text(location + "\n", encoding="utf-8")
        partial.replace(target)
