"""UN voting alignment and the balance index for the country page.

Calls the panel layer's :func:`~middlepower.panel.alignment.alignment_series` once per process for
every state-year and selects one state's series; the labels are the panel layer's ``CHART_SERIES``.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from middlepower.panel.alignment import CHART_SERIES, alignment_series
from middlepower.web.data import WebData, dumps, plain

SOURCE = "un_votes"


@lru_cache(maxsize=2)
def frame(data: WebData) -> pd.DataFrame:
    """Every state-year with the alignment and balance columns (computed once per process)."""
    return alignment_series(1946, data.panel_years[1], db=data.db)


@lru_cache(maxsize=512)
def series_bytes(data: WebData, iso3: str) -> bytes:
    """One state's alignment series as ``{label, column, points: [[year, value, null, null]]}``."""
    rows = frame(data)
    rows = rows[rows["iso3"] == iso3].sort_values("year")
    out = []
    for column, label in CHART_SERIES.items():
        points = [[int(y), plain(v), None, None] for y, v in zip(rows["year"], rows[column], strict=True)
                  if plain(v) is not None]
        if points:
            out.append({"column": column, "label": label, "points": points})
    return dumps({"iso3": iso3, "source": SOURCE, "series": out})
