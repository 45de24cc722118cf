"""UN voting alignment and the balance index for the country page, when the installation has them.

The alignment layer provides the panel verbs ``add_alignment`` and ``add_balance``
(:mod:`middlepower.panel.alignment`); this module
only calls them on the state-year backbone once per process and selects one state's series.
"""

from __future__ import annotations

import inspect
from functools import lru_cache

import pandas as pd

from middlepower.errors import DataError
from middlepower.web.data import WebData, dumps, plain

SERIES = {
    "un_agree_usa": "agreement with the USA",
    "un_agree_rus": "agreement with Russia",
    "un_agree_chn": "agreement with China",
    "un_agree_eu": "agreement with the EU majority",
    "balance_index": "balance index",
}
"""Columns drawn on the country page (0-1 each) and their labels."""

SOURCE = "un_votes"


def verbs():
    """Return (add_alignment, add_balance or None) from the alignment layer, or None without it.

    The layer documents ``from middlepower.panel.alignment import add_alignment, add_balance``; a
    package that re-exports them on :mod:`middlepower.panel` is accepted too.
    """
    try:
        from middlepower.panel import alignment as module
    except ImportError:
        from middlepower import panel as module
    add_alignment = getattr(module, "add_alignment", None)
    if add_alignment is None:
        return None
    return add_alignment, getattr(module, "add_balance", None)


def available() -> bool:
    """True when the installation has the alignment verbs."""
    return verbs() is not None


def call_verb(verb, frame: pd.DataFrame, db) -> pd.DataFrame:
    # The verbs read the store themselves; pass db= only where the verb takes it.
    return verb(frame, db=db) if "db" in inspect.signature(verb).parameters else verb(frame)


@lru_cache(maxsize=2)
def frame(data: WebData) -> pd.DataFrame:
    """Every state-year with the alignment and balance columns (computed once per process)."""
    from middlepower import panel

    found = verbs()
    if found is None:
        raise DataError("UN voting alignment is not available in this installation")
    add_alignment, add_balance = found
    out = panel.state_years(1946, data.panel_years[1], db=data.db)
    out = call_verb(add_alignment, out, data.db)
    if add_balance is not None:
        out = call_verb(add_balance, out, data.db)
    return out


@lru_cache(maxsize=512)
def series_bytes(data: WebData, iso3: str) -> bytes:
    """One state's alignment series as ``{label, column, points: [[year, value, null, null]]}``."""
    rows = frame(data)
    rows = rows[rows["iso3"] == iso3].sort_values("year")
    out = []
    for column, label in SERIES.items():
        if column not in rows.columns:
            continue
        points = [[int(y), plain(v), None, None] for y, v in zip(rows["year"], rows[column]) if plain(v) is not None]
        if points:
            out.append({"column": column, "label": label, "points": points})
    return dumps({"iso3": iso3, "source": SOURCE, "series": out})
