"""Pre-computing the caches a running dashboard answers from."""

from __future__ import annotations

import time

from middlepower.errors import DataError
from middlepower.web import alignment_data, power_data
from middlepower.web.data import WebData


def warm_up(data: WebData, year: int | None = None, alignment: bool = True) -> float:
    """Fill the caches for the opening year: model, ranking, map layers, basemap, profiles, and (with
    ``alignment``) the alignment series. Returns seconds."""
    from middlepower.web.api_panel import default_year, profile_bytes

    started = time.perf_counter()
    year = default_year(data) if year is None else year
    data.world_topology()
    frame = data.panel_year(year)
    try:
        power_data.rank_bytes(data, year, None)
        for layer in ("tier", *[p["code"] for p in power_data.meta(data)["pillars"]]):
            power_data.map_bytes(data, year, layer)
    except DataError:
        pass
    if alignment:
        alignment_data.frame(data)  # the first fit of the ideal points takes about a minute; then on disk
    for iso3 in frame.index:
        if iso3 in data.countries and (iso3, year) not in data.profiles:
            data.profiles[(iso3, year)] = profile_bytes(data, iso3, year)
    return time.perf_counter() - started
