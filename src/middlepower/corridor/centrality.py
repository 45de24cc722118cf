"""Transit centrality: how much of the observed China–Europe land freight crosses each country.

Flow-weighted betweenness on the land corridors: each corridor's observed volume of a year
(volumes.csv, TEU) is put on its fastest route Xi'an -> Duisburg; a country scores the volume of
every route that crosses it between origin and destination, counting the countries of the nodes
entered and the ``transit_iso3`` of the edges used (Russia on the Northern Corridor has no node of
its own). The origin's and the destination's countries are not transit. The score is divided by
the total volume, so it lies in 0–1.

Sea routes carry no country nodes and have no volume in the data, so they do not enter. A year
gets values only if every land corridor has a volume figure for it (2024 in the shipped data).
"""

from __future__ import annotations

import pandas as pd

from middlepower.corridor.capacity import load_volumes
from middlepower.corridor.network import Network
from middlepower.corridor.routes import route

LAND_CORRIDORS = ("middle", "northern")
ORIGIN, DESTINATION = "CN_XIAN", "DE_DUISBURG"


def valued_years(volumes: pd.DataFrame | None = None) -> list[int]:
    """Return the years in which every land corridor has an observed volume."""
    volumes = load_volumes() if volumes is None else volumes
    per_year = volumes[volumes["corridor"].isin(LAND_CORRIDORS)].groupby("year")["corridor"].nunique()
    return sorted(int(year) for year in per_year.index[per_year == len(LAND_CORRIDORS)])


def transit_countries(net: Network, via: str) -> list[str]:
    """Return the ISO3 codes a corridor's fastest route crosses, excluding its end countries."""
    chosen = route(net, ORIGIN, DESTINATION, via)
    seg = chosen.segments
    countries = list(net.nodes.loc[seg["to"].iloc[:-1], "country_iso3"])
    for codes in net.edges.loc[seg["edge_id"], "transit_iso3"].fillna(""):
        countries += [code for code in str(codes).split(";") if code]
    ends = {net.nodes.at[ORIGIN, "country_iso3"], net.nodes.at[DESTINATION, "country_iso3"]}
    return sorted(set(countries) - ends)


def volume_directions(year: int) -> dict[str, str]:
    """Return {land corridor: direction of its observed volume} for ``year`` ("westbound" or "both", as
    ``volumes.csv`` gives them); empty for a year without volumes."""
    volumes = load_volumes()
    rows = volumes[(volumes["year"] == year) & volumes["corridor"].isin(LAND_CORRIDORS)]
    return dict(zip(rows["corridor"], rows["direction"], strict=True))


def mixed_directions_note(year: int) -> str:
    """'' when every land corridor's volume of ``year`` counts the same direction, else a sentence
    saying that the shares of :func:`transit_centrality` compare counts of different directions."""
    directions = volume_directions(year)
    if len(set(directions.values())) < 2:
        return ""
    named = ", ".join(f"{corridor} {direction}" for corridor, direction in sorted(directions.items()))
    return (f"{year}'s volumes count different directions ({named}), so the shares set a one-way count "
            "beside a two-way one")


def transit_centrality(net: Network, year: int) -> pd.DataFrame:
    """Return per transit country: iso3, year, transit_flow_teu, transit_centrality (0–1).

    Empty frame for a year without volumes for every land corridor (no values are invented). The
    volumes are summed as published, whatever direction each counts (:func:`mixed_directions_note`).
    """
    volumes = load_volumes()
    if year not in valued_years(volumes):
        return pd.DataFrame(columns=["iso3", "year", "transit_flow_teu", "transit_centrality"])
    this_year = volumes[(volumes["year"] == year) & volumes["corridor"].isin(LAND_CORRIDORS)]
    flows: dict[str, float] = {}
    for via, volume in zip(this_year["corridor"], this_year["volume_teu"], strict=True):
        for iso3 in transit_countries(net, via):
            flows[iso3] = flows.get(iso3, 0.0) + float(volume)
    total = float(this_year["volume_teu"].sum())
    frame = pd.DataFrame({"iso3": list(flows), "transit_flow_teu": list(flows.values())})
    frame["year"] = year
    frame["transit_centrality"] = frame["transit_flow_teu"] / total
    return frame[["iso3", "year", "transit_flow_teu", "transit_centrality"]].sort_values(
        "transit_centrality", ascending=False, ignore_index=True)
