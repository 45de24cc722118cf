"""The corridor's Python API: plain functions returning DataFrames (the CLI calls only these).

The network is read once per process from the shipped data; pass ``net`` to use a changed one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from middlepower.corridor import capacity as _capacity
from middlepower.corridor import routes as _routes
from middlepower.corridor import scenario as _scenario
from middlepower.corridor.network import Network, load_network


@lru_cache(maxsize=1)
def network() -> Network:
    """Return the shipped corridor network (validated, cached)."""
    return load_network()


def route(origin: str, destination: str, via: str = "middle", net: Network | None = None) -> _routes.Route:
    """Return the fastest route through corridor ``via`` (segments frame + summary)."""
    return _routes.route(net or network(), origin, destination, via)


def compare(origin: str = "CN_XIAN", destination: str = "DE_DUISBURG", draws: int = 0,
            net: Network | None = None) -> pd.DataFrame:
    """Return one row per corridor (middle, northern, suez, cape) with km, days and sources.

    ``draws`` > 0 adds Monte Carlo 5 % / 95 % times (``p05_days``, ``p95_days``).
    """
    return _routes.compare(net or network(), origin, destination, draws=draws)


def capacity(origin: str = "CN_XIAN", destination: str = "DE_DUISBURG", net: Network | None = None) -> pd.DataFrame:
    """Return max flow (TEU/yr) and the binding minimum cut per corridor."""
    return _capacity.capacity_table(net or network(), origin, destination)


def utilisation(origin: str = "CN_XIAN", destination: str = "DE_DUISBURG", net: Network | None = None) -> pd.DataFrame:
    """Return observed volume / max flow per corridor and year."""
    return _capacity.utilisation(net or network(), origin, destination)


def load_scenario(name_or_path: str, draws: int | None = None) -> _scenario.Scenario:
    """Return a validated scenario (a file path or a shipped name), optionally with other draws."""
    spec = _scenario.load_scenario(name_or_path)
    if draws is not None:
        from dataclasses import replace

        from middlepower.errors import SpecError

        if draws < 1:
            raise SpecError(f"draws must be a positive integer, got {draws}")
        spec = replace(spec, draws=draws)
    return spec


def run_scenario(spec: _scenario.Scenario | str, progress=None, net: Network | None = None) -> pd.DataFrame:
    """Return the before/after table of a scenario (object, file path or shipped name)."""
    if isinstance(spec, str):
        spec = load_scenario(spec)
    return _scenario.run_scenario(net or network(), spec, progress)


def transit_centrality(year: int, net: Network | None = None) -> pd.DataFrame:
    """Return transit centrality per country for ``year`` (see :mod:`.centrality`)."""
    from middlepower.corridor.centrality import transit_centrality as _transit

    return _transit(net or network(), year)


def draw_map(out: Path, year: int = 2024, net: Network | None = None, db: Path | str | None = None) -> Path:
    """Write the corridor map to ``out`` (.png or .html), its basemap read from the store at ``db``."""
    from middlepower.corridor.maps import draw_map as _draw

    return _draw(net or network(), Path(out), year, db=db)
