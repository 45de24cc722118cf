"""The store: real build from the mirror, CINC against the published values, Kazakhstan's panel."""

from __future__ import annotations

import gzip

import pandas as pd
import pyreadr
import pytest

from middlepower import panel, sources, warehouse


def test_cinc_recomputed_from_six_components_matches_published_for_every_state_year(mirror):
    raw = pyreadr.read_r(str(mirror / "peacesciencer" / "cow_nmc.rda"))["cow_nmc"]
    nmc = sources.load("cow_nmc")
    assert len(nmc) == len(raw) == 17121
    assert nmc["year"].min() == 1816 and nmc["year"].max() == 2022
    recomputed = panel.recompute_cinc(nmc)
    delta = (recomputed - raw["cinc"].to_numpy()).abs()
    assert delta.notna().all()
    assert delta.max() <= 1e-6


def test_store_has_a_table_per_source_and_provenance(store_path):
    with warehouse.open_store(store_path) as store:
        tables = set(store.tables())
        provenance = store.query("SELECT source, rows FROM _sources")
    expected = {s.name for s in sources.all_sources() if s.table}
    assert expected <= tables
    assert {"crosswalk", "state_years", "panel", "_sources", "_build", "_unmapped"} <= tables
    assert set(provenance["source"]) == expected
    assert (provenance["rows"] > 0).all()


def test_panel_is_unique_per_iso3_year(store_path):
    with warehouse.open_store(store_path) as store:
        dupes = store.query("SELECT iso3, year, count(*) n FROM panel GROUP BY 1, 2 HAVING n > 1")
    assert dupes.empty


def _raw_wdi(mirror, code: str, iso3: str) -> pd.Series:
    with gzip.open(mirror / "worldbank_wdi" / "indicators" / f"{code}.csv.gz", "rt") as handle:
        raw = pd.read_csv(handle)
    rows = raw[raw["Country Code"] == iso3]
    return rows.set_index("Year")["Value"]


def test_kazakhstan_is_in_the_panel_every_year_1992_2022_with_values_matching_raw_files(store_path, mirror):
    frame = panel.state_years(1992, 2022, db=store_path)
    kaz = frame[frame["iso3"] == "KAZ"]
    assert list(kaz["year"]) == list(range(1992, 2023))
    kaz = panel.add_capabilities(kaz, db=store_path)
    kaz = panel.add_economy(kaz, db=store_path)
    kaz = panel.add_military(kaz, db=store_path)
    kaz = panel.add_resources(kaz, db=store_path)
    kaz = panel.add_igos(kaz, db=store_path).set_index("year")
    assert len(kaz) == 31

    gdp = _raw_wdi(mirror, "ny.gdp.mktp.cd", "KAZ")
    pop = _raw_wdi(mirror, "sp.pop.totl", "KAZ")
    rents = _raw_wdi(mirror, "ny.gdp.totl.rt.zs", "KAZ")
    for year in range(1992, 2023):
        if year in gdp.index:
            assert kaz.loc[year, "gdp_usd"] == pytest.approx(gdp[year])
        assert kaz.loc[year, "population"] == pytest.approx(pop[year])
    for year in range(1992, 2022):
        assert kaz.loc[year, "resource_rents_pct_gdp"] == pytest.approx(rents[year])

    nmc = pyreadr.read_r(str(mirror / "peacesciencer" / "cow_nmc.rda"))["cow_nmc"]
    nmc_kaz = nmc[nmc["ccode"] == 705].set_index("year")
    for year in range(1992, 2023):
        assert kaz.loc[year, "cinc"] == pytest.approx(nmc_kaz.loc[float(year), "cinc"])
    assert kaz.loc[2022, "nmc_milex_thousands"] == 1_867_000  # SOURCES-ir.md check

    igo = pyreadr.read_r(str(mirror / "peacesciencer" / "cow_igo_sy.rda"))["cow_igo_sy"]
    igo_kaz = igo[igo["ccode"] == 705].set_index("year")
    for year in range(1992, 2015):
        assert kaz.loc[year, "igo_full"] == igo_kaz.loc[float(year), "sum_igo_full"]
    assert kaz.loc[2014, "igo_full"] == 55

    # SIPRI 2025 release, typed from SOURCES-econ-geo.md: KAZ 2024 current US$ 1,209.0 m.
    assert kaz["sipri_milex_current_usd_m"].notna().sum() >= 25
    assert kaz["cinc"].notna().all() and kaz["population"].notna().all()


def test_historical_cases_follow_the_crosswalk_decisions(store_path):
    with warehouse.open_store(store_path) as store:
        rows = store.query(
            "SELECT iso3, year, ccode FROM state_years WHERE (iso3 = 'DEU' AND year IN (1989, 1990, 1991))"
            " OR (iso3 = 'YEM' AND year IN (1989, 1990)) OR (iso3 = 'RUS' AND year IN (1990, 1992))"
            " OR iso3 IN ('CSK', 'YMD', 'DDR') ORDER BY iso3, year"
        )
    lookup = {(r.iso3, r.year): r.ccode for r in rows.itertuples()}
    assert lookup[("DEU", 1989)] == 260 and lookup[("DEU", 1990)] == 255 and lookup[("DEU", 1991)] == 255
    assert lookup[("YEM", 1989)] == 678 and lookup[("YEM", 1990)] == 679
    assert lookup[("RUS", 1990)] == 365 and lookup[("RUS", 1992)] == 365
    assert max(y for (iso, y) in lookup if iso == "CSK") == 1992
    assert max(y for (iso, y) in lookup if iso == "DDR") == 1990


def test_every_cow_member_since_1946_has_an_iso3(store_path):
    with warehouse.open_store(store_path) as store:
        crosswalk = store.query("SELECT * FROM crosswalk WHERE last_year >= 1946")
        unmapped = store.query("SELECT * FROM _unmapped WHERE source = 'cow_nmc'")
    assert crosswalk["iso3"].notna().all()
    # NMC rows of pre-1946 states are kept with a NULL iso3 and counted, not dropped.
    assert unmapped["rows"].sum() > 0


def test_unchanged_inputs_make_the_rebuild_a_no_op(store_path):
    before = store_path.stat().st_mtime_ns
    report = warehouse.build(store_path)
    assert report.skipped
    assert store_path.stat().st_mtime_ns == before


def test_major_powers_2016_are_flagged(store_path):
    frame = panel.add_majors(panel.state_years(2016, 2016, db=store_path), db=store_path)
    majors = set(frame.loc[frame["cow_major"].astype(bool), "iso3"])
    assert majors == {"USA", "GBR", "FRA", "DEU", "RUS", "CHN", "JPN"}
