"""Economy, military spending, resources, IGO memberships and transport: verbs over the store's panel view.

Each selects columns its sources declared (World Bank WDI, SIPRI, Energy Institute, COW IGO); the
units, descriptions and years of data are in the column catalogue (docs/panel.md).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from middlepower.panel.contract import verb
from middlepower.panel.frame import join_columns, store_columns
from middlepower.sources.columns import Column


@verb(store=("gdp_usd", "gdp_per_capita_usd", "gdp_per_capita_ppp_intl_usd", "gni_ppp_intl_usd", "population",
             "exports_pct_gdp", "imports_pct_gdp", "merchandise_trade_pct_gdp", "merchandise_exports_usd",
             "merchandise_imports_usd", "fdi_inflows_usd", "ip_receipts_usd", "total_reserves_usd", "land_area_km2",
             "surface_area_km2"),
      derived=(Column("trade_pct_gdp", "% of GDP", "exports plus imports of goods and services (NA if either is "
                      "missing)", upstream="exports_pct_gdp + imports_pct_gdp",
                      inputs=("exports_pct_gdp", "imports_pct_gdp")),))
def add_economy(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with the economy columns added; NA where the World Bank has no value."""
    values = store_columns(frame, "add_economy", db)
    values["trade_pct_gdp"] = values["exports_pct_gdp"] + values["imports_pct_gdp"]
    return join_columns(frame, values, "add_economy")


@verb(store=("sipri_milex_current_usd_m", "sipri_milex_constant_2023_usd_m", "sipri_milex_share_gdp",
             "milex_pct_gdp", "milex_pct_govt_expenditure"))
def add_military(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with military-spending columns (SIPRI, and the WDI's SIPRI-based shares)."""
    return join_columns(frame, store_columns(frame, "add_military", db), "add_military")


@verb(store=("resource_rents_pct_gdp", "oil_rents_pct_gdp", "fuel_exports_pct_merchandise", "energy_imports_pct_use",
             "oil_production_kbd", "gas_production_bcm", "coal_production_mt", "oil_reserves_bn_barrels",
             "gas_reserves_tcm"))
def add_resources(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with natural-resource columns added.

    Energy Institute production and reserves are zero-free: a state the review does not list
    separately gets NA, not 0 (the review groups small producers into regional "other" rows).
    """
    return join_columns(frame, store_columns(frame, "add_resources", db), "add_resources")


@verb(store=("igo_full", "igo_associate", "igo_observer", "igo_any"))
def add_igos(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with IGO membership counts (COW IGO v3) added; NA after its last year."""
    return join_columns(frame, store_columns(frame, "add_igos", db), "add_igos")


@verb(store=("rail_lines_km", "container_port_traffic_teu", "air_departures", "logistics_performance_index"))
def add_transport(frame: pd.DataFrame, *, db: Path | str | None = None) -> pd.DataFrame:
    """Return ``frame`` (iso3, year) with transport infrastructure and logistics columns (World Bank WDI)."""
    return join_columns(frame, store_columns(frame, "add_transport", db), "add_transport")
