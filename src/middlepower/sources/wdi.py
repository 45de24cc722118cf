"""World Bank World Development Indicators: a declared set of series, long form, plus oil rents.

``wdi`` reads one gzipped long-form file per declared indicator (from the
``datasets/world-development-indicators`` snapshot); ``wdi_indicators`` gives title, unit and
definition of those indicators; ``wdi_oil_rents`` reads the older WB bulk CSV of NY.GDP.PETR.RT.ZS,
which the current WDI extract lacks. Rows keep the WB codes as published, so WB aggregates
(``WLD``, ``EUU``, ``ECS``, ``ARB``, …) are present; the warehouse keeps states through ``codes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.registry import Source, SourceFile, register, require_columns

WDI_REPO = "datasets/world-development-indicators"
WDI_COMMIT = "4ebec5a2273f531ba238a34dbe440394dc5a6c4b"
WDI_LICENCE = "CC BY 4.0 (World Bank open data)"
WDI_CITATION = (
    "World Bank (2026). World Development Indicators. https://datacatalog.worldbank.org/ "
    "(indicator codes as given), accessed through datasets/world-development-indicators, "
    f"commit {WDI_COMMIT[:7]}."
)
WDI_HOMEPAGE = "https://datacatalog.worldbank.org/search/dataset/0037712"

# Indicator code (lower case, as in the file names) -> sha256 of the mirror's gzipped file.
WDI_INDICATORS: dict[str, str] = {
    "ny.gdp.mktp.cd": "682dd3d24d2f8faf4eee6d859dc521151411f4db7d46a19d1eaf951d379da627",
    "ny.gdp.pcap.cd": "5301d9f11b5b19a24d71bc86bdb4d18426d3cfb84b2676e19b14b9f94a9b3e25",
    "ny.gdp.pcap.pp.cd": "3468bc8a9d5e0eafb26ed4206f4164b5ccbbfe8ab0d88c80b8235f35aa52f82b",
    "ny.gnp.mktp.pp.cd": "415d34b4e3caff54fa0464bc98b81416c66b5aeabfbc8e115687b9eda7da7a4c",
    "sp.pop.totl": "379344c351ad1bc7441d35751a6cbe1cdb51e5b205c28aeafb4c5299e8dda176",
    "ny.gdp.totl.rt.zs": "d9dda0221350db3c257ef7d3c5f78d3dd86549c78bd18a84c6837253eba9a9ba",
    "ms.mil.xpnd.gd.zs": "0194cf0306933a38039f1dc1319d65060809b953365a2618b0f2fcbcbb74d801",
    "ms.mil.xpnd.zs": "501355d191b6dbd47300c8bef74c8be49a786f91f593d6a3909e959d9f4c2c98",
    "ne.exp.gnfs.zs": "5b12a7577e7d11d592574c6c06db628207add343ac5de62521c3155f7764a039",
    "ne.imp.gnfs.zs": "a0e74a78740fffa0525bd1c1395e217a5852cba72ed6e785aacf45942c53e276",
    "tg.val.totl.gd.zs": "fde00cbf8240993d4043bd5e91c8c6f6b74b22f640d300fbec3343a0de5152d9",
    "tx.val.mrch.cd.wt": "142b5b7805ec1e792f660ba13b9b1c83a805dce0024eeb896481b684a74736d0",
    "tm.val.mrch.cd.wt": "c51dba56b6f40f484c69d4e51f0c0ce36b9a297b312af5755333a0720690a06b",
    "bx.klt.dinv.cd.wd": "24ee261d56b99ed9e46083571ee3c96079b9708dfbf9a3e82a35e44d6116f2f1",
    "ag.lnd.totl.k2": "3935e992a968526f732fbaf0407d3d0a80c5156e0739ef742e07e39686868c56",
    "ag.srf.totl.k2": "b6d6a4cb79374610c7b8d5585d1f2801f56ed42db5677d2feac075225ebb2b4d",
    "tx.val.fuel.zs.un": "22985f263e4b0fbe08f4f583f7fcaad30b2817282af3d1828f4900e7acd7b581",
    "eg.imp.cons.zs": "1f0b065a93cca98c23bcb74ba0b854e0a3936097ca6ed5606bbf31943e324760",
    "is.rrs.totl.km": "83ee66820a433f0a1b1aafca9572d3f765e7bd5cfa8c3b3a76f52c6ea90a5e60",
    "is.shp.good.tu": "5aff69408d17065c4d654d855001774011ac8a04994ac2f1bceea123a64678f2",
    "is.air.dprt": "f17267b736ca7cc01faea6049111c800aafba97cbefc7b07c5750417e1aa21a1",
    "lp.lpi.ovrl.xq": "b1fd8fa3acc17e8aa7641221bf8ef7695f82cc584151450e61795bdd5402fb45",
    "fi.res.totl.cd": "865d0e6f86f514311b57d1264f48d3990fae8822a1d6187272bc33ff8d11c6a8",
}


def indicator_path(code: str) -> str:
    """Return the mirror path of the gzipped long-form file of WDI indicator ``code``."""
    return f"worldbank_wdi/indicators/{code}.csv.gz"


def indicator_file(code: str) -> SourceFile:
    """Return the SourceFile of indicator ``code``.

    The URL is the producer's plain ``data.csv`` at the pinned commit; the mirror holds it gzipped,
    byte for byte otherwise, so the checksum is that of the gzipped file.
    """
    url = github_raw(WDI_REPO, WDI_COMMIT, f"indicators/{code}/data.csv")
    return SourceFile(path=indicator_path(code), url=url, sha256=WDI_INDICATORS[code])


def load_wdi(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return the declared WDI series stacked long: iso3, year, indicator (lower case), value.

    Units are those of each indicator (see ``wdi_indicators``). Rows with no value are dropped,
    since the files list only observed values anyway.
    """
    frames = []
    for code in WDI_INDICATORS:
        path = paths[indicator_path(code)]
        raw = pd.read_csv(path, dtype={"Country Code": "string"})
        require_columns(raw, ["Country Code", "Year", "Value"], str(path))
        frames.append(
            pd.DataFrame(
                {
                    "iso3": raw["Country Code"],
                    "year": pd.to_numeric(raw["Year"], errors="raise").astype("Int64"),
                    "indicator": code,
                    "value": pd.to_numeric(raw["Value"], errors="coerce"),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out[out["value"].notna()]


register(
    Source(
        name="wdi",
        title="World Bank World Development Indicators (declared series, long form)",
        files=tuple(indicator_file(code) for code in WDI_INDICATORS),
        licence=WDI_LICENCE,
        citation=WDI_CITATION,
        coverage=(
            "1960-2025 (last year differs by indicator; resource rents end 2021); "
            "217 economies and ~45 WB aggregates"
        ),
        homepage=WDI_HOMEPAGE,
        columns={
            "iso3": (
                "World Bank country code: ISO 3166-1 alpha-3 for economies (XKX = Kosovo), WB "
                "codes for aggregates (WLD, EUU, ECS, ARB, ...)"
            ),
            "year": "calendar year",
            "indicator": "WDI indicator code, lower case (e.g. ny.gdp.mktp.cd); see wdi_indicators",
            "value": (
                "value in the indicator's unit (current US$, % of GDP, km, persons, "
                "... as in wdi_indicators.unit)"
            ),
        },
        loader=load_wdi,
        key=("iso3", "year", "indicator"),
        notes=(
            "Aggregates are kept as published: filter to states through codes. Missing from this extract: "
            "NY.GDP.MKTP.PP.CD, MS.MIL.XPND.CD, MS.MIL.TOTL.P1, NY.GDP.NGAS.RT.ZS, NE.TRD.GNFS.ZS."
        ),
    )
)


# Titles that carry no parenthesised unit.
UNITS_NOT_IN_TITLE = {"sp.pop.totl": "persons", "is.air.dprt": "departures per year"}


def load_wdi_indicators(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return one row per declared indicator: code, wb_code, title, unit, topics, definition."""
    path = paths["worldbank_wdi/indicators.csv"]
    raw = pd.read_csv(path, dtype="string")
    require_columns(raw, ["indicator_code", "title", "topics", "description"], str(path))
    raw["code"] = raw["indicator_code"].str.lower()
    out = raw[raw["code"].isin(list(WDI_INDICATORS))].copy()
    # The WB puts the unit in the title's last parenthesis: "GDP (current US$)".
    out["unit"] = out["title"].str.extract(r"\(([^()]*)\)\s*$", expand=False)
    out["unit"] = out["unit"].fillna(out["code"].map(UNITS_NOT_IN_TITLE))
    out["topics"] = out["topics"].str.replace(r"\s*;\s*", "; ", regex=True).str.strip()
    return out.rename(columns={"indicator_code": "wb_code", "description": "definition"})


register(
    Source(
        name="wdi_indicators",
        title="World Bank WDI: titles, units and definitions of the declared indicators",
        files=(
            SourceFile(
                path="worldbank_wdi/indicators.csv",
                # Built for the mirror from the snapshot's per-indicator datapackage.json files.
                url=f"https://github.com/{WDI_REPO}/tree/{WDI_COMMIT}/indicators",
                sha256="c9f89df44021bde970e155abf733142372c9951bbb3acea6c654fc1371f7dd3f",
            ),
        ),
        licence=WDI_LICENCE,
        citation=WDI_CITATION,
        coverage="the indicators declared in middlepower.sources.wdi.WDI_INDICATORS",
        homepage=WDI_HOMEPAGE,
        columns={
            "code": "WDI indicator code, lower case (the value of wdi.indicator)",
            "wb_code": "WDI indicator code as the World Bank writes it (upper case)",
            "title": "World Bank indicator name",
            "unit": (
                "unit, from the title's final parenthesis (e.g. 'current US$', '% of "
                "GDP'), else stated by middlepower"
            ),
            "topics": "World Bank topics, '; '-separated",
            "definition": "World Bank long definition",
        },
        loader=load_wdi_indicators,
        key=("code",),
        notes="indicators.csv is an index the mirror built; it has no single upstream file.",
    )
)


OIL_RENTS_PATH = "worldbank_wdi_extra/API_NY.GDP.PETR.RT.ZS_DS2_en_csv_v2_5363502.csv"


def load_oil_rents(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return oil rents (% of GDP) long: iso3, year, value; only years with a value."""
    path = paths[OIL_RENTS_PATH]
    wide = pd.read_csv(path, skiprows=4, dtype={"Country Code": "string"})
    require_columns(wide, ["Country Code", "Indicator Code"], str(path))
    years = [column for column in wide.columns if str(column).isdigit()]
    long = wide.melt(id_vars=["Country Code"], value_vars=years, var_name="year", value_name="value")
    long = long[long["value"].notna()]
    return pd.DataFrame(
        {
            "iso3": long["Country Code"],
            "year": long["year"].astype(int).astype("Int64"),
            "value": pd.to_numeric(long["value"], errors="raise"),
        }
    ).sort_values(["iso3", "year"])


register(
    Source(
        name="wdi_oil_rents",
        title="World Bank WDI: oil rents (% of GDP), NY.GDP.PETR.RT.ZS, 2023-03 vintage",
        files=(
            SourceFile(
                path=OIL_RENTS_PATH,
                url=github_raw(
                    "SainavyaGadde/Sainavya_CAFP_Assignment_3",
                    "9027be963cfc965b702c5545c0ae782c0a66f2a0",
                    "API_NY.GDP.PETR.RT.ZS_DS2_en_csv_v2_5363502.csv",
                ),
                sha256="088d7ca98436d597200a895304711eabdf334f5756e8c3d6cb51c683d7db6686",
            ),
        ),
        licence=WDI_LICENCE,
        citation="World Bank (2023). World Development Indicators, NY.GDP.PETR.RT.ZS, last updated 2023-03-01.",
        coverage="1970-2020, 217 economies and WB aggregates",
        homepage="https://data.worldbank.org/indicator/NY.GDP.PETR.RT.ZS",
        columns={
            "iso3": "World Bank country code (ISO3 for economies; WB codes for aggregates)",
            "year": "calendar year",
            "value": "oil rents, % of GDP (percent, 0-100 scale)",
        },
        loader=load_oil_rents,
        key=("iso3", "year"),
        notes="The WB stopped updating resource rents; gas rents (NY.GDP.NGAS.RT.ZS) were not found.",
    )
)
