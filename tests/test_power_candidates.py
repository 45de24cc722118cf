"""Other capability measures against log GDP: the accumulated-spending rule by hand, the components read
back from the raw store, and the comparison on the real references."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from middlepower import power
from middlepower.power import candidates
from middlepower.power.candidates import STOCK_DEPRECIATION, _decayed_mean


def test_accumulated_spending_is_a_depreciation_weighted_mean_of_the_years_that_exist():
    wide = pd.DataFrame({"A": [100.0, np.nan, 200.0, 50.0], "B": [np.nan, 10.0, 10.0, np.nan]},
                        index=[2000, 2001, 2002, 2003])
    out = _decayed_mean(wide)
    keep = 1.0 - STOCK_DEPRECIATION
    assert out.loc[2000, "A"] == pytest.approx(100.0)
    assert np.isnan(out.loc[2001, "A"])  # no figure this year: no measure, whatever came before
    assert out.loc[2002, "A"] == pytest.approx((200.0 + 100.0 * keep**2) / (1.0 + keep**2))
    assert out.loc[2003, "A"] == pytest.approx((50.0 + 200.0 * keep + 100.0 * keep**3) / (1.0 + keep + keep**3))
    assert out.loc[2002, "B"] == pytest.approx(10.0) and np.isnan(out.loc[2003, "B"])


def test_components_are_the_raw_series_in_their_units(store_path):
    frame = candidates.components(2015, 2019, db=store_path).set_index(["iso3", "year"])
    with duckdb.connect(str(store_path), read_only=True) as con:
        raw = con.execute("SELECT gdp_usd, population, gdp_per_capita_ppp_intl_usd, sipri_milex_current_usd_m "
                          "FROM panel WHERE iso3 = 'KAZ' AND year = 2019").fetchone()
    gdp, pop, ppp_pc, milex = raw
    row = frame.loc[("KAZ", 2019)]
    assert row["gdp"] == pytest.approx(np.log(gdp))
    assert row["gdp_ppp"] == pytest.approx(np.log(ppp_pc * pop))
    assert row["milex"] == pytest.approx(np.log1p(milex))
    assert row["milex_ppp"] == pytest.approx(np.log1p(milex * ppp_pc * pop / gdp))
    assert row["population"] == pytest.approx(np.log(pop))
    assert row["beckley"] == pytest.approx(np.log(gdp * gdp / pop))
    # prices are lower in Kazakhstan than in the USA: PPP lifts its spending, not the USA's (ratio 1)
    assert row["milex_ppp"] > row["milex"]
    usa = frame.loc[("USA", 2019)]
    assert usa["milex_ppp"] == pytest.approx(usa["milex"], abs=0.01)
    # a state without armed forces has no spending and no stock, whether SIPRI prints its zero (Iceland) or
    # does not cover it (Monaco, revision 2.12)
    for state in ("ISL", "MCO"):
        assert frame.loc[(state, 2019), ["milex", "milex_stock"]].tolist() == [0.0, 0.0], state


def test_every_candidate_is_scored_on_every_reference_with_a_paired_interval(store_path):
    report = power.validate(db=store_path, candidates=True)
    found = report.candidates
    codes = [c.code for c in candidates.CANDIDATES]
    assert list(found.summary["candidate"]) == codes
    assert set(found.metrics["reference"]) == set(report.metrics["reference"])
    assert 0 < found.n_state_years <= report.n_state_years
    metrics = found.metrics.set_index("reference")
    for row in found.intervals.itertuples():
        assert row.difference == pytest.approx(metrics.loc[row.reference, row.candidate]
                                               - metrics.loc[row.reference, "log_gdp"])
        assert row.lo <= row.difference <= row.hi  # a paired bootstrap brackets its own point estimate
    # the shipped composition, recomputed from real data without the Monte Carlo, tracks the model's pillar
    model = report.metrics.set_index("reference")["capability"]
    assert (metrics["gdp_milex"] - model.reindex(metrics.index)).abs().max() < 0.02
