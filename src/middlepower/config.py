"""Where middlepower keeps things: the store, the download cache and the mirror folder.

Every location can be overridden by an environment variable, so tests and CI never touch a
user's real data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

MIRROR_ENV = "MIDDLEPOWER_MIRROR"
"""Folder laid out like the upstream snapshot (e.g. ``../shared/data``) that serves files offline."""

HOME_ENV = "MIDDLEPOWER_HOME"
"""Overrides the user data directory (store and cache live under it)."""


def data_home() -> Path:
    """Return the directory holding the default store and the download cache."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("middlepower", appauthor=False))


def default_store_path() -> Path:
    """Return the default DuckDB store path (``<data home>/middlepower.duckdb``)."""
    return data_home() / "middlepower.duckdb"


def cache_dir() -> Path:
    """Return the download cache directory (files verified by checksum before use)."""
    return data_home() / "cache"


def mirror_dir() -> Path | None:
    """Return the mirror folder named by ``MIDDLEPOWER_MIRROR``, or None when unset."""
    value = os.environ.get(MIRROR_ENV)
    return Path(value).expanduser() if value else None
