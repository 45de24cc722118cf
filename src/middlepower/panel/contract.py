"""The panel verbs' contract and the column catalogue they document.

A verb is declared with :func:`verb`: the store columns it selects from the ``panel`` view (declared
by their sources, :mod:`middlepower.sources.columns`) and the columns it computes (declared here,
once, as :class:`~middlepower.sources.columns.Column` with their ``sources`` and ``inputs``). The
decorator records the verb in ``VERBS`` and appends the list of its columns, from the catalogue,
to its docstring. :func:`catalogue` returns every column every verb adds, with the first and last
year of data the build wrote into the store's ``_columns`` table.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from middlepower.sources.columns import Column


@dataclass(frozen=True)
class Verb:
    """One panel verb: the store columns it selects and the columns it computes."""

    name: str
    store: tuple[str, ...]
    derived: tuple[Column, ...]
    years: str = ""
    """For a verb whose computed columns do not come from the store (the event measures): what their
    years are, said in words instead of a span the docs could not hold for every build."""

    @property
    def columns(self) -> list[str]:
        """Every column the verb adds, in the order it adds them."""
        return [*self.store, *(c.name for c in self.derived)]


VERBS: dict[str, Verb] = {}
"""Every panel verb by name, filled as the verb modules are imported (see :func:`verbs`)."""


def store_declarations() -> dict[str, tuple[str, Column]]:
    """Every column of the store's ``panel`` view as declared: name -> (source name, Column)."""
    from middlepower import sources
    from middlepower.warehouse.views import KEY_COLUMNS, panel_sources

    out = {column.name: (source, column) for source, column in KEY_COLUMNS}
    for source in panel_sources(sources.all_sources()):
        for column in source.panel:
            described = column.description or source.columns.get(column.upstream, "")
            out[column.name] = (source.name, Column(column.name, column.unit, described, column.upstream))
    return out


def verb(*, store: Iterable[str] = (), derived: Iterable[Column] = (), years: str = "") -> Callable:
    """Declare a panel verb ``add_x(frame, *, db=None)``: record it and document its columns
    (``years``: see :attr:`Verb.years`)."""

    def decorate(function: Callable) -> Callable:
        entry = Verb(function.__name__, tuple(store), tuple(derived), years)
        VERBS[entry.name] = entry
        declared = store_declarations()
        lines = ["", "", "    Columns added (unit; source):", ""]
        for name in entry.store:
            source, column = declared[name]  # a KeyError here is a verb naming an undeclared column
            lines.append(f"    * ``{name}``: {column.description} ({column.unit}; {source} {column.upstream})")
        for column in entry.derived:
            lines.append(f"    * ``{column.name}``: {column.description} ({column.unit}; "
                         f"{', '.join(provenance(column, declared))})")
        function.__doc__ = (function.__doc__ or "").rstrip() + "\n".join(lines) + "\n"
        return function

    return decorate


def provenance(column: Column, declared: dict[str, tuple[str, Column]] | None = None) -> list[str]:
    """The registry sources a computed column rests on: its own ``sources`` and those of its ``inputs``."""
    declared = store_declarations() if declared is None else declared
    derived = {c.name: c for v in VERBS.values() for c in v.derived}
    out = list(column.sources)
    for name in column.inputs:
        if name in declared:
            found = [declared[name][0]]
        elif name in derived:
            found = provenance(derived[name], declared)
        else:
            raise KeyError(f"column {column.name!r}: input {name!r} is in no catalogue")
        out += [s for s in found if s not in out]
    return out


def verbs() -> dict[str, Verb]:
    """Return every panel verb by name, in the order of :data:`middlepower.panel.VERB_MODULES`."""
    from middlepower.panel import VERB_MODULES

    for module in dict.fromkeys(VERB_MODULES.values()):
        importlib.import_module(f"middlepower.panel.{module}")
    return {name: VERBS[name] for name in VERB_MODULES}


def declared(extra: Iterable[Column] = ()) -> pd.DataFrame:
    """Every column the panel verbs add (plus ``extra`` computed columns, e.g. the power model's), from
    the declarations alone: name, verb, sources (tuple of registry names), upstream, unit, description,
    stored (True for columns of the store's ``panel`` view)."""
    store = store_declarations()
    rows = []
    for entry in verbs().values():
        for name in entry.store:
            source, column = store[name]
            rows.append({"name": name, "verb": entry.name, "sources": (source,), "upstream": column.upstream,
                         "unit": column.unit, "description": column.description, "stored": True})
        rows += [_derived_row(column, entry.name, store) for column in entry.derived]
    rows += [_derived_row(column, "", store) for column in extra]
    return pd.DataFrame(rows)


def _derived_row(column: Column, verb_name: str, store: dict) -> dict:
    return {"name": column.name, "verb": verb_name, "sources": tuple(provenance(column, store)),
            "upstream": column.upstream, "unit": column.unit, "description": column.description, "stored": False}


def catalogue(db: Path | str | None = None) -> pd.DataFrame:
    """Every column the panel verbs add, with its years of data: the columns of :func:`declared` plus
    ``first_year``, ``last_year`` and ``values`` (state-years with a value), from the store's ``_columns``
    table for stored columns and from :func:`computed_years` for computed ones, and ``years_note``: for
    the columns of a verb that declares ``years`` (the event measures), that text, their years being
    those of the event build rather than of the store."""
    from middlepower.warehouse import columns

    stored = columns(db)[["name", "first_year", "last_year", "values"]]
    spans = pd.concat([stored, computed_years(db)], ignore_index=True)
    out = declared().merge(spans, on="name", how="left")
    notes = {c.name: entry.years for entry in verbs().values() if entry.years for c in entry.derived}
    out["years_note"] = out["name"].map(notes).fillna("")
    return out


def computed_years(db: Path | str | None = None) -> pd.DataFrame:
    """Return name, first_year, last_year, values (state-years with a value) of every computed column.

    Each verb with computed columns is run over the whole backbone (every state-year of the store's
    ``state_years``) and the years with a value are read off its result. Verbs that declare ``years``
    are not run (their data is not the store's). The result is cached per store build and version of
    the panel code (``config.build_cache_dir``), so the docs pay for the run (about 20 s) once per build.
    """
    from middlepower import config
    from middlepower.panel.frame import state_years
    from middlepower.warehouse import open_store

    with open_store(db) as store:
        build_id = str(store.build_info()["build_id"])
        first, last = store.query("SELECT min(year) AS a, max(year) AS b FROM state_years").iloc[0]
        path = store.path
    code = config.code_digest(Path(__file__).parent)
    cache = config.build_cache_dir(build_id) / "panel" / f"computed-years-{code}.csv"
    if cache.is_file():
        return pd.read_csv(cache, dtype={"name": "string"}).astype(
            {"first_year": "Int64", "last_year": "Int64", "values": "Int64"})
    backbone = state_years(int(first), int(last), db=path)[["iso3", "year"]]
    rows = []
    for entry in verbs().values():
        if not entry.derived or entry.years:
            continue
        result = getattr(importlib.import_module("middlepower.panel"), entry.name)(backbone.copy(), db=path)
        for column in entry.derived:
            years = result.loc[result[column.name].notna(), "year"]
            rows.append({"name": column.name, "first_year": years.min() if len(years) else pd.NA,
                         "last_year": years.max() if len(years) else pd.NA, "values": len(years)})
    frame = pd.DataFrame(rows, columns=["name", "first_year", "last_year", "values"]).astype(
        {"name": "string", "first_year": "Int64", "last_year": "Int64", "values": "Int64"})
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial")
    frame.to_csv(partial, index=False)
    partial.replace(cache)
    return frame
