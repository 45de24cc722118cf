"""A spec run on real World Bank WDI data from the shared mirror, checked by hand-computed values."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import wdi_frame
from middlepower.index import run, spec_from_dict

# the mirror named by MIDDLEPOWER_MIRROR, else the development mirror beside the checkout
MIRROR = Path(os.environ.get("MIDDLEPOWER_MIRROR", Path(__file__).resolve().parents[2] / "shared" / "data")).resolve()
WDI = MIRROR / "worldbank_wdi" / "indicators"
CODES = {"gdp": "ny.gdp.mktp.cd", "pop": "sp.pop.totl", "life": "sp.dyn.le00.in", "gdppc": "ny.gdp.pcap.cd"}

pytestmark = pytest.mark.skipif(not WDI.is_dir(), reason="shared WDI mirror not available")


@pytest.fixture(scope="module")
def idata() -> pd.DataFrame:
    return wdi_frame(MIRROR, CODES, 2015, 2019)


SPEC = {
    "unit": "Country Code",
    "time": "Year",
    "indicators": [
        {"code": "gdp", "parent": "size"}, {"code": "pop", "parent": "size"},
        {"code": "life", "parent": "welfare"}, {"code": "gdppc", "parent": "welfare"},
    ],
    "aggregates": [{"code": "size", "parent": "index"}, {"code": "welfare", "parent": "index"}, {"code": "index"}],
    "methods": {"treatment": "log_ct"},
}


def test_wdi_panel_min_max_matches_hand_computation(idata):
    result = run(spec_from_dict(SPEC), idata)
    year = idata[idata["Year"] == 2018]
    life = year["life"].dropna()
    # hand: life expectancy in 2018 for Japan after log_ct, then min-max onto [0, 100]
    a = 0.01 * (life.max() - life.min())
    logged = np.log(life - life.min() + a)
    want = 100 * (logged[year["Country Code"] == "JPN"].iloc[0] - logged.min()) / (logged.max() - logged.min())
    got = result.node_scores("life").loc["JPN", 2018]
    assert got == pytest.approx(want, rel=1e-12)


def test_wdi_index_is_the_mean_of_its_pillars_and_ranks_are_per_year(idata):
    result = run(spec_from_dict(SPEC), idata)
    scores = result.scores.pivot_table(index=["unit", "year"], columns="node", values="score")
    both = scores.dropna(subset=["size", "welfare"])
    np.testing.assert_allclose(both["index"], (both["size"] + both["welfare"]) / 2, rtol=1e-12)
    ranks = result.scores[(result.scores.node == "index") & (result.scores.year == 2019)]["rank"].dropna()
    assert ranks.min() == 1 and ranks.max() <= len(ranks)
    assert result.panel.years.tolist() == [2015, 2016, 2017, 2018, 2019]


def test_bad_arguments_on_the_wdi_panel_are_refused_naming_them(idata):
    from middlepower.errors import ParameterError
    from middlepower.index import node_replications, uncertainty

    spec = spec_from_dict({**SPEC, "uncertainty": [{"input": "weights", "level": 2, "noise": 0.25}]})
    alone = node_replications(spec, idata, "welfare", n=8, seed=1, block_size=4)
    assert list(alone.scores) == ["welfare"] and alone.scores["welfare"].shape == (8, len(alone.units), 5)
    np.testing.assert_array_equal(alone.scores["welfare"], node_replications(
        spec, idata, ["welfare"], n=8, seed=1, block_size=4).scores["welfare"])
    with pytest.raises(ParameterError, match=r"^n -3: outside 1\.\.100,000"):
        node_replications(spec, idata, "welfare", n=-3)
    with pytest.raises(ParameterError, match=r"^block_size 0: outside 1\.\.100,000"):
        uncertainty(spec, idata, n=5, block_size=0)
    known = r"\(gdp, pop, life, gdppc, size, welfare, index\)$"
    with pytest.raises(ParameterError, match=r"^code 'zz': not a node of .* " + known):
        run(spec, idata).node_scores("zz")
    with pytest.raises(ParameterError, match=r"^data: expected a pandas DataFrame .*, got ndarray$"):
        run(spec, idata.to_numpy())


def test_sobol_indices_of_a_varying_wdi_output_stay_defined(idata):
    from middlepower.index import sensitivity

    inputs = [{"input": "weights", "level": 2, "noise": 0.25},
              {"input": "aggregation", "alternatives": ["arithmetic", "geometric"]}]
    spec = spec_from_dict({**SPEC, "uncertainty": inputs})
    result = sensitivity(spec, idata, n=16, n_boot=10)
    assert result.attrs["output_varies"] is True
    assert np.isfinite(result[["S1", "ST"]].to_numpy()).all() and (result["ST"] > 0).all()
