"""International-relations sources on the real mirror files (MIDDLEPOWER_MIRROR, e.g. ../shared/data).

Golden values come from /work/shared/data/SOURCES-ir.md, which was checked against the upstream
files independently of this code.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from middlepower.errors import SourceError
from middlepower.sources import get, load

# Same default as the project's conftest: the shared data folder beside the repository.
MIRROR = str(Path(os.environ.get("MIDDLEPOWER_MIRROR") or Path(__file__).resolve().parents[2] / "shared" / "data")
             .resolve())
pytestmark = pytest.mark.skipif(
    not Path(MIRROR, "peacesciencer").is_dir(), reason=f"data mirror {MIRROR} holds no peacesciencer files"
)

IR_SOURCES = (
    "cow_states", "cow_majors", "gw_states", "maoz_powers", "cow_contiguity", "cow_trade",
    "atop_alliances", "cow_igo_sy", "cw_gw_panel", "cw_system", "cow_igo_membership", "cow_igos",
)
KAZAKHSTAN = 705
_FRAMES: dict[str, pd.DataFrame] = {}


@pytest.fixture(autouse=True)
def offline_home(tmp_path, monkeypatch):
    """Keep every test away from the user's data directory and from the network."""
    monkeypatch.setenv("MIDDLEPOWER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", MIRROR)

    def refuse(*args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def frame(name: str) -> pd.DataFrame:
    if name not in _FRAMES:
        _FRAMES[name] = load(name, download=False)
    return _FRAMES[name]


def spells_active_on(spells: pd.DataFrame, day: str) -> set[int]:
    on = pd.Timestamp(day)
    active = spells[(spells["start_date"] <= on) & (spells["end_date"].isna() | (spells["end_date"] >= on))]
    return set(active["ccode"].astype(int))


@pytest.mark.parametrize("name", IR_SOURCES)
def test_source_declares_pinned_url_checksum_and_unit_documented_columns(name):
    source = get(name)
    assert source.citation and source.licence and source.coverage
    for file in source.files:
        assert len(file.sha256) == 64
        assert "/raw/" in file.url and file.url.endswith(file.path.split("/", 1)[1])
    assert all(description.strip() for description in source.columns.values())


@pytest.mark.parametrize("name", IR_SOURCES)
def test_source_loads_with_integer_codes_and_datetime_dates(name):
    data = frame(name)
    assert list(data.columns) == list(get(name).columns)
    for column in data.columns:
        if column in ("ccode", "ccode1", "ccode2", "gwcode", "year", "start_year", "end_year"):
            assert str(data[column].dtype) == "Int64", column
        if column.endswith("_date"):
            assert pd.api.types.is_datetime64_any_dtype(data[column]), column


def test_cow_states_has_243_spells_of_217_states_ending_2016():
    states = frame("cow_states")
    assert len(states) == 243 and states["ccode"].nunique() == 217
    assert states["end_date"].max() == pd.Timestamp("2016-12-31")
    assert KAZAKHSTAN in spells_active_on(states, "2016-06-30")


def test_cow_majors_lists_the_seven_majors_of_2016():
    majors = frame("cow_majors")
    assert spells_active_on(majors, "2016-06-30") == {2, 200, 220, 255, 365, 710, 740}
    assert len(majors) == 14
    assert (majors["start_year"] == majors["start_date"].dt.year).all()


def test_gw_states_covers_202_states_to_2017():
    states = frame("gw_states")
    assert len(states) == 216 and states["gwcode"].nunique() == 202
    assert states["end_date"].max() == pd.Timestamp("2017-12-31")


def test_maoz_global_powers_match_the_documented_list():
    powers = frame("maoz_powers")
    globals_ = powers[powers["kind"] == "global"]
    spells = set(zip(globals_["ccode"], globals_["start_date"].dt.year, globals_["end_date"].dt.year, strict=True))
    documented = {(2, 1899, 2019), (200, 1816, 2019), (220, 1816, 1941), (255, 1867, 1945), (365, 1922, 1990)}
    assert spells == documented
    china = powers[powers["ccode"] == 710]
    assert china["kind"].tolist() == ["regional"] and china["start_date"].dt.year.tolist() == [1950]
    assert set(powers["kind"]) == {"regional", "global"}


def test_cow_contiguity_has_seven_kazakh_rows_and_every_dyad_both_ways():
    contiguity = frame("cow_contiguity")
    kazakh = contiguity[contiguity["ccode1"] == KAZAKHSTAN]
    assert len(kazakh) == 7
    assert set(kazakh.loc[kazakh["conttype"] == 1, "ccode2"]) == {365, 701, 703, 704, 710}
    assert set(contiguity["conttype"]) <= {0, 1, 2, 3, 4, 5}
    forward = set(zip(contiguity["ccode1"], contiguity["ccode2"], contiguity["start_date"], strict=True))
    backward = set(zip(contiguity["ccode2"], contiguity["ccode1"], contiguity["start_date"], strict=True))
    assert forward == backward


def test_cow_trade_kazakhstan_2014_in_millions_of_us_dollars():
    trade = frame("cow_trade")
    row = trade[(trade["ccode"] == KAZAKHSTAN) & (trade["year"] == 2014)].iloc[0]
    assert row["imports"] == pytest.approx(48_176, abs=0.5)
    assert row["exports"] == pytest.approx(55_484, abs=0.5)


def test_atop_kazakhstan_pakistan_2018_nonaggression_and_consultation():
    atop = frame("atop_alliances")
    assert len(atop) == 273_296
    row = atop[(atop["ccode1"] == KAZAKHSTAN) & (atop["ccode2"] == 770) & (atop["year"] == 2018)]
    assert row[["defense", "offense", "neutral", "nonagg", "consul"]].iloc[0].tolist() == [0, 0, 0, 1, 1]
    obligations = atop[["defense", "offense", "neutral", "nonagg", "consul"]]
    assert set(pd.unique(obligations.to_numpy().ravel())) == {0, 1}


def test_cow_igo_sy_kazakhstan_2014_counts():
    counts = frame("cow_igo_sy")
    row = counts[(counts["ccode"] == KAZAKHSTAN) & (counts["year"] == 2014)].iloc[0]
    assert [row["igo_full"], row["igo_associate"], row["igo_observer"], row["igo_any"]] == [55, 0, 1, 56]


def test_igo_membership_kazakhstan_2014_full_in_cis_csto_sco_un_observer_in_nam():
    members = frame("cow_igo_membership")
    kazakh = members[(members["ccode"] == KAZAKHSTAN) & (members["year"] == 2014)]
    status = dict(zip(kazakh["igo"], kazakh["status"], strict=True))
    assert sum(value == "full" for value in status.values()) == 55
    assert {status[igo] for igo in ("cis", "csto", "sco", "un", "osce", "ebrd")} == {"full"}
    assert status["nam"] == "observer" and "wto" not in status


def test_igo_membership_counts_agree_with_cow_igo_sy_in_every_state_year():
    members = frame("cow_igo_membership")
    counts = members.groupby(["ccode", "year", "status"]).size().unstack(fill_value=0).reset_index()
    summary = frame("cow_igo_sy").merge(counts, on=["ccode", "year"], how="left").fillna(0)
    for status in ("full", "associate", "observer"):
        assert (summary[f"igo_{status}"] == summary[status]).all(), status
    assert set(members["status"]) == {"full", "associate", "observer"}
    assert not members.duplicated(["ccode", "year", "igo"]).any()


def test_cow_igos_has_534_organisations_covering_every_membership_code():
    igos = frame("cow_igos")
    assert len(igos) == 534 and igos["igo"].is_unique
    assert set(frame("cow_igo_membership")["igo"]) <= set(igos["igo"])
    wto = igos[igos["igo"] == "wto"].iloc[0]
    assert wto["founded_year"] == 1995 and pd.isna(wto["dead_year"]) and wto["economic"] == 1


def test_cw_gw_panel_keeps_the_columns_codes_py_reads():
    panel = frame("cw_gw_panel")
    assert list(panel.columns) == ["ccode", "gwcode", "stateabb", "year", "gw_name", "cw_name"]
    assert (panel["year"].min(), panel["year"].max(), len(panel)) == (1816, 2025, 17_916)
    kazakh = panel[panel["ccode"] == KAZAKHSTAN]
    assert (kazakh["year"].min(), kazakh["year"].max()) == (1991, 2025)
    assert (kazakh["gwcode"] == KAZAKHSTAN).all()
    with_ccode = panel[panel["ccode"].notna()]
    assert len(with_ccode) == 17_706 and not with_ccode.duplicated(["ccode", "year"]).any()


def test_cw_system_agrees_with_the_peacesciencer_cow_state_list():
    isard = frame("cw_system")[["ccode", "stateabb", "start_date", "end_date"]]
    peacesciencer = frame("cow_states")[["ccode", "stateabb", "start_date", "end_date"]]
    pd.testing.assert_frame_equal(isard.reset_index(drop=True), peacesciencer.reset_index(drop=True))


def test_truncated_mirror_file_is_a_source_error_naming_the_file(tmp_path, monkeypatch):
    original = Path(MIRROR, "peacesciencer", "cow_majors.rda").read_bytes()
    truncated = tmp_path / "mirror" / "peacesciencer" / "cow_majors.rda"
    truncated.parent.mkdir(parents=True)
    truncated.write_bytes(original[: len(original) // 2])
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", str(tmp_path / "mirror"))
    with pytest.raises(SourceError, match=r"peacesciencer/cow_majors\.rda.*checksum mismatch"):
        load("cow_majors")


def test_missing_file_offline_is_a_one_line_error_naming_file_and_mirror(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", str(tmp_path / "empty"))
    with pytest.raises(SourceError) as caught:
        load("cow_igos")
    message = str(caught.value)
    assert "\n" not in message
    assert "cow_igo_v3_igoR/igo_year_format3.rda" in message and "MIDDLEPOWER_MIRROR" in message
    assert not any((tmp_path / "home").rglob("*.rda"))


def test_mirror_copy_passes_checksum_when_complete(tmp_path, monkeypatch):
    copy = tmp_path / "mirror" / "isard" / "cw_system.rda"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(Path(MIRROR, "isard", "cw_system.rda"), copy)
    monkeypatch.setenv("MIDDLEPOWER_MIRROR", str(tmp_path / "mirror"))
    assert len(load("cw_system")) == 243
