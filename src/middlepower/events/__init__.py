"""Event data: GDELT's CAMEO-coded events as state-year and dyad-year diplomatic measures, on Dask.

Files come from GDELT (downloaded for a date range and verified against its file lists by
:func:`fetch`), from the registered 97-file sample, or from a user's own folder. :func:`build`
map-reduces them on a Dask cluster (a LocalCluster by default, any cluster by address) and writes
the event store beside the main store; :func:`state_year`, :func:`dyad_year`, :func:`coverage` and
:func:`files` read it back as DataFrames, and :func:`middlepower.panel.add_events` joins the
measures to a country-year frame. :func:`read_events` reads one GDELT file with typed columns.
See docs/events.md.
"""

from middlepower._lazy import exports, keep_exports

# Exports load on first use, so that importing the CLI's module (``middlepower.events.cli``) does
# not start Dask: ``middlepower --help`` stays fast.
__getattr__, __dir__ = exports(__name__, {
    **dict.fromkeys(("BuildReport", "aggregate", "build", "coverage", "dyad_year", "files", "parse_day",
                     "select_files", "state_year"), "api"),
    "fetch": "download", "file_list": "download", "FAMILIES": "families",
    "detect_layout": "reader", "iter_batches": "reader", "read_events": "reader",
})
keep_exports(__name__, ("files",))  # the function, not the submodule middlepower.events.files
