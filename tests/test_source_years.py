"""Each source's declared last year is the last year its pinned data holds, on the real store.

The panel writes "NA after <year>" from these constants and stops its counts there, so a constant
that lags the data would silently drop real years, and one that runs ahead would turn missing
years into zeros (the use-of-force and alliance counts are 0 where no event is recorded).
"""

from __future__ import annotations

import duckdb
import pytest

from middlepower.sources import get
from middlepower.sources.conflict import MID_LAST_YEAR, UCDP_LAST_YEAR
from middlepower.sources.cow import CINC_LAST_YEAR, COW_MAJORS_LAST_YEAR, MAOZ_LAST_YEAR
from middlepower.sources.cow_ties import ATOP_LAST_YEAR
from middlepower.sources.ipi import IPI_FIRST_MONTH, IPI_LAST_MONTH
from middlepower.sources.maddison import MADDISON_LAST_YEAR
from middlepower.sources.peace import PAX_YEARS
from middlepower.sources.pwt import PWT_LAST_YEAR

DECLARED = (  # (store table, SQL for the last year it holds, the constant the code reads)
    ("cow_nmc", "max(year) FILTER (WHERE cinc IS NOT NULL)", CINC_LAST_YEAR),
    ("cow_majors", "max(year(end_date))", COW_MAJORS_LAST_YEAR),
    ("maoz_powers", "max(year(end_date))", MAOZ_LAST_YEAR),
    ("ucdp_acd", "max(year)", UCDP_LAST_YEAR),
    ("cow_mid_dirdisps", "max(year)", MID_LAST_YEAR),
    ("atop_alliances", "max(year)", ATOP_LAST_YEAR),
    ("maddison", "max(year) FILTER (WHERE gdppc_2011_intl_usd IS NOT NULL)", MADDISON_LAST_YEAR),
    ("pwt", "max(year) FILTER (WHERE csh_x IS NOT NULL AND cgdpo_usd_m IS NOT NULL AND pl_x IS NOT NULL)",
     PWT_LAST_YEAR),
)


@pytest.mark.parametrize(("table", "last_year_sql", "declared"), DECLARED, ids=[row[0] for row in DECLARED])
def test_declared_last_year_is_the_data_last_year(store_path, table, last_year_sql, declared):
    with duckdb.connect(str(store_path), read_only=True) as con:
        (last,) = con.execute(f"SELECT {last_year_sql} FROM {table}").fetchone()
    assert last == declared, f"{table} holds data to {last}; the code declares {declared}"


@pytest.mark.parametrize(("table", "declared"), [(row[0], row[2]) for row in DECLARED],
                         ids=[row[0] for row in DECLARED])
def test_coverage_text_ends_in_the_declared_year(table, declared):
    # the source's own coverage line, shown by `middlepower sources`, says the same last year
    assert f"-{declared}" in get(table).coverage


def test_peacekeeping_months_are_the_data_months(store_path):
    with duckdb.connect(str(store_path), read_only=True) as con:
        first, last = con.execute("SELECT min(date), max(date) FROM ipi_peacekeeping").fetchone()
    assert (first.year, first.month) == (IPI_FIRST_MONTH.year, IPI_FIRST_MONTH.month)
    assert (last.year, last.month) == (IPI_LAST_MONTH.year, IPI_LAST_MONTH.month)
    assert f"{IPI_FIRST_MONTH:%Y-%m} to {IPI_LAST_MONTH:%Y-%m}" in get("ipi_peacekeeping").coverage


def test_peace_agreement_years_are_the_data_years(store_path):
    with duckdb.connect(str(store_path), read_only=True) as con:
        span = con.execute("SELECT min(year), max(year) FROM pax_agreements").fetchone()
    assert span == PAX_YEARS
    assert f"{PAX_YEARS[0]}-01 to {PAX_YEARS[1]}-" in get("pax_agreements").coverage
