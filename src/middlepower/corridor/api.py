"""The corridor's Python API: plain functions returning DataFrames (the CLI calls only these).

The network is read once per process from the shipped data; pass ``net`` to use a changed one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from middlepower import limits
from middlepower.corridor import capacity as _capacity
from middlepower.corridor import routes as _routes
from middlepower.corridor import scenario as _scenario
from middlepower.corridor.network import Network, load_network
from middlepower.errors import DataError, SpecError
from middlepower.specfile import about


@lru_cache(maxsize=1)
def network() -> Network:
    """Return the shipped corridor network (validated, cached)."""
    return load_network()


def _node(net: Network, query: str, parameter: str) -> str:
    """The node id for ``query``; DataError naming ``parameter`` (origin, destination) otherwise."""
    try:
        return _routes.find_node(net, str(query))
    except DataError as exc:
        raise DataError(exc.message, parameter=parameter) from None


def endpoints(net: Network, origin: str, destination: str) -> tuple[str, str]:
    """(origin id, destination id) for node names or ids, checked at the boundary: known nodes, not the
    same one; DataError naming the parameter (origin, destination) otherwise."""
    start, end = _node(net, origin, "origin"), _node(net, destination, "destination")
    if start == end:
        raise DataError(f"{start} is also the origin: origin and destination must differ", parameter="destination",
                        value=destination)
    return start, end


def route(origin: str, destination: str, via: str = "middle", net: Network | None = None) -> _routes.Route:
    """Return the fastest route through corridor ``via`` (segments frame + summary)."""
    net = net or network()
    if via not in _routes.CORRIDORS:
        raise DataError(f"expected one of {', '.join(_routes.CORRIDORS)}", parameter="via", value=via)
    start, end = endpoints(net, origin, destination)
    return _routes.route(net, start, end, via)


def compare(origin: str = "CN_XIAN", destination: str = "DE_DUISBURG", draws: int = 0,
            net: Network | None = None) -> pd.DataFrame:
    """Return one row per corridor (middle, northern, suez, cape) with km, days and sources.

    ``draws`` > 0 adds Monte Carlo 5 % / 95 % times (``p05_days``, ``p95_days``); at most
    :data:`~middlepower.limits.CORRIDOR_DRAWS`. DataError when no corridor routes the pair.
    """
    draws = limits.check_count("draws", draws, limits.CORRIDOR_DRAWS, minimum=0)
    net = net or network()
    start, end = endpoints(net, origin, destination)
    frame = _routes.compare(net, start, end, draws=draws)
    if not (frame["status"] == "ok").any():
        raise DataError(f"no corridor routes {start} to {end} ({frame['status'].iloc[0]})", parameter="destination",
                        value=destination)
    return frame


def capacity(origin: str = "CN_XIAN", destination: str = "DE_DUISBURG", net: Network | None = None) -> pd.DataFrame:
    """Return max flow (TEU/yr) and the binding minimum cut per corridor."""
    net = net or network()
    return _capacity.capacity_table(net, *endpoints(net, origin, destination))


def utilisation(origin: str = "CN_XIAN", destination: str = "DE_DUISBURG", net: Network | None = None) -> pd.DataFrame:
    """Return observed volume / max flow per corridor and year."""
    net = net or network()
    return _capacity.utilisation(net, *endpoints(net, origin, destination))


def volume_years() -> list[int]:
    """Return the years of the shipped observed corridor volumes (volumes.csv), ascending."""
    from middlepower.corridor.capacity import load_volumes

    return sorted(int(year) for year in load_volumes()["year"].unique())


def transit_year() -> int:
    """Return the last year in which every land corridor has an observed volume: the default year of
    :func:`transit_centrality` and of the map's utilisation colours."""
    from middlepower.corridor.centrality import valued_years

    return valued_years()[-1]


def check_volume_year(year: int | None) -> int:
    """Return ``year`` (None: :func:`transit_year`) if the shipped corridor volumes cover it; DataError
    naming it otherwise."""
    if year is None:
        return transit_year()
    year = limits.check_year("year", year)
    years = volume_years()
    if not years[0] <= year <= years[-1]:
        raise DataError(f"the observed corridor volumes cover {years[0]}-{years[-1]}", parameter="year",
                        value=year)
    return year


def load_scenario(name_or_path: str, draws: int | None = None) -> _scenario.Scenario:
    """Return a validated scenario (a file path or a shipped name), optionally with other draws."""
    spec = _scenario.load_scenario(name_or_path)
    if draws is not None:
        from dataclasses import replace

        spec = replace(spec, draws=limits.check_count("draws", draws, limits.CORRIDOR_DRAWS))
    net = network()
    path = _scenario.find_scenario(name_or_path)
    with about(path):  # every node and edge it names exists, every value fits
        try:
            endpoints(net, spec.origin, spec.destination)
        except DataError as exc:
            raise SpecError(str(exc)) from None
        _scenario.apply_changes(net, spec.changes)
    return spec


def run_scenario(spec: _scenario.Scenario | str, progress=None, net: Network | None = None,
                 draws: int | None = None) -> pd.DataFrame:
    """Return the before/after table of a scenario (object, file path or shipped name), its Monte
    Carlo with ``draws`` draws instead of the scenario's own when given (as :func:`load_scenario`)."""
    if isinstance(spec, str):
        spec = load_scenario(spec, draws)
    elif draws is not None:
        from dataclasses import replace

        spec = replace(spec, draws=limits.check_count("draws", draws, limits.CORRIDOR_DRAWS))
    return _scenario.run_scenario(net or network(), spec, progress)


def transit_centrality(year: int | None = None, net: Network | None = None) -> pd.DataFrame:
    """Return transit centrality per country for ``year`` (default: :func:`transit_year`; see
    :mod:`.centrality`)."""
    from middlepower.corridor.centrality import transit_centrality as _transit

    return _transit(net or network(), check_volume_year(year))


def draw_map(out: Path, year: int | None = None, net: Network | None = None, db: Path | str | None = None) -> Path:
    """Write the corridor map to ``out`` (.png or .html), its basemap read from the store at ``db``, the
    utilisation colours of ``year`` (default: :func:`transit_year`)."""
    from middlepower.corridor.maps import draw_map as _draw
    from middlepower.outpath import check_out

    out = check_out(out, (".png", ".html"))
    return _draw(net or network(), out, check_volume_year(year), db=db)
