"""Reading the column catalogue and the provenance records a build wrote into the store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower import config
from middlepower.warehouse.store import open_store


def columns(db: Path | str | None = None) -> pd.DataFrame:
    """Return the store's ``_columns`` table: name, source, upstream, unit, description, key, first_year,
    last_year, values (state-years with a value), one row per column of the ``panel`` view."""
    with open_store(db) as store:
        return store.query("SELECT * FROM _columns")


def store_rows(db: Path | str | None = None) -> dict[str, int]:
    """Return rows per source table of the store at ``db``; empty when no store has been built there."""
    target = config.store_path(db)
    if not target.is_file():
        return {}
    with open_store(target) as store:
        frame = store.query("SELECT source, rows FROM _sources")
    return {str(s): int(r) for s, r in zip(frame["source"], frame["rows"], strict=True)}
