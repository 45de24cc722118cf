"""Datasets middlepower ships itself: facts its authors typed from public sources, each row sourced.

They are registered like any upstream dataset, so the bibliography, ``middlepower sources`` and the
web API cite them from the registry; they have no files to download (``files=()``) and their loaders
read the package's own copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pandas as pd

from middlepower.sources.registry import Source, register

PROJECT_LICENCE = "MIT (middlepower); the facts are the cited producers'"
PROJECT_HOMEPAGE = ""  # no public address yet


def _package_csv(package: str, name: str) -> pd.DataFrame:
    with resources.as_file(resources.files(package).joinpath(name)) as file:
        return pd.read_csv(file, comment="#", keep_default_na=False, na_values=[""])


def _unsc_members(paths: Mapping[str, Path]) -> pd.DataFrame:
    return _package_csv("middlepower.data.power", "unsc_members.csv")


register(
    Source(
        name="unsc_members",
        title="UN Security Council members: elected terms 1985-2025 and the permanent members (typed by middlepower)",
        producer="United Nations (typed by middlepower)",
        files=(),
        licence=PROJECT_LICENCE,
        citation=(
            "United Nations. Countries Elected Members of the Security Council. "
            "https://main.un.org/securitycouncil/en/content/countries-elected-members (typed by hand, "
            "cross-checked against Global Policy Forum, Elected Members of the Security Council); "
            "shipped as src/middlepower/data/power/unsc_members.csv."
        ),
        coverage="elected terms starting 1985-2025; the five permanent members from 1946",
        homepage="https://main.un.org/securitycouncil/en/content/countries-elected-members",
        columns={
            "iso3": "ISO3 of the member (CHN for China's seat throughout, RUS for the USSR's, as in codes)",
            "first_year": "first calendar year of the term",
            "last_year": "last calendar year of the term (9999 for permanent members)",
            "seat": "'permanent' or 'elected'",
        },
        loader=_unsc_members,
        table=False,
        key=("iso3", "first_year"),
    )
)


def _corridor_edges(paths: Mapping[str, Path]) -> pd.DataFrame:
    return _package_csv("middlepower.data", "corridor/edges.csv")


register(
    Source(
        name="corridor_network",
        title="middlepower's Eurasian freight network (typed facts, each with its source)",
        producer="middlepower (typed from the sources cited with each figure)",
        files=(),
        licence=PROJECT_LICENCE,
        citation=(
            "Node, edge, capacity and volume figures, each with its source, in src/middlepower/data/corridor/*.csv; "
            "method in docs/corridor.md."
        ),
        coverage="today's network (capacities and times of 2024-2025); observed volumes 2022-2024",
        homepage=PROJECT_HOMEPAGE,
        columns={
            "edge_id": "edge identifier (MC = Middle Corridor, NC = Northern Corridor, SEA = sea routes)",
            "from": "node id where the edge starts (data/corridor/nodes.csv)",
            "to": "node id where the edge ends",
            "corridor": "corridor code(s) the edge belongs to",
            "mode": "rail, sea, ferry or transfer",
            "distance_km": "length, km",
            "distance_source": "where the length comes from",
        },
        loader=_corridor_edges,
        table=False,
        key=("edge_id",),
    )
)
