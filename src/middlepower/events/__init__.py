"""Event data: GDELT's CAMEO-coded events as state-year and dyad-year diplomatic measures, on Dask.

Files come from GDELT (downloaded for a date range and verified against its file lists by
:func:`fetch`), from the registered 97-file sample, or from a user's own folder. :func:`build`
map-reduces them on a Dask cluster (a LocalCluster by default, any cluster by address) and writes
the event store beside the main store; :func:`state_year`, :func:`dyad_year`, :func:`coverage` and
:func:`files` read it back as DataFrames, and :func:`middlepower.panel.add_events` joins the
measures to a country-year frame. :func:`read_events` reads one GDELT file with typed columns.
See docs/events.md.
"""

from middlepower.events.api import (  # noqa: F401
    BuildReport,
    aggregate,
    build,
    coverage,
    dyad_year,
    files,
    parse_day,
    select_files,
    state_year,
)
from middlepower.events.download import fetch, file_list  # noqa: F401
from middlepower.events.families import FAMILIES  # noqa: F401
from middlepower.events.reader import detect_layout, iter_batches, read_events  # noqa: F401
