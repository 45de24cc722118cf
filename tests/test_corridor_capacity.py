"""Max flow and min cut against hand calculations from the typed figures and the published view."""

import math

import pytest

from middlepower.corridor.capacity import max_flow, utilisation
from middlepower.corridor.network import load_network
from middlepower.corridor.scenario import apply_changes, load_scenario, run_scenario
from middlepower.corridor.units import to_teu_per_year
from middlepower.errors import DataError

PARAMS = {"tonnes_per_teu": 14.0, "teu_per_train": 100.0, "days_per_year": 365.0}


@pytest.fixture(scope="module")
def net():
    return load_network()


def test_unit_conversions_follow_the_documented_parameters():
    assert to_teu_per_year(60, "train pairs/day", PARAMS, "x") == 60 * 100 * 365
    assert to_teu_per_year(4.5, "Mt/yr (all Caspian rail ferries)", PARAMS, "x") == pytest.approx(4.5e6 / 14)
    assert to_teu_per_year(760, "TEU/day", PARAMS, "x") == 760 * 365
    with pytest.raises(DataError, match="here"):
        to_teu_per_year(1, "wagons/week", PARAMS, "here")


def test_middle_corridor_min_cut_today_sits_at_the_caspian_as_published(net):
    # Published: the Caspian crossing is the main limiting factor (KTZ chairman, report.az 2025-11-26).
    # Hand calculation: every Middle path enters Alat, whose container capacity is 100,000 TEU/yr.
    result = max_flow(net, "CN_XIAN", "DE_DUISBURG", "middle")
    assert result["max_flow_teu_per_year"] == pytest.approx(100_000)
    assert result["caspian_binds"]
    assert result["bottleneck"] == "AZ_ALAT"


def test_raising_the_binding_port_moves_the_bottleneck_to_the_caspian_sailings(net):
    # Hand: feeders 89,000 TEU/yr + rail ferries 4.5 Mt/yr / 14 t per TEU.
    table = run_scenario(net, load_scenario("baku_phase2"))
    middle = table.set_index("corridor").loc["middle"]
    assert middle["bottleneck_before"] == "AZ_ALAT"
    assert set(middle["bottleneck_after"].split("; ")) == {"MC10", "MC11"}
    assert middle["max_flow_teu_per_year_after"] == pytest.approx(89_000 + 4.5e6 / 14)
    assert middle["bottleneck_moved"]


def test_a_port_capacity_does_not_bound_rail_traffic_running_past_it(net):
    # Aktau port closed: trains still reach Kuryk by rail and cross by rail ferry into Alat.
    closed = apply_changes(net, [{"node": "KZ_AKTAU", "close": True, "source": "test"}])
    assert max_flow(closed, "CN_XIAN", "DE_DUISBURG", "middle")["max_flow_teu_per_year"] == pytest.approx(100_000)


def test_northern_corridor_binds_at_the_dostyk_transshipment(net):
    result = max_flow(net, "CN_XIAN", "DE_DUISBURG", "northern")
    assert result["max_flow_teu_per_year"] == pytest.approx(760 * 365)
    assert not result["caspian_binds"]


def test_sea_routes_without_capacity_figures_are_unbounded_and_a_closure_is_zero(net):
    assert math.isinf(max_flow(net, "CN_XIAN", "DE_DUISBURG", "suez")["max_flow_teu_per_year"])
    closed = apply_changes(net, [{"edge": "SEA01", "close": True, "source": "test"}])
    result = max_flow(closed, "CN_XIAN", "DE_DUISBURG", "suez")
    assert result["max_flow_teu_per_year"] == 0 and result["bottleneck"] == "SEA01"


def test_utilisation_is_observed_volume_over_max_flow(net):
    table = utilisation(net).set_index(["corridor", "year"])
    assert table.loc[("middle", 2025), "utilisation"] == pytest.approx(77_000 / 100_000)
    assert table.loc[("northern", 2023), "utilisation"] == pytest.approx(211_100 / (760 * 365))
