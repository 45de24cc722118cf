"""UN voting alignment and the balance index for the country page.

Calls the panel layer's :func:`~middlepower.panel.alignment.alignment_series` once per process for
every state-year and selects one state's series; the labels are the panel layer's ``CHART_SERIES``,
and each series' sources, unit and description come from the panel's column catalogue
(:func:`middlepower.panel.declared`), its years from the data drawn.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from middlepower.panel.alignment import CHART_SERIES, alignment_series
from middlepower.web.data import WebData, dumps, plain

SOURCE = "un_votes"
"""The registry name every answer's ``source`` has carried since the first API (kept for clients that
read it); ``sources`` and ``label`` say in full what the series rest on."""


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    """Each ``CHART_SERIES`` column's sources (registry names), unit and description, from the catalogue."""
    from middlepower import panel

    declared = panel.declared().drop_duplicates("name").set_index("name")
    return {column: {"sources": list(declared.loc[column, "sources"]), "unit": declared.loc[column, "unit"],
                     "description": declared.loc[column, "description"]} for column in CHART_SERIES}


def sources(data: WebData) -> dict:
    """What the alignment series rest on: ``sources`` (registry names, in catalogue order) and ``label``
    (the registry titles), for ``/api/meta`` and every series answer."""
    names = list(dict.fromkeys(s for entry in catalogue().values() for s in entry["sources"]))
    titles = "; ".join(str(data.sources.get(name, {}).get("title", name)) for name in names)
    return {"sources": names, "label": f"UN General Assembly votes: {titles}"}


@lru_cache(maxsize=2)
def frame(data: WebData) -> pd.DataFrame:
    """Every state-year with the alignment and balance columns (computed once per process)."""
    return alignment_series(1946, data.panel_years[1], db=data.db)


@lru_cache(maxsize=512)
def series_bytes(data: WebData, iso3: str) -> bytes:
    """One state's alignment series as ``{label, column, points: [[year, value, null, null]], sources, unit,
    description, first_year, last_year}``, with ``source`` (kept), ``sources`` and ``label`` for the whole."""
    rows = frame(data)
    rows = rows[rows["iso3"] == iso3].sort_values("year")
    out = []
    for column, label in CHART_SERIES.items():
        points = [[int(y), plain(v), None, None] for y, v in zip(rows["year"], rows[column], strict=True)
                  if plain(v) is not None]
        if points:
            out.append({"column": column, "label": label, "points": points, **catalogue()[column],
                        "first_year": points[0][0], "last_year": points[-1][0]})
    about = sources(data)
    years = [y for s in out for y in (s["first_year"], s["last_year"])]
    label = about["label"] + (f" ({min(years)}-{max(years)} for {iso3})" if years else "")
    return dumps({"iso3": iso3, "source": SOURCE, "sources": about["sources"], "label": label, "series": out})
