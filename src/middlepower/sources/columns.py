"""The column catalogue's entry: one column of the store's ``panel`` view, or one a panel verb adds.

A source declares the panel columns it contributes in ``Source.panel`` (see
:mod:`middlepower.sources.registry`); the warehouse builds the ``panel`` view from those
declarations and writes them, with the first and last year that has a value, into the store's
``_columns`` table. A layer that computes a column (a panel verb, the power model) declares it with
``sources`` (registry tables it reads) and ``inputs`` (catalogue columns it is computed from).
Each column is declared once; SQL, docs, the web API, reports and the model spec read the
declaration.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One catalogued column.

    ``name``: the column's name, with its unit in the name where it has one (``gdp_usd``).
    ``unit``: the unit in words (``current US$``, ``% of GDP``, ``count``, ``0-1``).
    ``description``: what it measures, in one line; empty for a column copied from a source table,
    which then reads the source's own description of ``upstream``.
    ``upstream``: the source's own name for it: a column of the source's table, or the key value
    in a long table (a WDI indicator code, an Energy Institute measure); for a computed column the
    rule in words.
    ``sources`` / ``inputs``: for computed columns, the registry tables read directly and the
    catalogue columns it derives from (its provenance is the union of both).
    """

    name: str
    unit: str
    description: str = ""
    upstream: str = ""
    sources: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
