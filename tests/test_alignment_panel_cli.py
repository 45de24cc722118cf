"""Panel verbs and CLI commands, with the ideal-point fit swapped for a quick one on recent years."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import alignment_on
from middlepower.alignment import cli as alignment_cli
from middlepower.alignment import series
from middlepower.errors import DataError
from middlepower.panel.alignment import add_alignment, add_balance
from middlepower.panel.contract import VERBS

ALIGNMENT_COLUMNS = VERBS["add_alignment"].columns
BALANCE_COLUMNS = VERBS["add_balance"].columns


@pytest.fixture(scope="module", autouse=True)
def quick_fit(quick_fit):
    # The full 1946-2025 fit is exercised in test_alignment_idealpoints; wiring needs only a small one.
    with alignment_on(quick_fit):
        yield quick_fit


FRAME = pd.DataFrame({"iso3": ["KAZ", "KAZ", "USA", "ATA", "KAZ", "KAZ", "KAZ"],
                      "year": [2015, 2019, 2019, 2019, 2030, 2024, 2026], "other": [1, 2, 3, 4, 5, 6, 7]})


def test_add_alignment_adds_documented_columns_and_keeps_every_row(store_path):
    out = add_alignment(FRAME, db=store_path)
    assert list(out.columns) == ["iso3", "year", "other", *ALIGNMENT_COLUMNS]
    assert out["other"].tolist() == FRAME["other"].tolist()
    kaz = out.iloc[1]
    assert 0 < kaz["un_agree_usa"] < kaz["un_agree_chn"] <= 1
    assert kaz["un_ideal_point"] < 0 < out.iloc[2]["un_ideal_point"]
    assert pd.isna(out.iloc[2]["un_agree_usa"])  # the USA is not compared with itself
    assert out.iloc[3][list(ALIGNMENT_COLUMNS)].isna().all()  # no such voter
    assert out.iloc[4][list(ALIGNMENT_COLUMNS)].isna().all()  # no votes that year
    assert out.iloc[5][list(ALIGNMENT_COLUMNS)].notna().all()  # 2024: DGACM votes
    assert out.iloc[6][list(ALIGNMENT_COLUMNS)].isna().all()  # 2026: a partial year, left out


def test_add_balance_adds_columns_and_leaves_poles_missing(store_path):
    out = add_balance(FRAME, db=store_path)
    assert list(out.columns) == ["iso3", "year", "other", *BALANCE_COLUMNS]
    assert 0 <= out.iloc[1]["balance_index"] <= 1 and out.iloc[1]["balance_poles"] == 4
    assert pd.isna(out.iloc[2]["balance_index"])
    assert 0 <= out.iloc[5]["balance_index"] <= 1 and pd.isna(out.iloc[6]["balance_index"])


def test_panel_verbs_refuse_a_frame_without_keys(store_path):
    with pytest.raises(DataError, match="year"):
        add_balance(pd.DataFrame({"iso3": ["KAZ"]}), db=store_path)


def test_cli_alignment_prints_every_year_to_the_last_complete_one(tmp_path, store_path):
    runner = CliRunner()
    db = ["--db", str(store_path)]
    png, page = tmp_path / "kaz.png", tmp_path / "kaz.html"
    result = runner.invoke(alignment_cli.app, ["alignment", "KAZ", "--with", "USA", "RUS", "CHN", "EU",
                                               "--from", "1992",
                                    "--to", "2025", "--chart", str(png), *db], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "KAZ: agreement with USA, RUS, CHN, EU over 34 years (1992-2025)" in result.output
    rows = [line.split()[0] for line in result.output.splitlines() if line[:4].isdigit()]
    assert rows == [str(year) for year in range(1992, 2026)]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = runner.invoke(alignment_cli.app, ["alignment", "KAZ", "--with", "USA,EU", "--from", "2015",
                                               "--chart", str(page), *db])
    assert result.exit_code == 0, result.output
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "http" not in text.split("<svg")[0]


def test_cli_balance_ranks_2024_and_rejects_the_partial_last_year(store_path):
    runner = CliRunner()
    db = ["--db", str(store_path)]
    result = runner.invoke(alignment_cli.app, ["balance", "--year", "2024", "--top", "5", *db])
    assert result.exit_code == 0, result.output
    assert "2024: 5 of" in result.output
    result = runner.invoke(alignment_cli.app, ["balance", "--year", "2026", *db])
    assert isinstance(result.exception, DataError) and "complete to 2025" in str(result.exception)
    result = runner.invoke(alignment_cli.app, ["alignment", "KAZ", "--with", "USA", "--from", "2026", *db])
    assert isinstance(result.exception, DataError) and "2026" in str(result.exception)


def test_distance_to_pole_is_gap_between_ideal_points(quick_fit, store_path):
    out = add_alignment(pd.DataFrame({"iso3": ["KAZ"], "year": [2019]}), db=store_path)
    points = quick_fit.points.set_index(["iso3", "year"])["ideal_point"]
    assert out.loc[0, "un_distance_usa"] == pytest.approx(abs(points["KAZ", 2019] - points["USA", 2019]))
    assert out.loc[0, "un_distance_chn"] == pytest.approx(abs(points["KAZ", 2019] - points["CHN", 2019]))


def test_yearly_fit_is_stored_on_disk_and_reused(tmp_path, monkeypatch, quick_fit, store_path):
    calls = []

    def fake_fit(votes, period):
        calls.append(period)
        return quick_fit

    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path))
    monkeypatch.setattr(series, "fit_ideal_points", fake_fit)
    key = series._store_key(store_path)
    first = series._ideal_points.__wrapped__(*key, "year")
    second = series._ideal_points.__wrapped__(*key, "year")
    assert calls == ["year"]
    assert list((tmp_path / "alignment").glob("ideal_points_year_*.parquet"))
    pd.testing.assert_frame_equal(first.points.reset_index(drop=True), second.points, check_dtype=False)


def test_state_alignment_takes_one_partner_as_a_code_and_any_case(store_path):
    from middlepower.alignment import series

    listed = series.state_alignment("KAZ", ["USA"], first_year=2020, last_year=2022, db=store_path)
    assert sorted(listed["year"].unique()) == [2020, 2021, 2022] and set(listed["partner"]) == {"USA"}
    assert series.state_alignment("kaz", "usa", first_year=2020, last_year=2022, db=store_path).equals(listed)
    twice = series.state_alignment("KAZ", ["USA", "usa"], first_year=2020, last_year=2022, db=store_path)
    assert twice.equals(listed)  # a partner named twice is one partner, not two copies of each row


@pytest.mark.parametrize("year", [2020.5, "2020", True])
def test_state_alignment_refuses_a_year_that_is_not_a_whole_number(store_path, year):
    from middlepower.alignment import series
    from middlepower.errors import ParameterError

    with pytest.raises(ParameterError, match="first_year .*whole number"):
        series.state_alignment("KAZ", ["USA"], first_year=year, db=store_path)
