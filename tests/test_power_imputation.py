"""Missing data made explicit: statuses, carried values with widening spreads, model imputation, draws,
and the alternative sources that cover Taiwan — on tiny fixtures and on the real store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from middlepower.power import imputation
from middlepower.power.imputation import (
    ALTERNATIVE,
    CARRIED,
    IMPUTED,
    MISSING,
    REAL,
    STRUCTURAL,
    Alternative,
    impute,
)
from middlepower.power.inputs import INPUTS


def fixture_frame() -> pd.DataFrame:
    """Ten states over 2000-2009 in one region; GDP of A stops in 2002, of B never exists."""
    rng = np.random.default_rng(3)
    rows = []
    for k, iso3 in enumerate("ABCDEFGHIJ"):
        level = 20 + k
        for year in range(2000, 2010):
            level += rng.normal(0.03, 0.05)
            rows.append(
                {
                    "iso3": iso3,
                    "year": year,
                    "region": "R",
                    "population": 1e6 * (k + 1),
                    "gdp_usd": np.exp(level),
                    "balance_index": 0.5,
                }
            )
    frame = pd.DataFrame(rows)
    frame.loc[(frame["iso3"] == "A") & (frame["year"] > 2002), "gdp_usd"] = np.nan
    frame.loc[frame["iso3"] == "B", "gdp_usd"] = np.nan
    frame.loc[frame["iso3"] == "C", "balance_index"] = np.nan  # a pole: no balance with itself
    return frame


@pytest.fixture
def carried_gdp(monkeypatch):
    """GDP under the carrying rule it had before revision 2.27, to test carrying itself on the fixture."""
    import dataclasses

    monkeypatch.setitem(INPUTS, "gdp_usd", dataclasses.replace(INPUTS["gdp_usd"], model_after_last=False))


def test_statuses_follow_the_rules_in_order(carried_gdp):
    imputed = impute(fixture_frame())
    gdp = imputed.inputs["gdp_usd"].status
    a, b = 0, 1
    assert (gdp[a, :3] == REAL).all()
    assert (gdp[a, 3:8] == CARRIED).all()  # at most five years old
    assert (gdp[a, 8:] == IMPUTED).all()  # older: the region's GDP per capita x population
    assert (gdp[b] == IMPUTED).all()
    assert (imputed.inputs["balance_index"].status[2] == STRUCTURAL).all()  # never imputed


def test_gdp_after_a_states_last_real_value_is_imputed_from_the_first_year():
    # revision 2.27: A's GDP stops in 2002; the years after are its anchored model, not its 2002 value held flat
    imputed = impute(fixture_frame())
    panel = imputed.inputs["gdp_usd"]
    assert (panel.status[0, :3] == REAL).all() and (panel.status[0, 3:] == IMPUTED).all()
    assert np.isnan(panel.data_year[0, 3:]).all() and (panel.spread[0, 3:] > 0).all()
    assert (np.diff(panel.spread[0, 3:]) >= 0).all()  # the state's own level fades with the years
    point = imputed.point().query("iso3 == 'A'")["gdp_usd"].to_numpy()
    assert not np.isclose(point[3:], point[2]).any()  # not its 2002 value held flat


def test_carried_values_keep_their_year_and_widen_with_age(carried_gdp):
    imputed = impute(fixture_frame())
    panel = imputed.inputs["gdp_usd"]
    assert (panel.data_year[0, 3:8] == 2002).all()
    assert np.isnan(panel.data_year[0, 8:]).all()
    spreads = panel.spread[0, 3:8]
    assert (np.diff(spreads) >= 0).all() and spreads[0] > 0
    assert (panel.spread[panel.status == REAL] == 0).all()


def test_draws_move_only_what_is_not_known():
    imputed = impute(fixture_frame())
    point = imputed.point()
    one, two = imputed.draw(np.random.default_rng(1)), imputed.draw(np.random.default_rng(2))
    real = imputed.status_frame().query("input == 'gdp_usd' and status == 'real'")
    keys = pd.MultiIndex.from_frame(real[["iso3", "year"]])
    for frame in (one, two):
        indexed = frame.set_index(["iso3", "year"])["gdp_usd"]
        assert np.allclose(indexed.loc[keys], point.set_index(["iso3", "year"])["gdp_usd"].loc[keys])
    guessed = point["iso3"] == "B"
    assert not np.allclose(one.loc[guessed, "gdp_usd"], two.loc[guessed, "gdp_usd"])
    assert one.loc[point["iso3"] == "C", "balance_index"].isna().all()


def test_an_alternative_source_fills_gaps_as_real_data():
    frame = fixture_frame()
    other = pd.Series(np.where(frame["iso3"] == "B", 5e9, np.nan), index=frame.index)
    imputed = impute(frame, {"gdp_usd": Alternative(other)})
    assert (imputed.inputs["gdp_usd"].status[1] == ALTERNATIVE).all()
    assert np.allclose(imputed.point().query("iso3 == 'B'")["gdp_usd"], 5e9)
    draw = imputed.draw(np.random.default_rng(5)).query("iso3 == 'B'")["gdp_usd"]
    assert np.allclose(draw, 5e9)  # no spread given: read as exact


def test_an_alternative_with_a_spread_is_drawn_and_carries_it_forward(carried_gdp):
    # revision 2.11: another source's value is a different measurement, drawn with its spread; a value
    # carried from it adds that spread to the carry's (in quadrature)
    frame = fixture_frame()
    b_early = (frame["iso3"] == "B") & (frame["year"] <= 2004)
    other = pd.Series(np.where(b_early, 5e9, np.nan), index=frame.index)
    imputed = impute(frame, {"gdp_usd": Alternative(other, pd.Series(0.2, index=frame.index))})
    panel = imputed.inputs["gdp_usd"]
    assert (panel.status[1, :5] == ALTERNATIVE).all() and (panel.status[1, 5:] == CARRIED).all()
    assert np.allclose(panel.spread[1, :5], 0.2)
    carry_only = imputation.carry_spread(
        np.where(panel.status <= ALTERNATIVE, panel.centre, np.nan), panel.status <= ALTERNATIVE, 5
    )
    assert np.allclose(panel.spread[1, 5:], np.hypot(carry_only[1:6], 0.2))
    assert (panel.spread[panel.status == REAL] == 0).all()
    draws = np.array([
        imputed.draw(np.random.default_rng(seed)).query("iso3 == 'B' and year == 2000")["gdp_usd"].iloc[0]
        for seed in range(400)
    ])
    assert np.std(np.log(draws)) == pytest.approx(0.2, rel=0.15)
    assert np.median(draws) == pytest.approx(5e9, rel=0.05)


def test_the_disagreement_spread_is_half_the_central_68_percent_of_log_ratios():
    from middlepower.power.indicators import disagreement_spread

    ratios = np.exp(np.linspace(-1.0, 1.0, 101))  # log ratios evenly from -1 to 1: 16th-84th is -0.68..0.68
    primary = pd.Series(np.r_[np.ones(101), [np.nan, 0.0, 2.0]])
    other = pd.Series(np.r_[ratios, [3.0, 3.0, np.nan]])
    year = pd.Series(np.r_[np.full(101, 2000), [2000, 2000, 2001]])
    spread = disagreement_spread(primary, other, year)
    assert spread.iloc[0] == pytest.approx(0.68)  # pairs without both positive values are not counted
    assert np.isnan(spread.iloc[-1])  # a year without a pair has no spread


def test_an_input_without_a_model_stays_missing():
    frame = fixture_frame().assign(neighbours_gdp_usd=np.nan)
    assert (impute(frame).inputs["neighbours_gdp_usd"].status == MISSING).all()


def test_group_statistics_pool_all_states_when_a_group_is_small():
    x = np.array([[1.0], [2.0], [3.0], [10.0]])
    known = np.ones_like(x, dtype=bool)
    centre, _ = imputation.group_stats(x, known, np.array(["a", "a", "a", "b"]))
    assert np.allclose(centre[:, 0], 2.5)  # no group has MIN_FIT states: the median of all four


def test_a_real_zero_enters_no_ratio_or_spread():
    # revision 2.9: a zero has no logarithm; on the log scale it sits at the floor and would make
    # the region's ratio to GDP (and the spread imputed values are drawn with) enormous
    frame = fixture_frame()
    frame["milex_usd"] = frame["gdp_usd"] * 0.02
    frame.loc[frame["iso3"] == "J", "milex_usd"] = 0.0  # a state without armed forces
    frame.loc[frame["iso3"] == "D", "milex_usd"] = np.nan  # no figure: imputed from the others
    panel = impute(frame).inputs["milex_usd"]
    d = 3
    assert (panel.status[d] == IMPUTED).all() and (panel.status[9] == REAL).all()
    assert np.allclose(panel.centre[d], np.log(0.02))  # the median ratio of the positive states
    assert (panel.spread[d] < 1e-6).all()  # they all spend 2%: nothing uncertain about the ratio
    draw = impute(frame).draw(np.random.default_rng(4)).query("iso3 == 'J'")["milex_usd"]
    assert (draw < 1e-6).all()  # the real zero stays a zero


@pytest.fixture(scope="module")
def real_inputs(store_path):
    from middlepower.power.indicators import imputed_inputs

    return imputed_inputs(2024, db=store_path)


def test_taiwan_gets_gdp_from_sipri_and_population_from_maddison(real_inputs):
    status = real_inputs.status_frame().query("iso3 == 'TWN' and year == 2022").set_index("input")["status"]
    assert status["gdp_usd"] == "real (other source)" and status["population"] == "real (other source)"
    assert status["milex_usd"] == "real"
    gdp = real_inputs.point().query("iso3 == 'TWN' and year == 2022")["gdp_usd"].iloc[0]
    # DGBAS (Taiwan's statistics office) put 2022 GDP at about US$761 bn; SIPRI's denominator is the IMF's
    assert gdp == pytest.approx(761e9, rel=0.05)


def test_gdp_implied_by_sipri_fills_only_a_state_the_wdi_never_covers(real_inputs):
    # revision 2.15: where the WDI covers a state but has a gap, SIPRI's unchecked dollar conversion is
    # not read as GDP; South Sudan's last WDI GDP is 2015 (US$ 12.0 bn in the 2025 release)
    status = real_inputs.status_frame().query("input == 'gdp_usd'").set_index(["iso3", "year"])
    other = status[status["status"] == "real (other source)"]
    assert set(other.index.get_level_values("iso3")) == {"TWN"}
    ssd = status.loc["SSD"].loc[2016:2024]
    assert (ssd["status"] == "imputed").all()  # after its last WDI figure, the anchored model (revision 2.27)
    for cell in (("LTU", 1993), ("LVA", 1994), ("MOZ", 1990)):
        assert status.loc[cell, "status"] == "imputed", cell
    point = real_inputs.point().set_index(["iso3", "year"])["gdp_usd"]
    assert point.loc[("SSD", 2015)] == pytest.approx(12.0e9, rel=0.02)
    assert point.loc[("SSD", 2016)] / point.loc[("SSD", 2015)] == pytest.approx(1.0, abs=0.25)


def test_the_worlds_smallest_economy_stays_the_smallest_in_its_imputed_year(real_inputs):
    # revision 2.27's amendment: Tuvalu's last WDI GDP is 2023 (US$ 62 m in the 2025 release); 2024 is
    # imputed from it, and kept within its own real range rather than lifted to the year's smallest
    # real GDP (Nauru's, about US$ 170 m), a 2.7-fold step
    point = real_inputs.point().set_index(["iso3", "year"])["gdp_usd"]
    status = real_inputs.status_frame().query("input == 'gdp_usd' and year == 2024").set_index("iso3")["status"]
    assert status["TUV"] == "imputed"
    assert point.loc[("TUV", 2023)] == pytest.approx(62e6, rel=0.05)
    assert point.loc[("TUV", 2024)] / point.loc[("TUV", 2023)] == pytest.approx(1.0, abs=0.2)
    real_2024 = point.xs(2024, level="year")[status.isin(["real", "real (other source)"])]
    assert point.loc[("TUV", 2024)] < real_2024.min()


def test_north_korea_has_no_real_gdp_or_military_spending(real_inputs):
    status = real_inputs.status_frame().query("iso3 == 'PRK' and year == 2022").set_index("input")["status"]
    assert status["gdp_usd"] == "imputed" and status["milex_usd"] == "imputed" and status["population"] == "real"


def test_peace_roles_count_the_astana_statements_kazakhstan_hosted(store_path):
    # SOURCES-diplomacy.md lists the four Astana statements on Syria in PA-X: 2017-01-24, 2017-09-15,
    # 2017-10-31 (three in 2017) and 2018-05-15, all of one PA-X process, so one process-year in 2017
    # and two in 2018's window (revision 2.21)
    from middlepower import panel

    frame = panel.add_peace_roles(panel.state_years(2016, 2019, db=store_path), db=store_path).set_index(
        ["iso3", "year"]
    )
    assert frame.loc[("KAZ", 2016), "peace_hosted_10y"] == 0
    assert frame.loc[("KAZ", 2017), "peace_hosted_10y"] == 1 and frame.loc[("KAZ", 2018), "peace_hosted_10y"] == 2
    roles = frame.loc[("KAZ", 2018)]
    assert roles["peace_roles_10y"] <= roles["peace_third_party_10y"] + roles["peace_hosted_10y"]


def test_imputed_military_spending_is_drawn_within_the_range_real_states_span(real_inputs):
    # before revision 2.9 the zeros of Costa Rica, Haiti, Iceland and Panama gave the ratio to GDP a
    # spread of about 5.7 log units, and drawn values up to 1e33 US$ topped the min-max scale
    panel = real_inputs.inputs["milex_usd"]
    since = real_inputs.years >= 1990
    spreads = panel.spread[(panel.status == IMPUTED) & since[None, :]]
    assert np.nanmedian(spreads) < 1.5
    rng = np.random.default_rng(7)
    usa_2024 = real_inputs.point().query("iso3 == 'USA' and year == 2024")["milex_usd"].iloc[0]
    for _ in range(10):
        drawn = real_inputs.draw(rng).query("year == 2024").set_index("iso3")["milex_usd"]
        assert drawn.idxmax() == "USA" and drawn.max() == usa_2024


def test_gdp_implied_by_sipri_needs_a_dollar_figure(real_inputs):
    # SIPRI prints 0 where it has no figure; 0 / share is no GDP (Taiwan before 1988)
    gdp = real_inputs.inputs["gdp_usd"]
    known = gdp.status <= ALTERNATIVE
    assert (gdp.centre[known] > 15).all()  # every real GDP above e^15 US$ (3 million)


def test_an_imputed_value_stays_within_the_years_real_range():
    # revision 2.10: a region's spread can put a drawn value beyond every real state's; a fixture
    # region whose spread is wide and one state without a figure
    frame = fixture_frame()
    frame["arms_exports_tiv_musd"] = np.exp(np.linspace(0.0, 6.0, len(frame)))
    frame.loc[frame["iso3"] == "E", "arms_exports_tiv_musd"] = np.nan
    imputed = impute(frame)
    panel = imputed.inputs["arms_exports_tiv_musd"]
    assert (panel.status[4] == IMPUTED).all() and panel.spread[4].min() > 1.0
    real = frame.dropna(subset=["arms_exports_tiv_musd"]).groupby("year")["arms_exports_tiv_musd"]
    rng = np.random.default_rng(5)
    for _ in range(200):
        drawn = imputed.draw(rng).query("iso3 == 'E'").set_index("year")["arms_exports_tiv_musd"]
        assert (drawn <= real.max() * (1 + 1e-9)).all() and (drawn >= real.min() * (1 - 1e-9)).all()


@pytest.mark.filterwarnings("ignore:All-NaN slice")  # years before any state has a real figure
def test_no_imputed_draw_leaves_the_real_range_of_its_year_or_its_state(real_inputs):
    # under revision 2.9, one in a few draws put Nigeria's or Taiwan's intellectual-property receipts
    # above the United States', a GDP below Tuvalu's, or a military burden below every real state's;
    # since 2.27 the range is widened to the state's own real values of any year
    from middlepower.power.inputs import INPUTS, on_scale, to_space

    rng = np.random.default_rng(11)
    since = (real_inputs.years >= 1990) & (real_inputs.years <= 2024)
    checked = set()
    for _ in range(5):
        drawn = real_inputs.draw(rng)
        for name, panel in real_inputs.inputs.items():
            imputed = (panel.status == IMPUTED) & since[None, :]
            if not imputed.any():
                continue
            space = INPUTS[name].space
            grid = to_space(imputation.wide(drawn, name, real_inputs.units, real_inputs.years), space)
            real = (panel.status <= ALTERNATIVE) & on_scale(panel.centre, space)
            values = np.where(real, panel.centre, np.nan)
            year_low, year_high = np.nanmin(values, axis=0)[None, :], np.nanmax(values, axis=0)[None, :]
            own_low, own_high = np.nanmin(values, axis=1)[:, None], np.nanmax(values, axis=1)[:, None]
            low = np.fmin(year_low, own_low) - 1e-9
            high = np.fmax(year_high, own_high) + 1e-9
            present = ~np.isnan(grid) & ~np.isnan(year_low)  # the grid spans state-years a state did
            # not exist; a year after the source's end has no real value, so no range (revision 2.18)
            inside = (grid >= low) & (grid <= high)
            if (imputed & present).any():
                checked.add(name)
                assert inside[imputed & present].all(), name
    assert {"gdp_usd", "ip_receipts_usd", "milex_share_gdp_pct", "resource_rents_pct_gdp"} <= checked


def test_states_without_armed_forces_have_a_real_military_burden_of_zero(real_inputs):
    # revision 2.10: SIPRI prints no share of GDP for them; 2.9 imputed their region's median (Costa
    # Rica 0.93% of GDP in 2024) while capability counted their military spending as a real zero
    status = real_inputs.status_frame().query("input == 'milex_share_gdp_pct'").set_index(["iso3", "year"])["status"]
    point = real_inputs.point().set_index(["iso3", "year"])["milex_share_gdp_pct"]
    for cell in [("CRI", 2024), ("ISL", 2024), ("PAN", 2024), ("HTI", 2005), ("MCO", 2024), ("SLB", 2004)]:
        assert status[cell] == "real" and point[cell] == 0.0, cell
    # revision 2.12: before 2004 the Solomon Islands' police had paramilitary units, and Grenada's still has
    for cell in [("SLB", 2003), ("GRD", 2024)]:
        assert status[cell] == "imputed" and point[cell] > 0.0, cell
    # a state SIPRI covers keeps SIPRI's own share (Kazakhstan 2024: 0.43% of GDP in the 2025 release)
    assert 0.2 < point[("KAZ", 2024)] < 1.0
    # a dollar figure without a share is not divided by WDI GDP: Nicaragua 1990 would be 113% of GDP,
    # Russia 1990 42%
    assert status[("NIC", 1990)] == "imputed" and status[("RUS", 1990)] == "imputed"


def test_penn_world_table_exports_fill_what_the_wdi_lacks(real_inputs, store_path):
    # revision 2.11: Taiwan's exports from PWT's csh_x x cgdpo x pl_x to 2019; after it imputed relative
    # to its GDP (revision 2.26; carried five years before)
    status = real_inputs.status_frame().query("input == 'merchandise_exports_usd' and 1990 <= year <= 2024")
    other = status[status["status"] == "real (other source)"]
    counts = other.groupby("iso3").size()
    assert counts["TWN"] == 30 and counts["BEL"] == 9 and counts["LUX"] == 9 and counts["SRB"] == 16
    assert len(other) == 80 and other.query("iso3 == 'TWN'")["year"].agg(["min", "max"]).tolist() == [1990, 2019]
    taiwan = status.query("iso3 == 'TWN' and year >= 2020")
    assert (taiwan["status"] == "imputed").all() and taiwan["data_year"].isna().all()
    point = real_inputs.point().set_index(["iso3", "year"])["merchandise_exports_usd"]
    # PWT 10.01's Taiwan row for 2019: csh_x 0.5111, cgdpo 1,100,433 (US$ m), pl_x 0.6964, i.e. about 392 bn
    assert point.loc[("TWN", 2019)] == pytest.approx(0.5111 * 1_100_433e6 * 0.6964, rel=1e-3)
    # Taiwan's Ministry of Finance put 2024 exports at US$ 475.0 bn (trade statistics, January 2025)
    assert point.loc[("TWN", 2024)] == pytest.approx(475.0e9, rel=0.2)
    from middlepower import panel

    wdi = panel.add_economy(panel.state_years(1990, 2024, db=store_path), db=store_path)
    wdi = wdi.set_index(["iso3", "year"])["merchandise_exports_usd"].dropna()
    assert np.allclose(point.reindex(wdi.index), wdi)  # the WDI's own figures are untouched
    exports = real_inputs.inputs["merchandise_exports_usd"]
    taiwan = list(real_inputs.units).index("TWN")
    in_pwt = (real_inputs.years >= 1990) & (real_inputs.years <= 2019)
    # half the 16th-84th percentile width of log(PWT / WDI) was 0.10-0.29 a year when 2.11 was registered
    assert ((exports.spread[taiwan, in_pwt] > 0.09) & (exports.spread[taiwan, in_pwt] < 0.30)).all()
    after = real_inputs.years > 2019
    assert (np.diff(exports.spread[taiwan, after]) > 0).all()
    assert (exports.spread[taiwan, after] > exports.spread[taiwan, real_inputs.years == 2019]).all()


# revision 2.16: an imputed value keeps the state's own distance from the model, shrunk with the years


def test_an_anchor_uses_the_nearest_real_year_and_shrinks_towards_the_model():
    z = np.array([[np.nan, 2.0, np.nan, np.nan, np.nan, -1.0, np.nan], [np.nan] * 7])
    anchor = imputation.Anchor(z, np.ones_like(z), 0.5)
    distance, nearest = anchor.nearest()
    assert distance[0].tolist() == [1, 0, 1, 2, 1, 0, 1] and np.isinf(distance[1]).all()
    assert nearest[0].tolist() == [2.0, 2.0, 2.0, 2.0, -1.0, -1.0, -1.0]  # year 3 is a tie: the earlier
    model, spread = np.full(z.shape, 10.0), np.full(z.shape, 0.4)
    fill = np.isnan(z)
    centre, sd = anchor.apply(model, spread, fill)
    # one real side (2.16): model + spread x rho^d x z, spread x sqrt(1 - rho^(2d))
    assert centre[0, 0] == pytest.approx(10 + 0.4 * 0.5 * 2.0) and sd[0, 0] == pytest.approx(0.4 * np.sqrt(0.75))
    assert centre[0, 6] == pytest.approx(10 - 0.4 * 0.5) and sd[0, 6] == pytest.approx(0.4 * np.sqrt(0.75))
    # both sides (2.17): the autoregression's expectation given z1 = 2 (d1 back) and z2 = -1 (d2 on)
    for t, d1, d2 in ((2, 1, 3), (3, 2, 2), (4, 3, 1)):
        r1, r2 = 0.5**d1, 0.5**d2
        expected = (r1 * (1 - r2**2) * 2.0 + r2 * (1 - r1**2) * -1.0) / (1 - (r1 * r2) ** 2)
        variance = (1 - r1**2) * (1 - r2**2) / (1 - (r1 * r2) ** 2)
        assert centre[0, t] == pytest.approx(10 + 0.4 * expected) and sd[0, t] == pytest.approx(0.4 * np.sqrt(variance))
    assert (centre[1] == 10.0).all() and (sd[1] == 0.4).all()  # a state with no real value: the model


def test_a_bridge_leaves_no_step_and_agrees_with_the_gaussian_conditional():
    rho = 0.9
    z = np.full((1, 12), np.nan)
    z[0, 0], z[0, 11] = 1.5, -1.5
    anchor = imputation.Anchor(z, np.ones_like(z), rho)
    mean, sd = anchor.conditional()
    assert mean[0, 5] == pytest.approx(-mean[0, 6]) and np.all(np.diff(mean[0]) < 0)  # smooth, no jump
    # the same expectation from the joint normal of (z_t, z_0, z_11) with correlation rho^|lag|
    lags = np.array([0, 11])
    for t in range(1, 11):
        cov_ends = rho ** np.abs(lags[:, None] - lags[None, :])
        cov_t = rho ** np.abs(t - lags)
        weights = np.linalg.solve(cov_ends, cov_t)
        assert mean[0, t] == pytest.approx(weights @ np.array([1.5, -1.5]))
        assert sd[0, t] == pytest.approx(np.sqrt(1 - cov_t @ weights))


def test_an_anchor_recovers_the_persistence_of_a_simulated_autoregression_and_its_intervals_hold():
    rng = np.random.default_rng(11)
    rho, states, years = 0.8, 400, 40
    z = np.empty((states, years))
    z[:, 0] = rng.standard_normal(states)
    for t in range(1, years):
        z[:, t] = rho * z[:, t - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(states)
    spread = np.full(z.shape, 0.5)
    fitted = imputation.Anchor.fit(3.0 + 0.5 * z, np.full(z.shape, 3.0), spread, np.ones(z.shape, dtype=bool))
    assert fitted.rho == pytest.approx(rho, abs=0.02)
    panel = imputation.InputPanel("gdp_usd", np.zeros(z.shape, dtype=np.int8), z, 3.0 + 0.5 * z, z)
    panel.anchors["model"] = fitted
    check = imputation.holdout(imputation.Imputed(pd.DataFrame(), np.arange(states), np.arange(years),
                                                  {"gdp_usd": panel}))
    assert check["distance"].tolist() == list(imputation.HOLDOUT_DISTANCES)
    assert (check["inside_anchored"].between(0.88, 0.92)).all() and (check["inside_model"].between(0.88, 0.92)).all()
    near = check.query("distance == 1").iloc[0]
    assert near["error_anchored"] < 0.7 * near["error_model"]  # sqrt(1 - 0.64) = 0.6 of the model's spread
    for d, row in check.set_index("distance").iterrows():  # carrying: the other value held flat (2.26)
        change = 0.5 * np.abs(z[:, d:] - z[:, :-d])  # on the input's scale, as the anchored error
        assert row["mean_error_carry"] == pytest.approx(change.mean())
        # an AR(1)'s change over d years has sd sqrt(2 (1 - rho^d)), the anchored error sqrt(1 - rho^(2d))
        assert row["mean_error_carry"] / row["mean_error_anchored"] == pytest.approx(
            np.sqrt(2 * (1 - rho**d) / (1 - rho ** (2 * d))), rel=0.05)
        assert row["inside_carry"] == pytest.approx(0.90, abs=0.02)


def test_gdp_and_the_inputs_imputed_as_a_ratio_to_it_are_carried_only_where_carrying_beats_their_model(real_inputs):
    # revisions 2.26 (ratios to GDP) and 2.27 (GDP, each of its two branches): the rule of each input
    # and the hold-out on the store must agree
    check = imputation.holdout(real_inputs, imputation.CARRY_CHECK_DISTANCES)
    branches = {"gdp": ["Maddison", "region per head"], "gdp_ratio": ["ratio to GDP"]}
    checked = [name for name, rule in INPUTS.items() if rule.model in branches]
    assert checked == ["gdp_usd", "milex_usd", "merchandise_exports_usd", "ip_receipts_usd"]
    for name in checked:
        rows = check.query("input == @name")
        assert sorted(rows["model"].unique()) == branches[INPUTS[name].model], name
        assert rows["distance"].tolist() == list(imputation.CARRY_CHECK_DISTANCES) * len(branches[INPUTS[name].model])
        model_no_worse = bool((rows["mean_error_anchored"] <= rows["mean_error_carry"]).all())
        assert INPUTS[name].model_after_last == model_no_worse, name
        panel = real_inputs.inputs[name]
        carried = panel.status == CARRIED
        if INPUTS[name].model_after_last:  # only a zero, which the model has no ratio for, is carried
            assert (np.exp(panel.centre[carried]) < 1e-6).all(), name
        else:
            assert carried.any(), name


def test_military_spending_after_a_states_last_real_value_moves_with_its_gdp(real_inputs):
    # revision 2.26: Syria's last real SIPRI figure is 2011; the years after are imputed from the
    # first, relative to GDP, instead of held flat for five years and then stepping to the model
    status = real_inputs.status_frame().query("iso3 == 'SYR' and input == 'milex_usd'").set_index("year")
    assert status.loc[2011, "status"] == "real"
    assert (status.loc[2012:2024, "status"] == "imputed").all()
    milex = real_inputs.point().query("iso3 == 'SYR'").set_index("year")["milex_usd"]
    steps = np.abs(np.diff(np.log(milex.loc[2011:2024].to_numpy())))
    gdp = real_inputs.point().query("iso3 == 'SYR'").set_index("year")["gdp_usd"]
    gdp_steps = np.abs(np.diff(np.log(gdp.loc[2011:2024].to_numpy())))
    assert (steps <= gdp_steps + 0.35).all()  # no step beyond GDP's own and the model's yearly drift


def test_the_hold_out_check_of_a_panel_without_model_imputation_is_an_empty_table():
    check = imputation.holdout(imputation.Imputed(pd.DataFrame(), np.arange(2), np.arange(3)))
    assert check.empty and list(check.columns) == list(imputation.HOLDOUT_COLUMNS)


def test_imputed_gdp_keeps_the_states_own_level(real_inputs, store_path):
    point = real_inputs.point().set_index(["iso3", "year"])["gdp_usd"]
    status = real_inputs.status_frame().query("input == 'gdp_usd'").set_index(["iso3", "year"])["status"]
    # WDI (2025 release): Mozambique US$ 3.85 bn in 1991, its first year; the cross-state line alone
    # put 1990 at 8.5 bn (revision 2.15's results)
    assert status[("MOZ", 1990)] == "imputed" and status[("MOZ", 1991)] == "real"
    assert point[("MOZ", 1990)] / point[("MOZ", 1991)] == pytest.approx(1.0, abs=0.5)
    # North Korea has no real GDP in any year: it keeps the Maddison-based line and its spread
    from middlepower.power.indicators import input_frame, maddison_gdp

    line = maddison_gdp(input_frame(2024, db=store_path), real_inputs.units, real_inputs.years)
    panel = real_inputs.inputs["gdp_usd"]
    u = list(real_inputs.units).index("PRK")
    in_maddison = ~np.isnan(line[u, :, 0]) & (panel.status[u] == imputation.IMPUTED)
    assert in_maddison.sum() >= 30
    assert np.allclose(panel.centre[u, in_maddison], line[u, in_maddison, 0])
    assert np.allclose(panel.spread[u, in_maddison], line[u, in_maddison, 1])
    m = list(real_inputs.units).index("MOZ")
    assert panel.spread[m, list(real_inputs.years).index(1990)] < 0.5 * line[m, list(real_inputs.years).index(1990), 1]


def test_the_hold_out_check_of_real_values_favours_the_anchor(real_inputs):
    check = imputation.holdout(real_inputs).set_index(["input", "model", "distance"]).sort_index()
    for name, branch in (("gdp_usd", "Maddison"), ("milex_usd", "ratio to GDP"),
                         ("merchandise_exports_usd", "ratio to GDP"), ("ip_receipts_usd", "ratio to GDP")):
        rows = check.loc[(name, branch)]
        assert (rows["error_anchored"] < rows["error_model"]).all(), name
        assert rows["inside_anchored"].between(0.85, 0.97).all(), (name, rows["inside_anchored"].tolist())
        assert rows["predictions"].min() > 1000, name


def test_between_two_real_years_the_bridge_beats_the_nearer_real_year_on_held_out_values(real_inputs):
    # revision 2.17's check: a real value predicted from its two real neighbours d years away
    check = imputation.bridge_holdout(real_inputs).set_index(["input", "model", "distance"]).sort_index()
    for name, branch in (("gdp_usd", "Maddison"), ("milex_usd", "ratio to GDP"),
                         ("merchandise_exports_usd", "ratio to GDP"), ("ip_receipts_usd", "ratio to GDP")):
        rows = check.loc[(name, branch)]
        assert list(rows.index) == list(imputation.BRIDGE_DISTANCES)
        assert (rows["mean_error_bridge"] < rows["mean_error_nearest"]).all(), name
        assert rows["inside_bridge"].between(0.85, 0.97).all(), (name, rows["inside_bridge"].tolist())
    point = real_inputs.point().set_index(["iso3", "year"])["ip_receipts_usd"]
    egypt = point.loc["EGY"].loc[2013:2019].to_numpy()
    assert (egypt[1:] < egypt[:-1]).all()  # between its 2007 and 2019 figures: no step back up


def test_a_real_value_with_a_sampling_spread_is_drawn_with_it_and_carries_it_forward():
    # revision 2.22: a real balance is an estimate from a year's roll calls, drawn with its sampling sd;
    # carried, it adds that sd to the carry's in quadrature; without the column it stays exact
    frame = fixture_frame().assign(balance_relative=0.4, balance_relative_sd=0.1)
    frame.loc[(frame["iso3"] == "D") & (frame["year"] > 2006), "balance_relative"] = np.nan
    panel = impute(frame).inputs["balance_relative"]
    d = 3
    assert (panel.status[d, :7] == REAL).all() and (panel.status[d, 7:] == CARRIED).all()
    assert np.allclose(panel.spread[panel.status == REAL], 0.1)
    carry_only = imputation.carry_spread(np.where(panel.status == REAL, panel.centre, np.nan), panel.status == REAL, 3)
    assert np.allclose(panel.spread[d, 7:], np.hypot(carry_only[1:4], 0.1))
    draws = np.array([impute(frame).draw(np.random.default_rng(seed)).query("iso3 == 'E' and year == 2001")
                      ["balance_relative"].iloc[0] for seed in range(300)])
    assert np.std(draws) == pytest.approx(0.1, rel=0.15) and np.mean(draws) == pytest.approx(0.4, abs=0.02)
    assert np.allclose(impute(frame).point()["balance_relative"].dropna(), 0.4)
    exact = impute(frame.drop(columns="balance_relative_sd")).inputs["balance_relative"]
    assert (exact.spread[exact.status == REAL] == 0).all()


def test_the_models_real_balance_is_drawn_with_the_panels_sampling_spread(real_inputs, store_path):
    from middlepower import panel

    frame = panel.add_balance(panel.state_years(2019, 2019, db=store_path), db=store_path).set_index("iso3")
    inputs = real_inputs.inputs["balance_relative"]
    year = list(real_inputs.years).index(2019)
    for iso3 in ("KAZ", "SAU", "CAN"):
        unit = list(real_inputs.units).index(iso3)
        assert inputs.status[unit, year] == REAL
        assert inputs.spread[unit, year] == pytest.approx(frame.loc[iso3, "balance_relative_sd"])
        assert inputs.spread[unit, year] > 0


def test_a_text_rule_count_is_drawn_with_its_measurement_spread_and_never_below_zero():
    # revision 2.25: a peace-process count is drawn on log(1 + x) with its spread; a count of 0 stays
    # exact (spread 0) and a drawn count is clipped at 0
    frame = fixture_frame().assign(peace_hosted_10y=1.0, peace_hosted_10y_sd=2.0)
    frame.loc[frame["iso3"] == "E", ["peace_hosted_10y", "peace_hosted_10y_sd"]] = 0.0
    imputed = impute(frame)
    panel = imputed.inputs["peace_hosted_10y"]
    assert (panel.status == REAL).all() and np.allclose(panel.centre[panel.centre > 0], np.log(2.0))
    draws = pd.concat([imputed.draw(np.random.default_rng(seed)) for seed in range(50)])
    assert (draws["peace_hosted_10y"] >= 0).all()
    assert (draws.loc[draws["iso3"] == "E", "peace_hosted_10y"] == 0).all()
    hosted = draws.loc[draws["iso3"] == "D", "peace_hosted_10y"]
    assert (hosted == 0).mean() > 0.2 and hosted.max() > 10  # sd 2 on log(1 + x): many clipped, a long tail


def test_the_models_peace_counts_are_drawn_with_the_panels_measurement_spread(real_inputs, store_path):
    from middlepower import panel

    frame = panel.add_peace_roles(panel.state_years(2019, 2019, db=store_path), db=store_path).set_index("iso3")
    year = list(real_inputs.years).index(2019)
    for name in ("peace_roles_10y", "peace_third_party_10y", "peace_hosted_10y"):
        inputs = real_inputs.inputs[name]
        for iso3 in ("KAZ", "NOR", "USA", "TUV"):
            unit = list(real_inputs.units).index(iso3)
            assert inputs.status[unit, year] == REAL
            assert inputs.spread[unit, year] == pytest.approx(frame.loc[iso3, f"{name}_sd"])
            assert (inputs.spread[unit, year] > 0) == (frame.loc[iso3, name] > 0), (name, iso3)
    assert frame.loc["KAZ", "peace_hosted_10y"] > 0 and frame.loc["TUV", "peace_roles_10y"] == 0


def test_a_last_real_zero_is_carried_since_the_model_has_no_ratio_for_it(real_inputs):
    # revision 2.26 (amended): Tuvalu's merchandise exports are 0 in the WDI to 2023, and a zero has no
    # ratio to GDP on the log scale, so 2024 carries the zero instead of imputing the region's ratio
    status = real_inputs.status_frame().query("iso3 == 'TUV' and input == 'merchandise_exports_usd'")
    status = status.set_index("year")
    assert status.loc[2023, "status"] == "real" and status.loc[2024, "status"] == "carried"
    assert status.loc[2024, "data_year"] == 2023
    exports = real_inputs.point().query("iso3 == 'TUV'").set_index("year")["merchandise_exports_usd"]
    assert exports.loc[2023] < 1e-6 and exports.loc[2024] < 1e-6


def test_the_range_an_imputed_value_is_kept_within_is_the_years_widened_to_the_states_own():
    # revision 2.27's amendment, by hand: state 0 is the smallest in its real years, state 1 the largest
    space = np.array([[1.0, np.nan, np.nan],
                      [5.0, 9.0, np.nan],
                      [3.0, 4.0, np.nan]])
    low, high = imputation.real_bounds(space, ~np.isnan(space))
    assert low[:, 1].tolist() == [1.0, 4.0, 3.0]  # the year's smallest is 4; states 0 and 2 were once 1 and 3
    assert high[:, 0].tolist() == [5.0, 9.0, 5.0]  # the year's largest is 5; state 1 was once 9
    assert np.isnan(low[:, 2]).all() and np.isnan(high[:, 2]).all()  # no real value that year: no range
