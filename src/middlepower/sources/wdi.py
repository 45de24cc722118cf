"""World Bank World Development Indicators: a declared set of series, long form, plus oil rents.

``wdi`` reads one gzipped long-form file per declared indicator (from the
``datasets/world-development-indicators`` snapshot); ``wdi_indicators`` gives title, unit and
definition of those indicators; ``wdi_oil_rents`` reads the older WB bulk CSV of oil rents,
which the current WDI extract lacks. Rows keep the WB codes as published, so WB aggregates
(``WLD``, ``EUU``, ``ECS``, ``ARB``, …) are present; the warehouse keeps states through ``codes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.columns import Column
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


@dataclass(frozen=True)
class Series:
    """One declared WDI indicator: its code (lower case, as in the file names), the sha256 of the
    mirror's gzipped file, and the panel column it becomes (the column catalogue's entry)."""

    code: str
    sha256: str
    column: Column


def _series(code: str, sha256: str, name: str, unit: str, description: str) -> Series:
    return Series(code, sha256, Column(name, unit, description, upstream=code))


SERIES: tuple[Series, ...] = (
    _series("ny.gdp.mktp.cd", "682dd3d24d2f8faf4eee6d859dc521151411f4db7d46a19d1eaf951d379da627",
            "gdp_usd", "current US$", "GDP at market exchange rates"),
    _series("ny.gdp.pcap.cd", "5301d9f11b5b19a24d71bc86bdb4d18426d3cfb84b2676e19b14b9f94a9b3e25",
            "gdp_per_capita_usd", "current US$ per person", "GDP per capita"),
    _series("ny.gdp.pcap.pp.cd", "3468bc8a9d5e0eafb26ed4206f4164b5ccbbfe8ab0d88c80b8235f35aa52f82b",
            "gdp_per_capita_ppp_intl_usd", "current international $ per person", "GDP per capita at purchasing "
            "power parity"),
    _series("ny.gnp.mktp.pp.cd", "415d34b4e3caff54fa0464bc98b81416c66b5aeabfbc8e115687b9eda7da7a4c",
            "gni_ppp_intl_usd", "current international $", "gross national income at purchasing power parity"),
    _series("sp.pop.totl", "379344c351ad1bc7441d35751a6cbe1cdb51e5b205c28aeafb4c5299e8dda176",
            "population", "persons", "total population (all residents)"),
    _series("ny.gdp.totl.rt.zs", "d9dda0221350db3c257ef7d3c5f78d3dd86549c78bd18a84c6837253eba9a9ba",
            "resource_rents_pct_gdp", "% of GDP", "total natural resources rents (oil, gas, coal, minerals, forests)"),
    _series("ms.mil.xpnd.gd.zs", "0194cf0306933a38039f1dc1319d65060809b953365a2618b0f2fcbcbb74d801",
            "milex_pct_gdp", "% of GDP", "military expenditure (SIPRI-based)"),
    _series("ms.mil.xpnd.zs", "501355d191b6dbd47300c8bef74c8be49a786f91f593d6a3909e959d9f4c2c98",
            "milex_pct_govt_expenditure", "% of general government expenditure",
            "military expenditure (SIPRI-based)"),
    _series("ne.exp.gnfs.zs", "5b12a7577e7d11d592574c6c06db628207add343ac5de62521c3155f7764a039",
            "exports_pct_gdp", "% of GDP", "exports of goods and services"),
    _series("ne.imp.gnfs.zs", "a0e74a78740fffa0525bd1c1395e217a5852cba72ed6e785aacf45942c53e276",
            "imports_pct_gdp", "% of GDP", "imports of goods and services"),
    _series("tg.val.totl.gd.zs", "fde00cbf8240993d4043bd5e91c8c6f6b74b22f640d300fbec3343a0de5152d9",
            "merchandise_trade_pct_gdp", "% of GDP", "merchandise trade (exports plus imports of goods)"),
    _series("tx.val.mrch.cd.wt", "142b5b7805ec1e792f660ba13b9b1c83a805dce0024eeb896481b684a74736d0",
            "merchandise_exports_usd", "current US$", "merchandise exports"),
    _series("tm.val.mrch.cd.wt", "c51dba56b6f40f484c69d4e51f0c0ce36b9a297b312af5755333a0720690a06b",
            "merchandise_imports_usd", "current US$", "merchandise imports"),
    _series("bx.klt.dinv.cd.wd", "24ee261d56b99ed9e46083571ee3c96079b9708dfbf9a3e82a35e44d6116f2f1",
            "fdi_inflows_usd", "current US$", "foreign direct investment, net inflows"),
    _series("bx.gsr.royl.cd", "4d1749f4106468df483eb7082b066373ef8c137eb0d0267c9e9baa40d4c5337a",
            "ip_receipts_usd", "current US$", "charges for the use of intellectual property, receipts (balance of "
            "payments: patents, trademarks, copyrights, franchises, software and audiovisual licences)"),
    _series("ag.lnd.totl.k2", "3935e992a968526f732fbaf0407d3d0a80c5156e0739ef742e07e39686868c56",
            "land_area_km2", "km²", "land area (without inland water)"),
    _series("ag.srf.totl.k2", "b6d6a4cb79374610c7b8d5585d1f2801f56ed42db5677d2feac075225ebb2b4d",
            "surface_area_km2", "km²", "surface area (land and inland water)"),
    _series("tx.val.fuel.zs.un", "22985f263e4b0fbe08f4f583f7fcaad30b2817282af3d1828f4900e7acd7b581",
            "fuel_exports_pct_merchandise", "% of merchandise exports", "fuel exports"),
    _series("eg.imp.cons.zs", "1f0b065a93cca98c23bcb74ba0b854e0a3936097ca6ed5606bbf31943e324760",
            "energy_imports_pct_use", "% of energy use", "net energy imports (negative: a net exporter)"),
    _series("is.rrs.totl.km", "83ee66820a433f0a1b1aafca9572d3f765e7bd5cfa8c3b3a76f52c6ea90a5e60",
            "rail_lines_km", "km", "rail lines (total route length)"),
    _series("is.shp.good.tu", "5aff69408d17065c4d654d855001774011ac8a04994ac2f1bceea123a64678f2",
            "container_port_traffic_teu", "TEU per year", "container port traffic"),
    _series("is.air.dprt", "f17267b736ca7cc01faea6049111c800aafba97cbefc7b07c5750417e1aa21a1",
            "air_departures", "departures per year", "registered carrier departures worldwide (air transport)"),
    _series("lp.lpi.ovrl.xq", "b1fd8fa3acc17e8aa7641221bf8ef7695f82cc584151450e61795bdd5402fb45",
            "logistics_performance_index", "score 1 (low) to 5 (high)", "Logistics Performance Index, overall"),
    _series("fi.res.totl.cd", "865d0e6f86f514311b57d1264f48d3990fae8822a1d6187272bc33ff8d11c6a8",
            "total_reserves_usd", "current US$", "total reserves including gold"),
)
"""Every WDI indicator the project reads, declared once: code, file checksum and panel column."""

BY_CODE = {series.code: series for series in SERIES}


def indicator_path(code: str) -> str:
    """Return the mirror path of the gzipped long-form file of WDI indicator ``code``."""
    return f"worldbank_wdi/indicators/{code}.csv.gz"


def indicator_file(code: str) -> SourceFile:
    """Return the SourceFile of indicator ``code``.

    The URL is the producer's plain ``data.csv`` at the pinned commit; the mirror holds it gzipped,
    byte for byte otherwise, so the checksum is that of the gzipped file.
    """
    url = github_raw(WDI_REPO, WDI_COMMIT, f"indicators/{code}/data.csv")
    return SourceFile(path=indicator_path(code), url=url, sha256=BY_CODE[code].sha256)


def load_wdi(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return the declared WDI series stacked long: iso3, year, indicator (lower case), value.

    Units are those of each indicator (see ``wdi_indicators``). Rows with no value are dropped,
    since the files list only observed values anyway.
    """
    frames = []
    for code in BY_CODE:
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
        files=tuple(indicator_file(code) for code in BY_CODE),
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
        panel=tuple(series.column for series in SERIES),
        pivot=("indicator", "value"),
        notes=(
            "Aggregates are kept as published: filter to states through codes. Missing from this extract: "
            "NY.GDP.MKTP.PP.CD, MS.MIL.XPND.CD, MS.MIL.TOTL.P1, NY.GDP.NGAS.RT.ZS, NE.TRD.GNFS.ZS."
        ),
    )
)


def load_wdi_indicators(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return one row per declared indicator: code, wb_code, title, unit, topics, definition."""
    path = paths["worldbank_wdi/indicators.csv"]
    raw = pd.read_csv(path, dtype="string")
    require_columns(raw, ["indicator_code", "title", "topics", "description"], str(path))
    raw["code"] = raw["indicator_code"].str.lower()
    out = raw[raw["code"].isin(list(BY_CODE))].copy()
    # The WB puts the unit in the title's last parenthesis: "GDP (current US$)".
    out["unit"] = out["title"].str.extract(r"\(([^()]*)\)\s*$", expand=False)
    # A title without one (population, air departures): the unit the catalogue declares.
    out["unit"] = out["unit"].fillna(out["code"].map({code: s.column.unit for code, s in BY_CODE.items()}))
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
        coverage="the indicators declared in middlepower.sources.wdi.SERIES",
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


OIL_RENTS_CODE = "NY.GDP.PETR.RT.ZS"
"""WDI's oil rents (% of GDP): the current extract lacks it, so it comes from a 2023 bulk CSV."""
OIL_RENTS_FILE = f"API_{OIL_RENTS_CODE}_DS2_en_csv_v2_5363502.csv"
OIL_RENTS_PATH = f"worldbank_wdi_extra/{OIL_RENTS_FILE}"


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
        title=f"World Bank WDI: oil rents (% of GDP), {OIL_RENTS_CODE}, 2023-03 vintage",
        files=(
            SourceFile(
                path=OIL_RENTS_PATH,
                url=github_raw(
                    "SainavyaGadde/Sainavya_CAFP_Assignment_3",
                    "9027be963cfc965b702c5545c0ae782c0a66f2a0",
                    OIL_RENTS_FILE,
                ),
                sha256="088d7ca98436d597200a895304711eabdf334f5756e8c3d6cb51c683d7db6686",
            ),
        ),
        licence=WDI_LICENCE,
        citation=f"World Bank (2023). World Development Indicators, {OIL_RENTS_CODE}, last updated 2023-03-01.",
        coverage="1970-2020, 217 economies and WB aggregates",
        homepage=f"https://data.worldbank.org/indicator/{OIL_RENTS_CODE}",
        columns={
            "iso3": "World Bank country code (ISO3 for economies; WB codes for aggregates)",
            "year": "calendar year",
            "value": "oil rents, % of GDP (percent, 0-100 scale)",
        },
        loader=load_oil_rents,
        key=("iso3", "year"),
        panel=(Column("oil_rents_pct_gdp", "% of GDP", upstream="value"),),
        notes="The WB stopped updating resource rents; gas rents were not found (see source wdi).",
    )
)
