"""Economic, resource, military-spending and country-metadata sources.

Behaviour on the real mirror files: the Kazakhstan figures below are typed from
``shared/data/SOURCES-econ-geo.md`` (which read them independently with pandas), each with a
tolerance of half the last digit the document prints. Edge cases run on tiny files in temp folders.
"""

from __future__ import annotations

import gzip
import os
import urllib.error
import urllib.request
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from middlepower.errors import SourceError
from middlepower.sources import get, load
from middlepower.sources.sipri import SIPRI_PATH, load_sipri

MIRROR = str(Path(os.environ["MIDDLEPOWER_MIRROR"]).resolve()) if os.environ.get("MIDDLEPOWER_MIRROR") else None
needs_mirror = pytest.mark.skipif(
    not MIRROR or not Path(MIRROR).is_dir(), reason="MIDDLEPOWER_MIRROR does not name the shared data folder"
)


@pytest.fixture(scope="module")
def loaded():
    """Load each source once per module (SIPRI's workbook takes a few seconds)."""
    frames: dict[str, pd.DataFrame] = {}

    def frame(name: str) -> pd.DataFrame:
        if name not in frames:
            frames[name] = load(name, download=False)
        return frames[name]

    return frame


def only(frame: pd.DataFrame, **where) -> pd.Series:
    """Return the single row of ``frame`` matching every column=value in ``where``."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]


# (indicator, year, value as documented, half its last printed digit)
WDI_KAZ = [
    ("ny.gdp.mktp.cd", 2025, 306.2e9, 0.05e9),
    ("ny.gdp.pcap.cd", 2025, 14_692, 0.5),
    ("ny.gdp.pcap.pp.cd", 2024, 40_891, 0.5),
    ("ny.gnp.mktp.pp.cd", 2025, 856.5e9, 0.05e9),
    ("sp.pop.totl", 2025, 20_843_754, 0.5),
    ("ny.gdp.totl.rt.zs", 2021, 26.8, 0.05),
    ("ms.mil.xpnd.gd.zs", 2024, 0.43, 0.005),
    ("ms.mil.xpnd.zs", 2024, 1.94, 0.005),
    ("ne.exp.gnfs.zs", 2024, 31.6, 0.05),
    ("ne.imp.gnfs.zs", 2024, 25.6, 0.05),
    ("tx.val.mrch.cd.wt", 2025, 78.8e9, 0.05e9),
    ("tm.val.mrch.cd.wt", 2025, 64.5e9, 0.05e9),
    ("bx.klt.dinv.cd.wd", 2024, 2.09e9, 0.005e9),
    ("ag.lnd.totl.k2", 2023, 2_699_700, 0.5),
    ("ag.srf.totl.k2", 2023, 2_724_902, 0.5),
    ("tx.val.fuel.zs.un", 2024, 56.7, 0.05),
    ("eg.imp.cons.zs", 2023, -119, 0.5),
    ("is.rrs.totl.km", 2021, 16_006, 0.5),
    ("lp.lpi.ovrl.xq", 2022, 2.7, 0.05),
]


@needs_mirror
@pytest.mark.parametrize(("indicator", "year", "expected", "tolerance"), WDI_KAZ)
def test_wdi_matches_documented_kazakhstan_values(loaded, indicator, year, expected, tolerance):
    row = only(loaded("wdi"), iso3="KAZ", indicator=indicator, year=year)
    assert row["value"] == pytest.approx(expected, abs=tolerance)


@needs_mirror
def test_wdi_keeps_world_bank_aggregates_and_has_no_container_rows_for_landlocked_kaz(loaded):
    wdi = loaded("wdi")
    gdp = wdi[wdi["indicator"] == "ny.gdp.mktp.cd"]
    assert {"WLD", "EUU", "ECS", "ARB"} <= set(gdp["iso3"])
    assert wdi[(wdi["iso3"] == "KAZ") & (wdi["indicator"] == "is.shp.good.tu")].empty


@needs_mirror
def test_wdi_indicators_describe_every_declared_code_with_a_unit(loaded):
    meta = loaded("wdi_indicators")
    assert set(meta["code"]) == set(loaded("wdi")["indicator"])
    assert only(meta, code="ny.gdp.mktp.cd")["unit"] == "current US$"
    assert only(meta, code="ms.mil.xpnd.gd.zs")["unit"] == "% of GDP"
    assert meta["unit"].notna().all()


@needs_mirror
def test_oil_rents_are_long_with_kaz_2019_and_2020_and_data_from_1970_to_2020(loaded):
    rents = loaded("wdi_oil_rents")
    assert only(rents, iso3="KAZ", year=2020)["value"] == pytest.approx(9.34, abs=0.005)
    assert only(rents, iso3="KAZ", year=2019)["value"] == pytest.approx(13.8, abs=0.05)
    assert (rents["year"].min(), rents["year"].max()) == (1970, 2020)
    assert len(rents) == 10_685


@needs_mirror
def test_sipri_matches_documented_kazakhstan_2024_and_shares_are_fractions(loaded):
    row = only(loaded("sipri_milex"), country="Kazakhstan", year=2024)
    assert row["milex_current_usd_m"] == pytest.approx(1_209.0, abs=0.05)
    assert row["milex_constant_2023_usd_m"] == pytest.approx(1_145.0, abs=0.05)
    assert row["milex_share_gdp"] == pytest.approx(0.00428, abs=0.000005)


@needs_mirror
def test_sipri_drops_region_headers_and_keeps_173_countries_plus_the_eu(loaded):
    countries = set(loaded("sipri_milex")["country"])
    assert not countries & {"Africa", "Central Asia", "Western Europe", "Middle East", "Country"}
    assert len(countries - {"European Union"}) == 173


@needs_mirror
def test_sipri_markers_become_na_for_kazakhstan_before_independence(loaded):
    row = only(loaded("sipri_milex"), country="Kazakhstan", year=1990)
    measures = row.drop(["country", "year"])
    assert measures.isna().all()


# (measure, year, value as documented, half its last printed digit)
EI_KAZ = [
    ("oil_production_barrels", 2024, 1_836, 0.5),
    ("gas_production_bcm", 2024, 29.7, 0.05),
    ("coal_production_mt", 2024, 112.6, 0.05),
    ("oil_proved_reserves_history", 2020, 30.0, 0.05),
    ("gas_proved_reserves_history", 2020, 2.26, 0.005),
]


@needs_mirror
@pytest.mark.parametrize(("measure", "year", "expected", "tolerance"), EI_KAZ)
def test_energy_institute_matches_documented_kazakhstan_values(loaded, measure, year, expected, tolerance):
    row = only(loaded("ei_energy"), geo="kazakhstan", measure=measure, year=year)
    assert row["value"] == pytest.approx(expected, abs=tolerance)


@needs_mirror
def test_energy_institute_reserves_end_in_2020_and_geos_flag_aggregates(loaded):
    energy = loaded("ei_energy")
    reserves = energy[energy["measure"].str.endswith("_reserves_history")]
    assert reserves["year"].max() == 2020
    geos = loaded("ei_geos")
    assert len(geos) == 151
    assert set(energy["geo"]) <= set(geos["geo"])
    assert not only(geos, geo="kazakhstan")["is_aggregate"]
    assert only(geos, geo="total_world")["is_aggregate"]
    assert only(geos, geo="other_cis")["is_aggregate"]


@needs_mirror
def test_countries_kaz_is_landlocked_with_five_land_neighbours(loaded):
    countries = loaded("countries")
    assert len(countries) == 250
    kaz = only(countries, iso3="KAZ")
    assert kaz["landlocked"]
    assert kaz["borders"].split(",") == ["CHN", "KGZ", "RUS", "TKM", "UZB"]
    assert kaz["area_km2"] == 2_724_900
    assert (kaz["lat"], kaz["lon"]) == (48, 68)


@needs_mirror
def test_codelist_has_documented_cow_and_gw_codes(loaded):
    codelist = loaded("country_codelist")
    assert len(codelist) == 291
    kaz = only(codelist, iso3c="KAZ")
    assert (kaz["cown"], kaz["gwn"]) == (705, 705)
    assert codelist["cown"].notna().sum() == 215
    assert codelist["gwn"].notna().sum() == 191


@needs_mirror
def test_country_converter_keeps_names_codes_and_memberships(loaded):
    converter = loaded("country_converter")
    assert len(converter) == 256
    assert converter["GWcode"].notna().sum() == 195
    usa = only(converter, ISO3="USA")
    assert usa["G7"] and usa["G20"] and usa["OECD"] == 1961
    kaz = only(converter, ISO3="KAZ")
    assert kaz["CIS"] and not kaz["G20"] and kaz["UNmember"] == 1992


@needs_mirror
def test_cepii_contiguity_ignores_the_caspian_and_distances_match_the_docs(loaded):
    dist = loaded("cepii_dist")
    assert len(dist) == 224 * 224
    for neighbour in ("CHN", "RUS", "TKM"):
        assert only(dist, iso_o="KAZ", iso_d=neighbour)["contig"] == 1
    assert only(dist, iso_o="KAZ", iso_d="AZE")["contig"] == 0
    for other, km in (("AZE", 2_258), ("CHN", 3_277), ("TUR", 3_914)):
        assert only(dist, iso_o="KAZ", iso_d=other)["dist_km"] == pytest.approx(km, abs=0.5)


@pytest.fixture
def offline_mirror(tmp_path, monkeypatch):
    """Return an empty temp mirror; the cache is another temp dir and every download fails."""
    mirror, home = tmp_path / "mirror", tmp_path / "home"
    mirror.mkdir()
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", str(mirror))
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(home))

    def refuse(*args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return mirror


@needs_mirror
def test_wdi_loads_from_a_mirror_holding_only_the_declared_files(offline_mirror):
    for file in get("wdi").files:
        target = offline_mirror / f"{file.path}.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(Path(MIRROR) / f"{file.path}.gz")
    assert not (offline_mirror / "worldbank_wdi/indicators/ag.con.fert.zs.csv.gz").exists()
    assert len(load("wdi")) > 100_000


def test_mirror_file_with_wrong_checksum_raises_source_error_naming_it(offline_mirror):
    path = get("wdi_oil_rents").files[0].path
    target = offline_mirror / path
    target.parent.mkdir(parents=True)
    target.write_text("Country Name,Country Code\nKazakhstan,KAZ\n")
    with pytest.raises(SourceError, match="checksum mismatch") as caught:
        load("wdi_oil_rents")
    assert path in str(caught.value)


def test_missing_file_with_downloads_failing_raises_source_error_naming_it(offline_mirror):
    path = get("wdi_oil_rents").files[0].path
    with pytest.raises(SourceError, match="download failed") as caught:
        load("wdi_oil_rents")
    assert path in str(caught.value)


def test_gzipped_mirror_copy_is_verified_on_its_decompressed_bytes(offline_mirror):
    path = get("cepii_dist").files[0].path
    packed = offline_mirror / f"{path}.gz"
    packed.parent.mkdir(parents=True)
    original = gzip.decompress(Path(MIRROR, f"{path}.gz").read_bytes())
    packed.write_bytes(gzip.compress(original[:-1] + b"X"))  # same length, one byte changed
    with pytest.raises(SourceError, match="decompressed") as caught:
        load("cepii_dist")
    assert path in str(caught.value) and "\n" not in str(caught.value)
    packed.write_bytes(gzip.compress(original))
    assert len(load("cepii_dist")) == 50_176


def write_workbook(path: Path, rows_by_sheet: dict[str, list[list]]) -> Path:
    """Write a small xlsx with the given sheets and rows; return its path."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, rows in rows_by_sheet.items():
        worksheet = book.create_sheet(sheet)
        for row in rows:
            worksheet.append(row)
    book.save(path)
    return path


SIPRI_SHEET_NAMES = ("Current US$", "Constant (2023) US$", "Share of GDP", "Per capita", "Share of Govt. spending")


def test_sipri_workbook_without_country_header_raises_one_line_error(tmp_path):
    rows = [["Military expenditure by country"], ["Nation", "Notes", 2023, 2024], ["Kazakhstan", None, 1.0, 2.0]]
    book = write_workbook(tmp_path / "milex.xlsx", {sheet: rows for sheet in SIPRI_SHEET_NAMES})
    with pytest.raises(SourceError) as caught:
        load_sipri({SIPRI_PATH: book})
    message = str(caught.value)
    assert "milex.xlsx" in message and "'Country'" in message
    assert "\n" not in message


def test_sipri_unknown_cell_text_raises_instead_of_becoming_na(tmp_path):
    rows = [["Country", "Notes", 2023, 2024], ["Central Asia"], ["Kazakhstan", None, "n/a", 2.0]]
    book = write_workbook(tmp_path / "milex.xlsx", {sheet: rows for sheet in SIPRI_SHEET_NAMES})
    with pytest.raises(SourceError, match="'n/a' for Kazakhstan 2023"):
        load_sipri({SIPRI_PATH: book})


def test_sipri_small_workbook_reads_markers_and_drops_region_rows(tmp_path):
    rows = [
        ["Country", "Notes", 2022, 2023, 2024],
        [None],
        ["Central Asia"],
        ["Kazakhstan", None, "xxx", ". .", 1209.0],
    ]
    book = write_workbook(tmp_path / "milex.xlsx", {sheet: rows for sheet in SIPRI_SHEET_NAMES})
    frame = load_sipri({SIPRI_PATH: book})
    assert list(frame["country"].unique()) == ["Kazakhstan"]
    assert frame.set_index("year")["milex_current_usd_m"].isna().tolist() == [True, True, False]
