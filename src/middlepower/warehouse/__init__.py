"""The country-year store: an embedded DuckDB file built atomically from the registered sources.

Public API: :func:`build` (write or refresh the store), :func:`open_store` (read-only access that
refuses half-built or stale stores), :class:`BuildReport`, :func:`columns` (the column
catalogue the build wrote into the store's ``_columns`` table), and the query-time lookups of states
in the store's crosswalk and name lists: :func:`known_iso3`, :func:`check_iso3` and
:func:`state_names`. Exports load on first use.
"""

from middlepower._lazy import exports, keep_exports

__all__ = ["SCHEMA_VERSION", "BuildReport", "Store", "build", "check_iso3", "columns", "fingerprint", "known_iso3",
           "open_store", "state_names"]
__getattr__, __dir__ = exports(__name__, {
    "BuildReport": "build", "build": "build", "fingerprint": "build",
    "SCHEMA_VERSION": "store", "Store": "store", "open_store": "store",
    "columns": "catalogue",
    "check_iso3": "lookups", "known_iso3": "lookups", "state_names": "lookups",
})
keep_exports(__name__, ("build",))  # the function, not the submodule middlepower.warehouse.build
