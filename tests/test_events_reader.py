"""The GDELT reader, checked on the 97 real export files against awk over the raw bytes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from middlepower import sources
from middlepower.errors import SourceError
from middlepower.events import layout, read_events
from middlepower.events.files import sample_files

# awk programs over raw GDELT 2.0 rows: col 8 / 18 Actor1/2CountryCode, 27 EventCode, 29 EventRootCode,
# 54 ActionGeo_CountryCode (FIPS). Each prints key<TAB>count.
KAZ_BY_ROOT = '$8=="KAZ" || $18=="KAZ" {n[$29]++} END {for (k in n) print k "\t" n[k]}'
KAZ_BY_BASE = '$8=="KAZ" || $18=="KAZ" {n[substr($27,1,3)]++} END {for (k in n) print k "\t" n[k]}'
HOSTED_KZ_BY_ROOT = '$54=="KZ" {n[$29]++} END {for (k in n) print k "\t" n[k]}'
ROWS = 'END {print "rows\t" NR}'


@pytest.fixture(scope="module")
def sample_frames() -> dict[str, pd.DataFrame]:
    listing = sources.load("gdelt_v2_sample")
    return {row.path: read_events(row.local_path) for row in listing.itertuples()}


def _reader_counts(frames, mask, by) -> dict[str, int]:
    counts: dict[str, int] = {}
    for frame in frames.values():
        for key, value in by(frame[mask(frame)]).value_counts().items():
            counts[key] = counts.get(key, 0) + int(value)
    return counts


def test_reader_counts_kaz_events_by_root_code_as_awk_does_on_the_97_raw_files(sample_frames, gdelt_awk,
                                                                              gdelt_raw_files):
    def involved(f):
        return (f["Actor1CountryCode"] == "KAZ").fillna(False) | (f["Actor2CountryCode"] == "KAZ").fillna(False)

    assert len(sample_frames) == 97
    expected = gdelt_awk(KAZ_BY_ROOT, gdelt_raw_files)
    assert _reader_counts(sample_frames, involved, lambda f: f["EventRootCode"]) == expected
    assert sum(expected.values()) == 244 and expected["04"] == 95 and expected["05"] == 9  # SOURCES-gdelt.md
    by_base = _reader_counts(sample_frames, involved, lambda f: f["EventBaseCode"])
    assert by_base == gdelt_awk(KAZ_BY_BASE, gdelt_raw_files)


def test_reader_counts_events_hosted_in_kazakhstan_by_root_code_as_awk_does(sample_frames, gdelt_awk,
                                                                           gdelt_raw_files):
    def hosted(f):
        return (f["ActionGeo_CountryCode"] == "KZ").fillna(False)

    expected = gdelt_awk(HOSTED_KZ_BY_ROOT, gdelt_raw_files)
    assert _reader_counts(sample_frames, hosted, lambda f: f["EventRootCode"]) == expected
    assert expected["04"] > 50


def test_reader_reads_every_row_of_the_97_files(sample_frames, gdelt_awk, gdelt_raw_files):
    assert sum(len(f) for f in sample_frames.values()) == gdelt_awk(ROWS, gdelt_raw_files)["rows"]


def test_columns_are_typed_and_cameo_codes_stay_strings(sample_frames):
    frame = next(f for path, f in sample_frames.items() if path.endswith("20250103140000.export.CSV"))
    assert len(frame.columns) == 61
    assert str(frame["EventRootCode"].dtype) == "string" and "04" in set(frame["EventRootCode"])
    assert frame["EventCode"].str.len().min() >= 3  # "040", never 40
    assert str(frame["GLOBALEVENTID"].dtype) == "Int64" and str(frame["QuadClass"].dtype) == "Int8"
    assert frame["GoldsteinScale"].between(-10, 10).all()
    assert (frame["DATEADDED"] == pd.Timestamp("2025-01-03 14:00:00")).all()
    assert frame["SQLDATE"].dt.year.between(2024, 2025).all()
    assert frame["ActionGeo_Lat"].dtype == "float64"


def test_zip_and_its_unzipped_copy_read_identically(mirror):
    folder = mirror / "gdelt/v2_export/narayave__Insight-GDELT-Feed"
    zipped = read_events(folder / "20190121220000.export.CSV.zip")
    plain = read_events(folder / "20190121220000.export.CSV")
    pd.testing.assert_frame_equal(zipped, plain)
    assert len(plain) == 1629


def test_the_1_0_layouts_match_gdelt_header_files_and_2_0_adds_adm2_after_each_adm1():
    headers = sources.load("gdelt_headers")
    daily = tuple(headers.loc[headers["layout"] == "v1_daily", "name"])
    historical = tuple(headers.loc[headers["layout"] == "v1_historical", "name"])
    assert layout.V1_DAILY.columns == daily and len(daily) == 58
    assert layout.V1_HISTORICAL.columns == historical and len(historical) == 57
    v2 = list(daily)
    for prefix in ("ActionGeo", "Actor2Geo", "Actor1Geo"):
        v2.insert(v2.index(f"{prefix}_ADM1Code") + 1, f"{prefix}_ADM2Code")
    assert layout.V2.columns == tuple(v2) and len(v2) == 61


def test_gdelt_1_0_daily_and_historical_rows_read_with_their_layouts(mirror, tmp_path):
    packt = mirror / "gdelt/excerpts/PacktPublishing__Mastering-Spark-for-Data-Science"
    daily = read_events(packt / "gdeltEventsTestFile.csv")
    assert len(daily) == 20 and "SOURCEURL" in daily.columns and "ActionGeo_ADM2Code" not in daily.columns
    assert (daily["DATEADDED"] == pd.Timestamp("2015-01-09")).all()
    mixed = mirror / "gdelt/excerpts/aamend__spark-gdelt/events1.csv"
    rows = mixed.read_bytes().splitlines(keepends=True)
    historical_rows = [row for row in rows if row.count(b"\t") == 56]
    path = tmp_path / "1979.csv"
    path.write_bytes(b"".join(historical_rows))
    historical = read_events(path)
    assert len(historical) == len(historical_rows) == 40 and "SOURCEURL" not in historical.columns
    assert historical["SQLDATE"].min() == pd.Timestamp("1979-01-01")


def test_a_file_mixing_layouts_is_refused_naming_the_file_and_row(mirror):
    with pytest.raises(SourceError, match=r"events1\.csv: row 41 has 58 fields, expected 57") as caught:
        read_events(mirror / "gdelt/excerpts/aamend__spark-gdelt/events1.csv")
    assert "\n" not in str(caught.value)


def test_a_truncated_csv_or_zip_is_refused_with_a_one_line_error(mirror, tmp_path):
    source = mirror / "gdelt/v2_export/narayave__Insight-GDELT-Feed/20190121220000.export.CSV"
    data = source.read_bytes()
    cut = data[: data.index(b"\n", 300_000) + 200]  # 200 bytes into a row
    (tmp_path / "20190121220000.export.CSV").write_bytes(cut)
    with pytest.raises(SourceError, match=r"20190121220000\.export\.CSV: row \d+ has \d+ fields, expected 61"):
        read_events(tmp_path / "20190121220000.export.CSV")
    zipped = (source.parent / "20190121220000.export.CSV.zip").read_bytes()
    (tmp_path / "20190121220000.export.CSV.zip").write_bytes(zipped[: len(zipped) // 2])
    with pytest.raises(SourceError, match=r"20190121220000\.export\.CSV\.zip: not a readable zip"):
        read_events(tmp_path / "20190121220000.export.CSV.zip")


def test_a_zip_damaged_inside_is_refused_naming_it(mirror, tmp_path):
    original = mirror / "gdelt/v2_export/narayave__Insight-GDELT-Feed/20190121220000.export.CSV.zip"
    zipped = bytearray(original.read_bytes())
    zipped[50_000] ^= 0xFF  # same size, one byte of the deflated stream flipped
    (tmp_path / "20190121220000.export.CSV.zip").write_bytes(bytes(zipped))
    with pytest.raises(SourceError, match=r"20190121220000\.export\.CSV\.zip: .*(truncated or damaged|CRC)") as caught:
        read_events(tmp_path / "20190121220000.export.CSV.zip")
    assert "\n" not in str(caught.value)


def test_a_file_that_is_not_gdelt_is_refused_naming_its_field_count(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a\tb\tc\n1\t2\t3\n")
    with pytest.raises(SourceError, match=r"other\.csv: first line has 3 tab-separated fields"):
        read_events(path)


def test_the_sample_lists_96_slots_and_leaves_the_unzipped_duplicate_out():
    files, dropped = sample_files()
    assert len(files) == 96 and len({f.slot for f in files}) == 96
    assert [Path(p).name for p in dropped] == ["20190121220000.export.CSV"]
    renamed = next(f for f in files if f.name == "example_data.csv")
    assert renamed.slot == "20171126081500" and renamed.year == 2017
