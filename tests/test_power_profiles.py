"""``power.profiles``: every state's profile of a year in one batch, equal to ``power.profile`` state by state."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from middlepower import power
from middlepower.errors import DataError
from package_imports import middlepower_imports

FRAMES = ("pillars", "tier", "classes", "gap", "criteria", "similar", "indicators")
STATES = ("KAZ", "CAN", "USA", "PRK")
WEB = Path(power.__file__).resolve().parents[1] / "web"


@pytest.fixture(scope="module")
def result(store_path):
    return power.model(db=store_path)


@pytest.fixture(scope="module")
def batches(result, store_path):
    last = int(result.tiers["year"].max())
    return {year: power.profiles(year, db=store_path) for year in (1995, 2010, 2022, last)}


def test_batched_profiles_equal_the_per_state_profiles(batches, store_path):
    for year, batch in batches.items():
        for iso3 in STATES:
            one = power.profile(iso3, year, db=store_path)
            got = batch[iso3]
            assert (got.iso3, got.name, got.year, got.default_last_year) == (one.iso3, one.name, one.year,
                                                                            one.default_last_year)
            for name in FRAMES:
                pd.testing.assert_frame_equal(getattr(got, name), getattr(one, name), obj=f"{iso3} {year} {name}")


def test_the_cases_compared_include_a_state_without_a_tier(batches):
    # PRK publishes too little capability data for a tier: its tier frame holds one row with tier None
    untiered = [year for year, batch in batches.items() if batch["PRK"].tier["tier"].isna().all()]
    assert untiered, "PRK has a tier in every year compared: the no-tier case is not exercised"
    tiered = [year for year, batch in batches.items() if batch["KAZ"].tier["tier"].notna().all()]
    assert tiered


def test_a_batch_holds_every_member_of_the_year_and_their_own_rows(batches, result):
    for year, batch in batches.items():
        members = result.indicators.loc[result.indicators["year"] == year, "iso3"]
        assert list(batch) == list(dict.fromkeys(members))
        for iso3 in STATES:
            rows = result.scores[(result.scores["iso3"] == iso3) & (result.scores["year"] == year)]
            pillars = batch[iso3].pillars
            assert list(pillars["pillar"]) == list(rows["pillar"])
            np.testing.assert_array_equal(pillars["percentile"].to_numpy(float), rows["percentile"].to_numpy(float))


def test_similar_states_are_nearest_among_every_state_of_the_year(batches, result, store_path):
    # distances recomputed here from the scores frame: RMS difference of pillar percentiles over shared pillars
    year = 2022
    pillars = [p for p in result.spec.pillars if p != result.spec.index.root]
    rows = result.scores[(result.scores["year"] == year) & result.scores["pillar"].isin(pillars)]
    wide = rows.pivot(index="iso3", columns="pillar", values="percentile")
    me = wide.loc["KAZ"]
    diff = wide.drop(index="KAZ").sub(me, axis=1)
    shared = diff.notna().sum(axis=1)
    distance = np.sqrt((diff**2).sum(axis=1) / shared)[shared >= 3].sort_values(kind="stable")
    similar = batches[year]["KAZ"].similar
    assert list(similar["iso3"]) == list(distance.index[:5])
    np.testing.assert_allclose(similar["distance"], distance.to_numpy()[:5], rtol=1e-12)
    # asking for KAZ alone still compares it with every state, not only with those asked for
    alone = power.profiles(year, db=store_path, iso3s=["KAZ"])
    assert list(alone) == ["KAZ"]
    pd.testing.assert_frame_equal(alone["KAZ"].similar, similar)


def test_a_state_outside_the_state_system_that_year_is_refused(store_path):
    with pytest.raises(DataError, match="KAZ 1990: not a member"):
        power.profiles(1990, db=store_path, iso3s=["USA", "KAZ"])
    with pytest.raises(DataError, match="year 1900"):
        power.profiles(1900, db=store_path)


def test_the_web_layer_imports_only_the_power_packages_public_api():
    reached = []
    for file, module, names in middlepower_imports(WEB):
        if module == "middlepower.power":
            reached += [f"{file}: {name}" for name in names if name not in power.__all__]
        elif module.startswith("middlepower.power."):
            reached.append(f"{file}: {module}")
    assert not reached, f"web modules import power internals: {reached}"


def test_criteria_is_the_function_after_a_profile_has_loaded_its_submodule(store_path):
    """``power.criteria`` shares its name with the submodule ``power.criteria``, which any profile loads."""
    power.profile("KAZ", 2024, db=store_path)
    criteria = power.criteria("KAZ", 2024, db=store_path)
    assert len(criteria) == 6 and criteria["verdict"].notna().all()


@pytest.mark.parametrize("years", [2024.5, "2024", (1990,), (1990, 2000, 2010), True])
def test_years_of_the_wrong_kind_are_refused_by_name(years, store_path):
    from middlepower.errors import ParameterError

    with pytest.raises(ParameterError, match=r"^years .*: expected a year or a \(first, last\) pair of years$"):
        power.scores(years, db=store_path)


@pytest.mark.parametrize("year", [2024.5, "2024", (2020, 2024), True])
@pytest.mark.parametrize("call", ["profile", "profiles", "criteria", "rank", "rank_with_intervals", "compare"])
def test_one_year_of_the_wrong_kind_is_refused_not_truncated(call, year, store_path):
    """2024.5 was read as 2024 and True as 1; a pair or a text raised TypeError or passed through."""
    from middlepower.errors import ParameterError

    calls = {
        "profile": lambda: power.profile("KAZ", year, db=store_path),
        "profiles": lambda: power.profiles(year, db=store_path, iso3s=["KAZ"]),
        "criteria": lambda: power.criteria("KAZ", year, db=store_path),
        "rank": lambda: power.rank(year, db=store_path),
        "rank_with_intervals": lambda: power.rank_with_intervals(year, db=store_path),
        "compare": lambda: power.compare(["KAZ"], year, 2024, db=store_path),
    }
    with pytest.raises(ParameterError, match=r"^(year|first) .*: expected a year \(a whole number\)$"):
        calls[call]()


def test_one_year_outside_the_model_is_named_as_one_year(store_path):
    """tiers(3000) said 'years 3000-3000'."""
    with pytest.raises(DataError, match=r"^year 3000: the power model covers 1990-\d{4}$"):
        power.tiers(3000, db=store_path)
    with pytest.raises(DataError, match=r"^years 2030-2040: the power model covers"):
        power.tiers((2030, 2040), db=store_path)


@pytest.mark.parametrize("path", [5, None, ["claims.yaml"]])
def test_check_refuses_what_is_not_a_path_by_name(path, store_path):
    """power.check(5) raised TypeError from deep inside the file reader."""
    with pytest.raises(DataError, match=r"^claims file .*: expected a path to a YAML file, got "):
        power.check(path, db=store_path)


def test_a_reversed_range_is_refused_as_reversed_by_the_library(store_path):
    from middlepower import panel

    with pytest.raises(DataError, match="years 2024-1990: the range ends before it starts"):
        power.tiers((2024, 1990), db=store_path)
    with pytest.raises(DataError, match="years '2030-2020': the range ends before it starts"):
        panel.state_years(2030, 2020, db=store_path)
    assert power.tiers([2023, 2024], db=store_path)["year"].unique().tolist() == [2023, 2024]


def test_the_panel_refuses_years_and_columns_of_the_wrong_kind_by_name(store_path):
    from middlepower import panel
    from middlepower.errors import ParameterError

    with pytest.raises(ParameterError, match=r"^first 'KAZ': expected a year \(a whole number\)$"):
        panel.select(["KAZ"], "1990-2022", db=store_path)
    with pytest.raises(ParameterError, match=r"^last '2022': expected a year"):
        panel.state_years(1990, "2022", db=store_path)
    with pytest.raises(ParameterError, match=r"^columns 'gdp_usd': expected a list of column names"):
        panel.select(2020, 2022, "gdp_usd", db=store_path)
    frame = panel.select(np.int64(2021), 2022, ["gdp_usd"], db=store_path)
    assert list(frame.columns) == ["iso3", "year", "name", "gdp_usd"] and set(frame["year"]) == {2021, 2022}
    twice = panel.select(2021, 2022, ["gdp_usd", "year", "gdp_usd"], db=store_path)  # each column once
    pd.testing.assert_frame_equal(twice, frame)


def test_compare_says_how_old_the_data_behind_each_row_are(store_path):
    """compare showed percentiles of pillars carried from 2014 (IGO memberships, peacekeeping) with no vintage."""
    frame = power.compare(["KAZ", "CAN"], 2022, 2024, db=store_path)
    nodes = power.scores((2022, 2024), db=store_path)
    nodes = nodes[nodes["iso3"].isin(["KAZ", "CAN"])]
    oldest = nodes.groupby(["iso3", "year"])["data_year"].min()
    shown = frame.set_index(["iso3", "year"])["data_year"]
    assert shown.sort_index().tolist() == oldest.sort_index().tolist()
    assert shown.loc[("KAZ", 2024)] < 2024  # its IGO memberships are carried (docs/power.md)
