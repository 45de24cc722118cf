"""The Eurasian freight network: Middle Corridor, Northern Corridor and the sea routes.

Public API (all return DataFrames or small result objects): :func:`route`, :func:`compare`,
:func:`capacity`, :func:`utilisation`, :func:`load_scenario`, :func:`run_scenario`,
:func:`transit_centrality`, :func:`draw_map`; the network itself via :func:`network`.
"""

from middlepower.corridor.api import (  # noqa: F401
    capacity,
    compare,
    draw_map,
    load_scenario,
    network,
    route,
    run_scenario,
    transit_centrality,
    utilisation,
)
