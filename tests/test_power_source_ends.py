"""Revision 2.18 on the real store: a SIPRI dollar figure that no WDI GDP can check is not read as real,
and an input does not turn missing once its source ends."""

from __future__ import annotations

import numpy as np
import pandas as pd

from middlepower.power.imputation import held_after_end


def _status(model, name: str) -> pd.DataFrame:
    members = model.tiers[["iso3", "year"]]
    frame = model.vintage[model.vintage["input"] == name].merge(members, on=["iso3", "year"])
    return frame.set_index(["iso3", "year"])["status"]


def test_no_unchecked_sipri_dollar_figure_is_real_where_the_wdi_covers_the_state(model):
    milex, gdp = _status(model, "milex_usd"), _status(model, "gdp_usd")
    in_wdi = gdp.eq("real").groupby(level="iso3").transform("any")
    unchecked = milex.eq("real") & gdp.ne("real") & in_wdi
    sipri = model.indicators.set_index(["iso3", "year"])["sipri_milex_current_usd_m"].reindex(unchecked.index)
    found = unchecked & (sipri > 0)  # a real zero of a state without armed forces is no SIPRI figure
    assert not found.any(), found[found].index.tolist()[:5]
    assert milex.loc["TWN"].eq("real").any()  # the WDI never covers Taiwan: SIPRI's figures stand


def test_south_sudan_after_the_wdi_stops_has_no_real_capability_and_no_tier(model):
    tiers = model.tiers.set_index(["iso3", "year"])
    after = tiers.loc["SSD"].loc[2016:2024]
    assert len(after) == 9 and after["tier"].isna().all() and (after["real_inputs"] == 0).all()
    assert tiers.loc[("SSD", 2015), "tier"] == "small"  # its last year of WDI GDP keeps its tier


def test_no_input_turns_missing_after_its_source_ends(model):
    for name in ("resource_rents_pct_gdp", "peacekeepers_per_million", "igo_full"):
        status = _status(model, name)
        real_years = status[status.eq("real")].index.get_level_values("year")
        after = status[status.index.get_level_values("year") > real_years.max()]
        assert len(after) > 0 and not after.eq("missing").any(), (name, after[after.eq("missing")].index[:5])


def test_the_resources_of_venezuela_kuwait_and_turkmenistan_are_scored_in_2024(store_path):
    from middlepower import power

    scores = power.scores(2024, db=store_path).set_index(["iso3", "pillar"])
    for iso3 in ("VEN", "KWT", "TKM"):
        row = scores.loc[(iso3, "resources")]
        assert not np.isnan(row["percentile"]) and "resource_rents_pct_gdp" in row["imputed"], iso3


def test_held_after_end_repeats_only_the_years_after_the_last_with_data():
    centre = np.array([[1.0, 2.0, np.nan, np.nan], [5.0, np.nan, 6.0, np.nan]])
    spread = centre / 10
    known = np.array([[True, False, False, False], [False, False, True, False]])
    held_c, held_s = held_after_end(centre, spread, known)
    assert np.array_equal(held_c, [[1.0, 2.0, np.nan, np.nan], [5.0, np.nan, 6.0, 6.0]], equal_nan=True)
    assert np.allclose(held_s[1, 3], 0.6) and np.isnan(held_c[0, 2])  # a mid-series gap stays a gap
    done = known.copy()
    done[:, -1] = True
    assert held_after_end(centre, spread, done)[0] is centre  # a source that has not ended: unchanged


def test_no_modelled_input_is_carried_inside_a_gap_with_a_real_value_after_it(model):
    # revision 2.19: a gap with real values on both sides is bridged in every year, none held flat
    from middlepower.power.inputs import INPUTS

    members = model.tiers[["iso3", "year"]]
    vintage = model.vintage.merge(members, on=["iso3", "year"]).sort_values(["input", "iso3", "year"])
    real = vintage["status"].eq("real")
    later = real[::-1].groupby([vintage["input"][::-1], vintage["iso3"][::-1]]).cummax()[::-1]
    later = later.groupby([vintage["input"], vintage["iso3"]]).shift(-1, fill_value=False).astype(bool)
    modelled = vintage["input"].map(lambda n: INPUTS[n].model != "none" and not INPUTS[n].structural)
    inside = vintage[vintage["status"].eq("carried") & later & modelled]
    assert inside.empty, inside[["input", "iso3", "year"]].head()
    structural = vintage[vintage["status"].eq("carried") & later & ~modelled]
    assert len(structural) > 0  # the inputs without a model still carry inside a gap


def test_qatars_military_spending_is_bridged_from_2010_to_2021_without_a_flat_run(model):
    vintage = model.vintage[(model.vintage["iso3"] == "QAT") & (model.vintage["input"] == "milex_usd")]
    status = vintage.set_index("year")["status"]
    assert status.loc[2010] == "real" and status.loc[2021] == "real"
    assert (status.loc[2011:2020] == "imputed").all()
    milex = model.indicators[model.indicators["iso3"] == "QAT"].set_index("year")["milex_usd"]
    assert milex.loc[2010:2016].diff().dropna().ne(0).all()  # 2.18 held 2010's figure flat to 2015


def test_carrying_after_last_only_leaves_a_gap_between_two_known_values_to_the_model():
    from middlepower.power.imputation import MISSING, REAL, InputPanel, _carry

    years = np.arange(2000, 2006)
    x = np.array([[1.0, np.nan, np.nan, 4.0, np.nan, np.nan]])
    status = np.where(np.isnan(x), MISSING, REAL).astype(np.int8)

    def carried(after_last_only: bool) -> np.ndarray:
        panel = InputPanel("milex_usd", status.copy(), np.where(np.isnan(x), np.nan, years[None, :]), x.copy(),
                           np.zeros(x.shape))
        _carry(panel, x, years, 5, np.zeros(6), after_last_only=after_last_only)
        return panel.status[0] != MISSING

    assert carried(False).tolist() == [True] * 6  # 2.18: 2001-02 held at 2000's value
    assert carried(True).tolist() == [True, False, False, True, True, True]  # 2.19: only after 2003


def test_a_neighbours_gdp_marked_real_has_every_neighbouring_state_real(model, store_path):
    # revision 2.20: a neighbouring state without WDI GDP adds the model's GDP, and the sum is then imputed
    from middlepower.panel.neighbours import land_neighbours

    members = model.tiers[["iso3", "year"]]
    gdp = model.vintage[model.vintage["input"] == "gdp_usd"].merge(members, on=["iso3", "year"])
    lacking = gdp[gdp["status"] != "real"].rename(columns={"iso3": "neighbour"})[["neighbour", "year"]]
    pairs = land_neighbours(store_path).merge(lacking, on="neighbour")
    sums = model.vintage[model.vintage["input"] == "neighbours_gdp_usd"].merge(members, on=["iso3", "year"])
    sums = sums.merge(pairs[["iso3", "year"]].drop_duplicates(), on=["iso3", "year"])
    assert len(sums) > 300 and (sums["status"] == "imputed").all(), sums[sums["status"] != "imputed"].head()
