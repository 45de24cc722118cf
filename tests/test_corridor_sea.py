"""Sea legs agree with searoute's own published runs and with published nautical-mile figures."""

import pytest

from middlepower.corridor.network import load_network
from middlepower.corridor.sea import sea_leg
from middlepower.errors import DataError

SHANGHAI, ROTTERDAM = (31.22, 121.80), (51.95, 4.05)  # the points of the SOURCES-econ-geo.md runs
NM_KM = 1.852


def test_shanghai_rotterdam_via_suez_matches_searoute_reference_run():
    leg = sea_leg(SHANGHAI, ROTTERDAM, "suez")
    assert leg.length_km == pytest.approx(19_531, rel=0.005)  # SOURCES-econ-geo.md section 13
    assert leg.length_km == pytest.approx(10_600 * NM_KM, rel=0.02)  # published ~10,600 nm
    assert "suez" in leg.passages


def test_shanghai_rotterdam_via_cape_goes_round_south_africa_not_panama():
    leg = sea_leg(SHANGHAI, ROTTERDAM, "cape")
    assert "south_africa" in leg.passages and "panama" not in leg.passages
    assert leg.length_km == pytest.approx(13_800 * NM_KM, rel=0.02)  # published ~13,800 nm


def test_closing_only_suez_gives_searoutes_24939_km_panama_route():
    # The 24,939 km figure quoted for "via the Cape" is searoute's Panama route (docs/corridor.md).
    leg = sea_leg(SHANGHAI, ROTTERDAM, "panama")
    assert leg.length_km == pytest.approx(24_939, rel=0.005)
    assert "panama" in leg.passages


def test_caspian_crossing_matches_searoute_reference_and_cannot_reach_the_ocean():
    aktau, baku = (43.682325, 51.212927), (40.381471, 49.887766)
    assert sea_leg(aktau, baku).length_km == pytest.approx(468, rel=0.01)
    with pytest.raises(DataError, match="Caspian"):
        sea_leg(aktau, ROTTERDAM)


def test_searoute_estimates_in_the_network_file_reproduce_from_node_coordinates():
    net = load_network()
    for edge_id, variant in (("SEA01", "suez"), ("SEA02", "cape"), ("SEA03", "suez"), ("MC25", "any")):
        row = net.edges.loc[edge_id]
        a, b = net.nodes.loc[row["from"]], net.nodes.loc[row["to"]]
        leg = sea_leg((a["lat"], a["lon"]), (b["lat"], b["lon"]), variant)
        assert leg.length_km == pytest.approx(row["distance_km"], rel=0.01), edge_id


def test_unknown_sea_variant_is_refused():
    with pytest.raises(DataError, match="variant"):
        sea_leg(SHANGHAI, ROTTERDAM, "northeast")
