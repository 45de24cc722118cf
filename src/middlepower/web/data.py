"""What the dashboard shows, read once from the store and the library and kept in memory.

:class:`WebData` holds one read-only store connection for the life of the app and caches every
year-level frame the API serves, so a request for a country-year is a dictionary lookup plus
(cached) JSON bytes. It calls the library's public functions (panel view, power model, corridor)
and adds no analysis of its own: it only selects, renames and attaches each figure's source.
"""

from __future__ import annotations

import json
import math
import threading
from functools import lru_cache
from pathlib import Path

import pandas as pd

from middlepower.errors import DataError
from middlepower.warehouse import open_store
from middlepower.warehouse.store import file_state


class UnknownCountry(DataError):
    """An ISO3 code the crosswalk does not know (the API answers 404)."""


def plain(value):
    """Return ``value`` as a JSON-safe Python scalar (NaN, NA and infinities become None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """Return ``frame``'s rows as JSON-safe dicts."""
    columns = list(frame.columns)
    return [
        {c: plain(v) for c, v in zip(columns, row, strict=True)} for row in frame.itertuples(index=False, name=None)
    ]


def dumps(payload) -> bytes:
    """Serialise ``payload`` to compact UTF-8 JSON bytes (no NaN: those are None already)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


class WebData:
    """Cached, read-only access to everything the dashboard serves, from the store at ``db``."""

    def __init__(self, db: Path | str | None = None):
        self._store = open_store(db)
        self.db = self._store.path
        self._opened = file_state(self.db)
        self._lock = threading.Lock()  # a DuckDB connection serves one query at a time
        self.build = {k: plain(v) for k, v in self._store.build_info().items()}
        self.sources = self._read_sources()
        self.columns = self._read_columns()
        """The store's column catalogue (``_columns``) for the panel's data columns, by name."""
        self.column_source = {name: row["source"] for name, row in self.columns.items()}
        self.countries = self._read_countries()
        first, last = self._query("SELECT min(year) AS a, max(year) AS b FROM state_years").iloc[0]
        self.panel_years = (int(first), int(last))
        self.latest_year = self._latest_year()
        self.profiles: dict[tuple[str, int], bytes] = {}
        """Serialised country profiles by (ISO3, year): filled on first request (or by warm-up), never evicted;
        keys are validated codes and years, so the dict is bounded by states x years."""
        self.warm: dict = {"done": 0, "total": 0, "ready": False, "from_file": False, "seconds": None}
        """Progress of :func:`middlepower.web.warm.warm_all` (every profile computed ahead of requests)."""

    # -- store -----------------------------------------------------------------------------------
    def _query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with self._lock:
            return self._store.query(sql, params)

    def _read_columns(self) -> dict[str, dict]:
        frame = self._query(
            "SELECT name, source, upstream, unit, description, first_year, last_year FROM _columns WHERE NOT key"
        )
        return {row["name"]: row for row in records(frame)}

    def _read_sources(self) -> dict[str, dict]:
        frame = self._query(
            "SELECT source, title, citation, licence, coverage, homepage, redistributable FROM _sources"
        )
        out = {row["source"]: row for row in records(frame)}
        from middlepower import sources as registry

        for source in registry.all_sources():  # shipped sources read from the package, not store tables
            if source.name not in out and not source.table:
                out[source.name] = {
                    "source": source.name,
                    "title": source.title,
                    "citation": source.citation,
                    "licence": source.licence,
                    "coverage": source.coverage,
                    "homepage": source.homepage,
                    "redistributable": source.redistributable,
                }
        return out

    def _read_countries(self) -> dict[str, dict]:
        frame = self._query(
            """SELECT c.iso3, c.name, c.region, c.subregion, c.first_year, c.last_year,
                      m.iso_numeric, m.lat, m.lon
               FROM crosswalk c LEFT JOIN countries m ON m.iso3 = c.iso3
               WHERE c.iso3 IS NOT NULL AND c.last_year >= 1946 ORDER BY c.iso3, c.last_year"""
        )
        # A code listed twice (a state that left and re-entered) keeps its latest row.
        return {row["iso3"]: row for row in records(frame)}

    def _latest_year(self) -> int:
        # The opening year without a power model: the last year in which most states have a GDP figure.
        frame = self._query("SELECT year, count(gdp_usd) AS n, count(*) AS states FROM panel GROUP BY year")
        covered = frame[frame["n"] >= 0.8 * frame["states"]]
        return int(covered["year"].max()) if not covered.empty else self.panel_years[1]

    def close(self) -> None:
        self._store.close()

    def stale(self) -> str | None:
        """Return why the caches may no longer be served (the store file changed), or None."""
        try:
            current = file_state(self.db)
        except OSError:
            current = None
        if current == self._opened:
            return None
        return (f"{self.db}: the store was rebuilt or changed since the server opened it; "
                f"restart `middlepower serve` to serve the new build")

    # -- validation ------------------------------------------------------------------------------
    def check_iso3(self, code: str) -> str:
        """Return the upper-cased ISO3 of a state the dashboard knows; UnknownCountry otherwise."""
        value = str(code).strip().upper()
        if value not in self.countries:
            shown = code if len(code) <= 40 else code[:40] + "…"
            raise UnknownCountry(f"unknown country code {shown!r}: expected an ISO3 code such as KAZ, CAN or AUS")
        return value

    def check_panel_year(self, year: int) -> int:
        first, last = self.panel_years
        if not first <= year <= last:
            raise DataError(f"year {year}: the panel covers {first}-{last}")
        return year

    # -- panel -----------------------------------------------------------------------------------
    @lru_cache(maxsize=128)  # noqa: B019 - one WebData lives as long as the app; the cache is its point
    def panel_year(self, year: int) -> pd.DataFrame:
        """Return the store's panel view for one year (every column), indexed by iso3."""
        self.check_panel_year(year)
        return self._query("SELECT * FROM panel WHERE year = ? ORDER BY iso3", [year]).set_index("iso3")

    def panel_values(self, iso3: str, year: int) -> list[dict]:
        """Return one state-year's panel figures: column, value, source (registry name)."""
        frame = self.panel_year(year)
        if iso3 not in frame.index:
            return []
        row = frame.loc[iso3]
        return [{"column": c, "value": plain(row[c]), "source": s} for c, s in self.column_source.items()]

    def check_columns(self, columns: list[str], bulk: bool) -> list[str]:
        """Validate panel column names; for ``bulk`` reads refuse columns of non-redistributable sources."""
        for column in columns:
            if column not in self.column_source:
                shown = column if len(column) <= 40 else column[:40] + "…"
                raise DataError(f"unknown column {shown!r}; available: {', '.join(self.column_source)}")
            source = self.sources.get(self.column_source[column], {})
            if bulk and not source.get("redistributable", True):
                raise DataError(
                    f"column {column!r} comes from {source['title']}, whose terms allow no bulk "
                    f"download; see one state at a time on its country page"
                )
        return columns

    def panel_table(self, year: int, columns: tuple[str, ...]) -> bytes:
        return self._panel_table(self.check_panel_year(year), tuple(self.check_columns(list(columns), bulk=True)))

    @lru_cache(maxsize=256)  # noqa: B019 - one WebData lives as long as the app; the cache is its point
    def _panel_table(self, year: int, columns: tuple[str, ...]) -> bytes:
        frame = self.panel_year(year).reset_index()[["iso3", "name", *columns]]
        return dumps({"year": year, "columns": {c: self.column_source[c] for c in columns}, "rows": records(frame)})

    # -- map -------------------------------------------------------------------------------------
    @lru_cache(maxsize=1)  # noqa: B019 - one WebData lives as long as the app; the cache is its point
    def world_topology(self) -> bytes:
        """Return the world-atlas 1:110m TopoJSON with each country's ``id`` set to its ISO3."""
        from middlepower import codes

        document = self._query("SELECT topojson FROM world_atlas_countries_110m WHERE layer = 'countries'")
        topology = json.loads(document["topojson"].iloc[0])
        countries = self._query("SELECT iso3, iso_numeric FROM countries")
        geometries = topology["objects"]["countries"]["geometries"]
        numeric = [int(g["id"]) if str(g.get("id")).isdigit() else None for g in geometries]
        iso3 = codes.iso_numeric_to_iso3(pd.Series(numeric, dtype="Int64"), countries, preferred=set(self.countries))
        for geometry, number, code in zip(geometries, numeric, iso3, strict=True):
            geometry["properties"]["iso_numeric"] = number
            geometry["id"] = None if pd.isna(code) else code
        return dumps(topology)
