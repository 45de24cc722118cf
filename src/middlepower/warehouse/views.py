"""The store's ``panel`` view and the column catalogue (``_columns``), both from the registry.

The panel view is the state-year backbone (COW system members from 1946, ISO3-keyed by
:mod:`middlepower.codes`) left-joined with one row per state-year of every source that declares
``panel`` columns (``Source.panel``): a source keyed by COW code joins on ``ccode``, any other on
``iso3``; a long table (``Source.pivot``) is pivoted on its key column. ``_columns`` lists every
column of the view with its source, upstream key, unit, description and the first and last year
that has a value, computed from the data when the store is built.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from middlepower.sources.columns import Column
from middlepower.sources.registry import Source

VIEWS = ("panel",)
"""Every view :func:`create` makes; opening a store checks that each exists."""

KEY_COLUMNS: tuple[tuple[str, Column], ...] = (
    ("country_codelist", Column("iso3", "ISO 3166-1 alpha-3 code", "state, keyed as in middlepower.codes "
                                "(historical cases in docs/codes.md)", upstream="iso3c")),
    ("cw_gw_panel", Column("year", "calendar year", "year of COW state-system membership (extended to 2025 "
                           "by {isard})", upstream="year")),
    ("cw_gw_panel", Column("ccode", "COW state code", "Correlates of War state code of the state that year",
                           upstream="ccode")),
    ("country_codelist", Column("name", "text", "English short name of the state", upstream="country_name")),
)
"""The panel's key columns: the backbone ``state_years`` built by :mod:`middlepower.codes`."""

CATALOGUE_COLUMNS = ("name", "source", "upstream", "unit", "description", "key", "first_year", "last_year",
                     "values")
"""Columns of the ``_columns`` table (``values``: state-years with a value)."""


def panel_sources(registry: list[Source]) -> list[Source]:
    """The table sources that declare panel columns, in registry (name) order."""
    return [source for source in registry if source.table and source.panel]


def _joined(source: Source, columns: list[str]) -> tuple[str, str]:
    """Return (join key, SQL of one row per key and year) for ``source``'s panel columns."""
    key = "ccode" if "ccode" in columns else "iso3"
    if source.pivot is not None:
        by, value = source.pivot
        selects = [f"max({value}) FILTER (WHERE {by} = '{c.upstream}') AS {c.name}" for c in source.panel]
    else:
        # Several rows can share a key-year only through naming quirks (SIPRI's USSR and Russia):
        # the largest value is kept, as the build's validation of unique panel keys requires.
        selects = [f'max("{c.upstream}") AS {c.name}' for c in source.panel]
    sql = (f'SELECT {key}, year, {", ".join(selects)} FROM "{source.name}" '
           f"WHERE {key} IS NOT NULL GROUP BY {key}, year")
    return key, sql


def create(con: duckdb.DuckDBPyConnection, registry: list[Source]) -> None:
    """Create the ``panel`` view in the store behind ``con`` from the panel columns of ``registry``."""
    selects = ["s.iso3", "s.year", "s.ccode", "s.name"]
    joins = []
    for number, source in enumerate(panel_sources(registry)):
        present = [row[0] for row in con.execute(f'DESCRIBE "{source.name}"').fetchall()]
        key, sql = _joined(source, present)
        alias = f"t{number}"
        selects += [f"{alias}.{c.name}" for c in source.panel]
        joins.append(f"LEFT JOIN ({sql}) {alias} ON {alias}.{key} = s.{key} AND {alias}.year = s.year")
    con.execute(f"CREATE VIEW panel AS SELECT {', '.join(selects)} FROM state_years s " + " ".join(joins))


def catalogue(con: duckdb.DuckDBPyConnection, registry: list[Source]) -> pd.DataFrame:
    """Return the ``_columns`` frame: one row per column of the ``panel`` view (see ``CATALOGUE_COLUMNS``).

    A column copied from a source table without a description of its own takes the source's
    description of ``upstream``. Years and counts come from the view's data.
    """
    rows = [{"name": c.name, "source": source, "upstream": c.upstream, "unit": c.unit,
             "description": c.description, "key": True} for source, c in KEY_COLUMNS]
    for source in panel_sources(registry):
        rows += [{"name": c.name, "source": source.name, "upstream": c.upstream, "unit": c.unit,
                  "description": c.description or source.columns.get(c.upstream, ""), "key": False}
                 for c in source.panel]
    frame = pd.DataFrame(rows)
    spans = ", ".join(f'min(year) FILTER (WHERE "{n}" IS NOT NULL), max(year) FILTER (WHERE "{n}" IS NOT NULL), '
                      f'count("{n}")' for n in frame["name"])
    values = con.execute(f"SELECT {spans} FROM panel").fetchall()[0]
    frame["first_year"] = pd.array(values[0::3], dtype="Int64")
    frame["last_year"] = pd.array(values[1::3], dtype="Int64")
    frame["values"] = pd.array(values[2::3], dtype="Int64")
    return frame[list(CATALOGUE_COLUMNS)]
