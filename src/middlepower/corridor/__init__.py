"""The Eurasian freight network: Middle Corridor, Northern Corridor and the sea routes.

Public API (all return DataFrames or small result objects): :func:`route`, :func:`compare`,
:func:`capacity`, :func:`utilisation`, :func:`load_scenario`, :func:`run_scenario`,
:func:`transit_centrality`, :func:`draw_map`; the network itself via :func:`network`.
"""

PUBLIC = ("capacity", "compare", "draw_map", "load_scenario", "network", "route", "run_scenario",
          "transit_centrality", "utilisation")

__all__ = list(PUBLIC)


def __getattr__(name: str):
    # The API pulls in networkx, searoute and matplotlib: import it on first use, not with the CLI.
    if name in PUBLIC:
        from middlepower.corridor import api

        # Importing the api also imports the submodule ``network``, which Python binds on this
        # package under the same name as the api function; bind the functions over it.
        globals().update({public: getattr(api, public) for public in PUBLIC})
        return globals()[name]
    raise AttributeError(f"module 'middlepower.corridor' has no attribute {name!r}")
