"""The Eurasian freight network: Middle Corridor, Northern Corridor and the sea routes.

Public API (all return DataFrames or small result objects): :func:`route`, :func:`compare`,
:func:`capacity`, :func:`utilisation`, :func:`load_scenario`, :func:`run_scenario`,
:func:`transit_centrality`, :func:`draw_map`; the years of the observed volumes via :func:`volume_years`
and :func:`transit_year`; the network itself via :func:`network`.
"""

from middlepower._lazy import exports, keep_exports

PUBLIC = ("capacity", "compare", "draw_map", "load_scenario", "network", "route", "run_scenario",
          "transit_centrality", "transit_year", "utilisation", "volume_years")

__all__ = list(PUBLIC)

# The API pulls in networkx, searoute and matplotlib: it loads on first use, not with the CLI.
__getattr__, __dir__ = exports(__name__, dict.fromkeys(PUBLIC, "api"))
keep_exports(__name__, ("capacity", "network"))  # the functions, not the submodules of the same names
