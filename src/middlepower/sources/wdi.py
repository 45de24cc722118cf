"""World Bank World Development Indicators: a declared set of series, long form, plus oil rents.

``wdi`` reads one long-form data.csv per declared indicator (from the
``datasets/world-development-indicators`` snapshot); ``wdi_indicators`` gives title, unit and
definition of those indicators; ``wdi_oil_rents`` reads the older WB bulk CSV of oil rents,
which the current WDI extract lacks. Rows keep the WB codes as published, so WB aggregates
(``WLD``, ``EUU``, ``ECS``, ``ARB``, …) are present; the warehouse keeps states through ``codes``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import github_raw
from middlepower.sources.columns import Column
from middlepower.sources.registry import Derived, Source, SourceFile, register, require_columns

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
    """One declared WDI indicator: its code (lower case, as in the upstream folder names), the sha256
    of its ``data.csv`` and of its ``datapackage.json`` at the pinned commit (the bytes the canonical
    URLs serve), and the panel column it becomes (the column catalogue's entry)."""

    code: str
    sha256: str
    datapackage_sha256: str
    column: Column


def _series(code: str, sha256: str, datapackage_sha256: str, name: str, unit: str, description: str) -> Series:
    return Series(code, sha256, datapackage_sha256, Column(name, unit, description, upstream=code))


SERIES: tuple[Series, ...] = (
    _series("ny.gdp.mktp.cd", "f488630ac53a04503f6c4164bd2737d18f7ac7fdecb07dc56042b0e1adc11cf7",
            "c2dbb7fea8ca8239698f800abefa59b70afb25c1ebdefeb50091e97122d02efd",
            "gdp_usd", "current US$", "GDP at market exchange rates"),
    _series("ny.gdp.pcap.cd", "77c7f7b01151f21558ad08df402f865b4469aafbd00c6907f0586caec8f5900e",
            "37013ea192de00f6af0911e0a2d9a3f2e5debccec3a5bb33848dc185655187a6",
            "gdp_per_capita_usd", "current US$ per person", "GDP per capita"),
    _series("ny.gdp.pcap.pp.cd", "361ab014e883ce6881142acaf0bed29eda5aa6897ed51a6c230e58180145a96c",
            "d0c1324ee6cf7553b47e6e40bc3b8d3b273785e00e1361ddb3b559af2d4f0057",
            "gdp_per_capita_ppp_intl_usd", "current international $ per person", "GDP per capita at purchasing "
            "power parity"),
    _series("ny.gnp.mktp.pp.cd", "da4b4a1bf3cc2605913f9890fea92be7739147bc8c51bddb72c83c6ec71b0e42",
            "dad1833d8857bd6d60fd8ab3bb0d6d89eee37f3b9d0d3790332d5223cc2563f0",
            "gni_ppp_intl_usd", "current international $", "gross national income at purchasing power parity"),
    _series("sp.pop.totl", "cd7856b882884a41b3473cf74e8c85eb58d7d663d818a07e03f42ebdfb2c6b34",
            "75368451a59175254b8f10f7b7fc026409b204ab00b7d677342af9c2bd499f61",
            "population", "persons", "total population (all residents)"),
    _series("ny.gdp.totl.rt.zs", "1f04f17e93b0b98cc2c93922fb147a728c1311783a6e44efa84eb92e05d6d793",
            "a75fe7160fdeb53e87c9d54d15a90d969c4bbceea954df22558536826b7e8c0d",
            "resource_rents_pct_gdp", "% of GDP", "total natural resources rents (oil, gas, coal, minerals, forests)"),
    _series("ms.mil.xpnd.gd.zs", "528177ac488753a7824ae8afe2cbce558231334fb304ee428ccbeff492ad7165",
            "0d144f129121384965c05ec27beffb0adefc769b1840d4cb57306d76baf4af4d",
            "milex_pct_gdp", "% of GDP", "military expenditure (SIPRI-based)"),
    _series("ms.mil.xpnd.zs", "9f7572e4c25c3060573914bba0abb3b127a176da9d29744f22413ad51839c2bb",
            "d6d25eb266476d3b77e199a4782daa23808cd522ba4af663c0ab32101447c259",
            "milex_pct_govt_expenditure", "% of general government expenditure",
            "military expenditure (SIPRI-based)"),
    _series("ne.exp.gnfs.zs", "323759e9d4b217da54a2f0a3df16e70077eb83422e3dba08628a32dc48783607",
            "afaf5815e9fcbbd9ac0647506560e45e12ad13566eddf2615d6a39f9d783b206",
            "exports_pct_gdp", "% of GDP", "exports of goods and services"),
    _series("ne.imp.gnfs.zs", "f64a1dd8ba2ac40d263b91b89f7ab35869e151e007d919615699d1403ddcfba5",
            "62abb9a7fdd4095d894d6e8833ed3415394f972682e14bc04af1b93dc27a85a1",
            "imports_pct_gdp", "% of GDP", "imports of goods and services"),
    _series("tg.val.totl.gd.zs", "46a3a905a1da917d2a817f21464f606394ae350726ceb4e40c7e84e67b642669",
            "e9434ae694a4aa6117f3e6c6791f6e8054c1c2a00b708d4c6d471c0611fa3f2f",
            "merchandise_trade_pct_gdp", "% of GDP", "merchandise trade (exports plus imports of goods)"),
    _series("tx.val.mrch.cd.wt", "c64c07cf3000a19495cc2e4e4a89e24696a97aebdab884b2def426f688b4f7af",
            "c9c8444666cffc9bca13e2f84ed7b50d3e3337e5a9e1bc8cbe00d5b873d4da96",
            "merchandise_exports_usd", "current US$", "merchandise exports"),
    _series("tm.val.mrch.cd.wt", "cc4dc88950c1b30a348ffbc764c34d18c629f2564182d22e2173c3d61e5492d7",
            "8258bfff958a85513044e850ff02128de51bd0c196e6cc8aeffb35ddecb1c808",
            "merchandise_imports_usd", "current US$", "merchandise imports"),
    _series("bx.klt.dinv.cd.wd", "9c90839988c376cdd22ae213f3044cca18a325c18c4e7f2daa1fb6b2cd6cee56",
            "2e61c458616fe9e4991ac70d04392ed16a058b2a791f93611da61bd5c3e76694",
            "fdi_inflows_usd", "current US$", "foreign direct investment, net inflows"),
    _series("bx.gsr.royl.cd", "da89bae211b99e9fcce4eb7df8076af3320496a98ad93cb26f594ebe0d5cfad8",
            "e42977a578be9c26f5585a0ae0bbe47e80b8029b5bdf32e8030aaaa663b4abc1",
            "ip_receipts_usd", "current US$", "charges for the use of intellectual property, receipts (balance of "
            "payments: patents, trademarks, copyrights, franchises, software and audiovisual licences)"),
    _series("ag.lnd.totl.k2", "9bbaac946837142947a9abb99b920238fd4403bb32474817a3d8ca8a45f48f21",
            "f505a8d273f50fb5211f76881f66e6f9cd19cbc1d951e6e5a388119b38117e81",
            "land_area_km2", "km²", "land area (without inland water)"),
    _series("ag.srf.totl.k2", "f90118fa334838e43799234145106b690275c853565bb90d65baed5deaa62c40",
            "5ad250792511aac339086f16efb763b13d6be2b29db918902d0c1b6ac9905fdb",
            "surface_area_km2", "km²", "surface area (land and inland water)"),
    _series("tx.val.fuel.zs.un", "89c170aaa525deb661f495c6216777149f50331333e73a819bd26250ccb307be",
            "b4fa6ff655863f4f0f7ca5a188de28deb15ab27cf8766a4d68fb9ab0419eab6f",
            "fuel_exports_pct_merchandise", "% of merchandise exports", "fuel exports"),
    _series("eg.imp.cons.zs", "5c29b8873ec78d5178533e8fdb19e8767fe0318e087584e1b6c5902eaa52a070",
            "a9afb7f1658f3a66229e86525882db3a27146e52c0c4dc5fd9a3a0dc7a573edb",
            "energy_imports_pct_use", "% of energy use", "net energy imports (negative: a net exporter)"),
    _series("is.rrs.totl.km", "281a4ba32225a204b0c62145c4eee3f34e73f9bcee519778a60a4e7b95aab1d6",
            "928060aab9e011d2a8998d4f699da45654c025ec34d219657f2e02cc2b7d61ad",
            "rail_lines_km", "km", "rail lines (total route length)"),
    _series("is.shp.good.tu", "65f9ee19a1c97f0494053b33ec7ac70ade56af5565689809d9862a631ea399b7",
            "ea54c33ce7c35000723394c49a92409d2910c721d22e4db4155d3e0f0b5041dd",
            "container_port_traffic_teu", "TEU per year", "container port traffic"),
    _series("is.air.dprt", "fd3f2e82a7ca0ff7008270b18ac9aaabf97f22bd7f2f441ae13396f080e3641b",
            "790de952baa04069e9084d034bd0f1f7d3fcf1ce55302b44ae99d0f5ad50510f",
            "air_departures", "departures per year", "registered carrier departures worldwide (air transport)"),
    _series("lp.lpi.ovrl.xq", "b6ad7173a731b8e723833b0493537c8cc6ac8d7ea6f6c65bd5b0adda74ef603b",
            "7827a09cbc987a04103997be3409ea88db2128d3b13a0fbeb3d805481eec6e3c",
            "logistics_performance_index", "score 1 (low) to 5 (high)", "Logistics Performance Index, overall"),
    _series("fi.res.totl.cd", "8ebb0c3e09d4bcc28481e663c289ed3330a6b6d4fe4534d121fe0108c4aa36b4",
            "2119dbfebfef816cf204e5543b4f9189f80639bb492ee224956ec17abbdf30ef",
            "total_reserves_usd", "current US$", "total reserves including gold"),
)
"""Every WDI indicator the project reads, declared once: code, file checksums and panel column."""

BY_CODE = {series.code: series for series in SERIES}


def indicator_path(code: str) -> str:
    """Return the mirror path of the long-form data file of WDI indicator ``code``."""
    return f"worldbank_wdi/indicators/{code}.csv"


def indicator_file(code: str) -> SourceFile:
    """Return the SourceFile of indicator ``code``: the upstream ``data.csv`` at the pinned commit.

    ``../shared/data`` holds it gzipped (``<code>.csv.gz``), which the registry accepts as is.
    """
    url = github_raw(WDI_REPO, WDI_COMMIT, f"indicators/{code}/data.csv")
    return SourceFile(path=indicator_path(code), url=url, sha256=BY_CODE[code].sha256)


def datapackage_file(code: str) -> SourceFile:
    """Return the SourceFile of indicator ``code``'s ``datapackage.json`` (title, unit, definition)."""
    url = github_raw(WDI_REPO, WDI_COMMIT, f"indicators/{code}/datapackage.json")
    return SourceFile(path=f"worldbank_wdi/indicators/{code}.datapackage.json", url=url,
                      sha256=BY_CODE[code].datapackage_sha256)


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
        producer="World Bank",
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
            "NY.GDP.MKTP.PP.CD, MS.MIL.XPND.CD, MS.MIL.TOTL.P1, NY.GDP.NGAS.RT.ZS, NE.TRD.GNFS.ZS (GDP PPP "
            "total, military spending in US$ - use sipri_milex -, armed forces personnel, gas rents, trade % "
            "of GDP - add exports and imports). Coverage 1960-2025, with a last year that differs by "
            "indicator: resource rents end in 2021, the PPP series start in 1990, rail lines run 1995-2021 and "
            "the Logistics Performance Index 2007-2022."
        ),
    )
)


INDICATORS_PATH = "worldbank_wdi/indicators.csv"
INDICATOR_FIELDS = ["file", "indicator_code", "title", "topics", "license", "description"]


def _make_indicators(inputs: Mapping[str, Path], out: Path) -> None:
    """Write one row per declared indicator from its datapackage.json, in the mirror's layout.

    ``../shared/data/worldbank_wdi/indicators.csv`` was made the same way from all 325
    datapackage.json files: code upper-cased, keywords joined by ';', the readme's line breaks
    turned into spaces.
    """
    rows = []
    for code in sorted(BY_CODE):
        package = json.loads(inputs[datapackage_file(code).path].read_text(encoding="utf-8"))
        rows.append({
            "file": f"indicators/{code}.csv",
            "indicator_code": package["worldbank"]["indicator"].upper(),
            "title": package["title"],
            "topics": ";".join(package.get("keywords") or []),
            "license": (package.get("licenses") or [{}])[0].get("name"),
            "description": (package.get("readme") or "").replace("\n", " "),
        })
    pd.DataFrame(rows, columns=INDICATOR_FIELDS).to_csv(out, index=False)


INDICATORS_FILE = Derived(
    path=INDICATORS_PATH,
    inputs=tuple(datapackage_file(code) for code in BY_CODE),
    make=_make_indicators,
    recipe="one row per declared indicator from its datapackage.json (title, keywords, licence, readme)",
    # ../shared/data holds the same table for all 325 indicators of the snapshot.
    mirror_sha256="c9f89df44021bde970e155abf733142372c9951bbb3acea6c654fc1371f7dd3f",
)


def load_wdi_indicators(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Return one row per declared indicator: code, wb_code, title, unit, topics, definition."""
    path = paths[INDICATORS_PATH]
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
        producer="World Bank",
        files=(INDICATORS_FILE,),
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
        notes="Made from each declared indicator's datapackage.json at the pinned commit.",
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
        producer="World Bank",
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
