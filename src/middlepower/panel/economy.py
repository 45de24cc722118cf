"""Economy, military spending, resources and IGO memberships: verbs over the store's panel view."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.frame import panel_columns

ECONOMY_COLUMNS = {
    "gdp_usd": "GDP, current US$; World Bank WDI NY.GDP.MKTP.CD",
    "gdp_per_capita_usd": "GDP per capita, current US$; WDI NY.GDP.PCAP.CD",
    "gdp_per_capita_ppp_intl_usd": "GDP per capita, PPP, current international $; WDI NY.GDP.PCAP.PP.CD (from 1990)",
    "gni_ppp_intl_usd": "GNI, PPP, current international $; WDI NY.GNP.MKTP.PP.CD (from 1990)",
    "population": "population, persons; WDI SP.POP.TOTL",
    "exports_pct_gdp": "exports of goods and services, % of GDP; WDI NE.EXP.GNFS.ZS",
    "imports_pct_gdp": "imports of goods and services, % of GDP; WDI NE.IMP.GNFS.ZS",
    "merchandise_exports_usd": "merchandise exports, current US$; WDI TX.VAL.MRCH.CD.WT",
    "fdi_inflows_usd": "foreign direct investment, net inflows, current US$; WDI BX.KLT.DINV.CD.WD",
    "land_area_km2": "land area, km²; WDI AG.LND.TOTL.K2",
}

MILITARY_COLUMNS = {
    "sipri_milex_current_usd_m": "military expenditure, current US$ millions; SIPRI 2025 release (1949-2024)",
    "sipri_milex_constant_2023_usd_m": "military expenditure, constant 2023 US$ millions; SIPRI 2025 release",
    "sipri_milex_share_gdp": "military expenditure as a fraction of GDP (0-1); SIPRI 2025 release",
    "milex_pct_gdp": "military expenditure, % of GDP; WDI MS.MIL.XPND.GD.ZS (SIPRI-based)",
}

RESOURCE_COLUMNS = {
    "resource_rents_pct_gdp": "total natural resources rents, % of GDP; WDI NY.GDP.TOTL.RT.ZS (1970-2021)",
    "fuel_exports_pct_merchandise": "fuel exports, % of merchandise exports; WDI TX.VAL.FUEL.ZS.UN",
    "oil_production_kbd": "oil production, thousand barrels per day; Energy Institute 2025 (1965-2024)",
    "gas_production_bcm": "natural gas production, billion cubic metres; Energy Institute 2025",
    "coal_production_mt": "coal production, million tonnes; Energy Institute 2025 (1981-2024)",
    "oil_reserves_bn_barrels": "proved oil reserves, thousand million barrels; Energy Institute (1980-2020)",
    "gas_reserves_tcm": "proved gas reserves, trillion cubic metres; Energy Institute (1980-2020)",
}

IGO_COLUMNS = {
    "igo_full": "number of IGOs with full membership; COW IGO v3 (annual 1965-2014, 5-yearly before)",
    "igo_associate": "number of IGOs with associate membership; COW IGO v3",
    "igo_observer": "number of IGOs with observer status; COW IGO v3",
    "igo_any": "number of IGOs with any membership type; COW IGO v3",
}


def add_economy(frame: pd.DataFrame, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with economy columns added, plus ``trade_pct_gdp``.

    Columns and units: see ``ECONOMY_COLUMNS`` (World Bank WDI, 1960-2025 depending on the
    series; NA where the Bank has no value). ``trade_pct_gdp`` = exports + imports of goods and
    services, % of GDP (NA if either is missing).
    """
    out = panel_columns(list(ECONOMY_COLUMNS), frame, db, "add_economy")
    out["trade_pct_gdp"] = out["exports_pct_gdp"] + out["imports_pct_gdp"]
    return out


def add_military(frame: pd.DataFrame, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with military-spending columns (``MILITARY_COLUMNS``) added."""
    return panel_columns(list(MILITARY_COLUMNS), frame, db, "add_military")


def add_resources(frame: pd.DataFrame, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with natural-resource columns (``RESOURCE_COLUMNS``) added.

    Oil and gas production are zero-free: a state the Energy Institute does not list separately
    gets NA, not 0 (the review groups small producers into regional "other" rows).
    """
    return panel_columns(list(RESOURCE_COLUMNS), frame, db, "add_resources")


def add_igos(frame: pd.DataFrame, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with IGO membership counts (``IGO_COLUMNS``) added; NA after 2014."""
    return panel_columns(list(IGO_COLUMNS), frame, db, "add_igos")
