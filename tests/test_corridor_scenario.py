"""Scenario files: validation at the boundary, before/after tables, Monte Carlo intervals."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from middlepower.corridor.montecarlo import route_time_triples, sample_days, time_interval
from middlepower.corridor.network import load_network
from middlepower.corridor.routes import route
from middlepower.corridor.scenario import apply_changes, load_scenario, run_scenario
from middlepower.errors import SpecError


@pytest.fixture(scope="module")
def net():
    return load_network()


@pytest.mark.parametrize("name", ["roadmap", "pre_roadmap_2022", "suez_closure", "northern_sanctions", "caspian_x2"])
def test_shipped_scenarios_give_a_before_after_row_per_corridor(net, name):
    table = run_scenario(net, load_scenario(name))
    assert list(table["corridor"]) == ["middle", "northern", "suez", "cape"]
    for column in ("time_days", "max_flow_teu_per_year", "bottleneck", "p05_days", "p95_days"):
        assert {f"{column}_before", f"{column}_after"} <= set(table.columns)


def test_suez_closure_reports_no_route_instead_of_a_time(net):
    table = run_scenario(net, load_scenario("suez_closure")).set_index("corridor")
    assert np.isnan(table.loc["suez", "time_days_after"])
    assert "SEA01 (capacity 0)" in table.loc["suez", "status_after"]
    assert table.loc["cape", "status_after"] == "ok"


def _write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return str(path)


def test_a_change_without_a_source_is_refused(tmp_path):
    with pytest.raises(SpecError, match="change 1 .*source"):
        load_scenario(_write(tmp_path, "changes:\n  - edge: MC10\n    set: {capacity_value: 1}\n"))


def test_a_field_that_cannot_be_set_is_named(tmp_path):
    with pytest.raises(SpecError, match="'speed'"):
        load_scenario(_write(tmp_path, "changes:\n  - edge: MC10\n    set: {speed: 3}\n    source: x\n"))


def test_a_change_to_an_unknown_edge_is_named(net):
    with pytest.raises(SpecError, match="'MC99'"):
        apply_changes(net, [{"edge": "MC99", "close": True, "source": "x"}])


def test_a_change_making_a_negative_distance_is_refused(net):
    with pytest.raises(SpecError, match="MC02: distance_km"):
        apply_changes(net, [{"edge": "MC02", "set": {"distance_km": -1}, "source": "x"}])


def test_monte_carlo_interval_brackets_the_route_and_widens_with_caspian_waits(net):
    chosen = route(net, "CN_XIAN", "DE_DUISBURG", "middle")
    interval = time_interval(net, chosen, draws=5_000, seed=1)
    triples = route_time_triples(net, chosen)
    assert triples["low_h"].sum() / 24 <= interval["p05_days"] < interval["p95_days"] <= triples["high_h"].sum() / 24
    assert interval["p95_days"] - interval["p05_days"] > 3  # Aktau wait 1-14 days (published range)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100), st.floats(0, 100)), min_size=1, max_size=8),
       st.integers(0, 2**32 - 1))
def test_sampled_totals_stay_within_the_sum_of_lows_and_highs(items, seed):
    triples = pd.DataFrame([sorted(item) for item in items], columns=["low_h", "typical_h", "high_h"])
    days = sample_days(triples, 200, np.random.default_rng(seed))
    assert days.min() >= triples["low_h"].sum() / 24 - 1e-9
    assert days.max() <= triples["high_h"].sum() / 24 + 1e-9


def test_the_api_runs_a_scenario_with_the_draws_asked_for(net):
    from middlepower import corridor
    from middlepower.errors import ParameterError

    few = corridor.run_scenario("baku_phase2", net=net, draws=300)
    same = corridor.run_scenario(corridor.load_scenario("baku_phase2", draws=300), net=net)
    pd.testing.assert_frame_equal(few, same)
    shipped = corridor.run_scenario("baku_phase2", net=net)  # the file's own 10,000 draws
    assert not np.allclose(few["p95_days_before"], shipped["p95_days_before"])
    with pytest.raises(ParameterError, match="draws"):
        corridor.run_scenario(corridor.load_scenario("baku_phase2"), net=net, draws=0)
