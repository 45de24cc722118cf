"""The store's derived views: wide per-concept views and the ``panel`` view keyed by iso3 + year.

The panel view is the state-year backbone (COW system members from 1946, ISO3-keyed by
:mod:`middlepower.codes`) left-joined with one wide row per source. Column names carry units; the
panel layer documents each one and adds derived columns on top.
"""

from __future__ import annotations

import duckdb

VIEWS = ("wdi_wide", "energy_wide", "sipri_wide", "panel")
"""Every view :func:`create` makes; opening a store checks that each exists."""

WDI_COLUMNS: dict[str, str] = {
    "ny.gdp.mktp.cd": "gdp_usd",
    "ny.gdp.pcap.cd": "gdp_per_capita_usd",
    "ny.gdp.pcap.pp.cd": "gdp_per_capita_ppp_intl_usd",
    "ny.gnp.mktp.pp.cd": "gni_ppp_intl_usd",
    "sp.pop.totl": "population",
    "ny.gdp.totl.rt.zs": "resource_rents_pct_gdp",
    "ms.mil.xpnd.gd.zs": "milex_pct_gdp",
    "ne.exp.gnfs.zs": "exports_pct_gdp",
    "ne.imp.gnfs.zs": "imports_pct_gdp",
    "tx.val.mrch.cd.wt": "merchandise_exports_usd",
    "tm.val.mrch.cd.wt": "merchandise_imports_usd",
    "bx.klt.dinv.cd.wd": "fdi_inflows_usd",
    "ag.lnd.totl.k2": "land_area_km2",
    "ag.srf.totl.k2": "surface_area_km2",
    "tx.val.fuel.zs.un": "fuel_exports_pct_merchandise",
    "is.rrs.totl.km": "rail_lines_km",
    "lp.lpi.ovrl.xq": "logistics_performance_index",
}
"""World Bank indicator code -> panel column name (units in the name)."""

EI_COLUMNS: dict[str, str] = {
    "oil_production_barrels": "oil_production_kbd",
    "gas_production_bcm": "gas_production_bcm",
    "coal_production_mt": "coal_production_mt",
    "oil_proved_reserves_history": "oil_reserves_bn_barrels",
    "gas_proved_reserves_history": "gas_reserves_tcm",
}
"""Energy Institute measure -> panel column name (units in the name)."""


def _pivot(table: str, key_column: str, value_column: str, mapping: dict[str, str]) -> str:
    selects = ",\n    ".join(
        f"max({value_column}) FILTER (WHERE {key_column} = '{code}') AS {name}" for code, name in mapping.items()
    )
    return f"SELECT iso3, year,\n    {selects}\nFROM {table} WHERE iso3 IS NOT NULL GROUP BY iso3, year"


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Create the wide views and the ``panel`` view in the store behind ``con``."""
    con.execute(f"CREATE VIEW wdi_wide AS {_pivot('wdi', 'indicator', 'value', WDI_COLUMNS)}")
    con.execute(f"CREATE VIEW energy_wide AS {_pivot('ei_energy', 'measure', 'value', EI_COLUMNS)}")
    # SIPRI rows can share an ISO3 only through naming quirks; keep the first non-null per key.
    con.execute(
        """
        CREATE VIEW sipri_wide AS
        SELECT iso3, year,
               max(milex_current_usd_m) AS sipri_milex_current_usd_m,
               max(milex_constant_2023_usd_m) AS sipri_milex_constant_2023_usd_m,
               max(milex_share_gdp) AS sipri_milex_share_gdp
        FROM sipri_milex WHERE iso3 IS NOT NULL GROUP BY iso3, year
        """
    )
    wdi_cols = ", ".join(f"w.{name}" for name in WDI_COLUMNS.values())
    ei_cols = ", ".join(f"e.{name}" for name in EI_COLUMNS.values())
    con.execute(
        f"""
        CREATE VIEW panel AS
        SELECT s.iso3, s.year, s.ccode, s.name,
               n.milex AS nmc_milex_thousands, n.milper AS nmc_milper_thousands,
               n.irst AS nmc_irst_thousand_tons, n.pec AS nmc_pec_thousand_coal_tons,
               n.tpop AS nmc_tpop_thousands, n.upop AS nmc_upop_thousands, n.cinc,
               {wdi_cols},
               p.sipri_milex_current_usd_m, p.sipri_milex_constant_2023_usd_m, p.sipri_milex_share_gdp,
               {ei_cols},
               g.igo_full, g.igo_associate, g.igo_observer, g.igo_any
        FROM state_years s
        LEFT JOIN cow_nmc n ON n.ccode = s.ccode AND n.year = s.year
        LEFT JOIN wdi_wide w ON w.iso3 = s.iso3 AND w.year = s.year
        LEFT JOIN sipri_wide p ON p.iso3 = s.iso3 AND p.year = s.year
        LEFT JOIN energy_wide e ON e.iso3 = s.iso3 AND e.year = s.year
        LEFT JOIN cow_igo_sy g ON g.ccode = s.ccode AND g.year = s.year
        """
    )
