"""Penn World Table 10.01 (Gapminder's DDF conversion): exports at current prices, for states the WDI lacks.

Three of its variables are registered: ``csh_x`` (merchandise exports as a share of output at
current PPPs), ``cgdpo`` (output-side real GDP at current PPPs, million 2017 US$) and ``pl_x``
(the price level of exports, US = 1 in 2017). Their product ``csh_x * cgdpo * pl_x`` is exports at
current prices and exchange rates in million US$, the WDI's unit; the power model reads it where
the WDI has no merchandise exports (Taiwan above all; revision 2.11 in docs/power-protocol.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.registry import Source, SourceFile, register, require_columns

PWT_REPO = "open-numbers/ddf--pwt--penn_world_table"
PWT_COMMIT = "6584e2e8c7696c415bb3d7beebdeb5a6668593fd"
PWT_LAST_YEAR = 2019
PWT_VARIABLES = {  # variable -> (store column, sha256 of the upstream file)
    "csh_x": ("csh_x", "d6919a3afdbcf5d645c739c2a83d5a2742068cc6154afcd0022c113fbdcad698"),
    "cgdpo": ("cgdpo_usd_m", "21b839785a09ad6e01de5fd461ab21564143862a8e1d9d9dbb8eb0a9fbc746da"),
    "pl_x": ("pl_x", "6553e9174a7fd0fa58f285cec09c2f3d597e113039b52bca6ab02589ede3b858"),
}


def _file_name(variable: str) -> str:
    return f"ddf--datapoints--{variable}--by--country--year.csv"


def _path(variable: str) -> str:
    """Path in the mirror layout (the upstream file sits at the repository's root)."""
    return f"penn_world_table/datapoints/{_file_name(variable)}"


def _variable(path: Path, variable: str, column: str) -> pd.Series:
    """One DDF datapoints file as a Series named ``column``, indexed by (iso3, year)."""
    raw = pd.read_csv(path)
    require_columns(raw, ["country", "year", variable], _path(variable))
    index = pd.MultiIndex.from_arrays(
        [raw["country"].astype("string").str.upper(), pd.to_numeric(raw["year"], errors="raise").astype("Int64")],
        names=["iso3", "year"],
    )
    return pd.Series(pd.to_numeric(raw[variable], errors="coerce").to_numpy(), index=index, name=column)


def _pwt(paths: Mapping[str, Path]) -> pd.DataFrame:
    parts = [_variable(paths[_path(v)], v, column) for v, (column, _) in PWT_VARIABLES.items()]
    return pd.concat(parts, axis=1).sort_index().reset_index()  # outer join on (iso3, year)


register(
    Source(
        name="pwt",
        title="Penn World Table 10.01 (exports share, output at current PPPs, export price level)",
        producer="Groningen Growth and Development Centre (Feenstra, Inklaar and Timmer)",
        files=tuple(
            SourceFile(path=_path(variable), url=github_raw(PWT_REPO, PWT_COMMIT, _file_name(variable)), sha256=sha)
            for variable, (_, sha) in PWT_VARIABLES.items()
        ),
        licence="CC BY 4.0 (GGDC)",
        citation=(
            "Feenstra, Robert C., Robert Inklaar and Marcel P. Timmer. 2015. \"The Next Generation of the "
            "Penn World Table.\" American Economic Review 105(10): 3150-3182. PWT 10.01, DDF conversion "
            f"https://github.com/{PWT_REPO}, commit {PWT_COMMIT[:7]}."
        ),
        coverage=f"1950-{PWT_LAST_YEAR}; 183 countries including Taiwan",
        homepage="https://www.rug.nl/ggdc/productivity/pwt/",
        columns={
            "iso3": "ISO3 code (the conversion's lower-case country key, upper-cased)",
            "year": "calendar year",
            "csh_x": "share of merchandise exports in output-side GDP at current PPPs (fraction)",
            "cgdpo_usd_m": "output-side real GDP at current PPPs, million 2017 US$",
            "pl_x": "price level of exports (price level of USA GDP in 2017 = 1)",
        },
        loader=_pwt,
        key=("iso3", "year"),
        notes="Only the three variables behind exports at current prices are read; the table has 40 more.",
    )
)
