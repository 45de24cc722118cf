"""Routes and comparisons, checked against corridor.md's hand totals and published times."""

import pandas as pd
import pytest

from middlepower.corridor.network import data_dir, load_network
from middlepower.corridor.routes import compare, find_node, route
from middlepower.corridor.scenario import apply_changes
from middlepower.errors import DataError


@pytest.fixture(scope="module")
def net():
    return load_network()


def test_compare_xian_duisburg_lists_four_alternatives_with_time_distance_and_sources(net):
    table = compare(net, "Xi'an", "Duisburg")
    assert list(table["corridor"]) == ["middle", "northern", "suez", "cape"]
    assert (table["status"] == "ok").all()
    assert (table["distance_km"] > 0).all() and (table["time_days"] > 0).all()
    assert table["published_source"].notna().all()


def test_land_route_distances_match_corridor_md_hand_totals(net):
    # corridor.md section 11: MC via BTK-Tuerkiye-Kapikule ~12,300 km, NC ~9,330 km (border links 0).
    middle = route(net, "CN_XIAN", "DE_DUISBURG", "middle").summary()
    northern = route(net, "CN_XIAN", "DE_DUISBURG", "northern").summary()
    assert "TR_KAPIKULE" in middle["path"]
    assert middle["distance_km"] == pytest.approx(12_300, abs=100)
    assert northern["distance_km"] == pytest.approx(9_330, abs=100)


def test_gauge_changes_match_the_counts_in_the_research_notes(net):
    # corridor.md section 2: MC via Tuerkiye 2 (CN->KZ, Akhalkalaki); NC 2 (CN->KZ, BY->PL); sea 0.
    counts = {via: route(net, "CN_XIAN", "DE_DUISBURG", via).summary()["gauge_changes"]
              for via in ("middle", "northern", "suez")}
    assert counts == {"middle": 2, "northern": 2, "suez": 0}


def test_middle_route_crosses_the_caspian_by_ferry(net):
    seg = route(net, "CN_XIAN", "DE_DUISBURG", "middle").segments
    assert (seg["mode"] == "ferry").sum() == 1


def test_xian_to_baku_time_is_near_the_published_pilot_train(net):
    # Xi'an -> Baku 8-11 days (seanews.ru 2024-03-12; vestikavkaza.ru 2024-09-21).
    days = route(net, "CN_XIAN", "AZ_ALAT", "middle").summary()["time_days"]
    assert 8 <= days <= 12.5


def test_every_segment_names_the_source_of_its_distance_or_time(net):
    for via in ("middle", "northern", "suez", "cape"):
        seg = route(net, "CN_XIAN", "DE_DUISBURG", via).segments
        has_source = seg["distance_source"].fillna("").ne("") | seg["time_source"].fillna("").ne("")
        assert has_source.all(), via


def test_route_through_a_missing_node_names_it(net):
    with pytest.raises(DataError, match="'Samarkand'"):
        route(net, "Samarkand", "Duisburg")


def test_route_to_the_same_node_is_an_error(net):
    with pytest.raises(DataError, match="itself"):
        route(net, "Duisburg", "DE_DUISBURG")


def test_unknown_corridor_is_named(net):
    with pytest.raises(DataError, match="'arctic'"):
        route(net, "CN_XIAN", "DE_DUISBURG", "arctic")


def test_ambiguous_node_name_is_an_error(net):
    with pytest.raises(DataError, match="ambiguous"):
        find_node(net, "port")


def test_zero_capacity_on_the_only_path_gives_an_error_naming_the_edge(net):
    closed = apply_changes(net, [{"edge": "NC02", "close": True, "source": "test"}])
    with pytest.raises(DataError, match=r"NC02 \(capacity 0\)"):
        route(closed, "CN_XIAN", "DE_DUISBURG", "northern")


def _write_network(tmp_path, edit):
    edges = pd.read_csv(data_dir() / "edges.csv", dtype=str, keep_default_na=False)
    edit(edges)
    path = tmp_path / "edges.csv"
    edges.to_csv(path, index=False)
    return path


def test_negative_distance_is_rejected_naming_edge_and_field(tmp_path):
    def edit(edges):
        edges.loc[edges["edge_id"] == "MC02", "distance_km"] = "-3128"
    with pytest.raises(DataError, match="edge MC02: distance_km"):
        load_network(edges_path=_write_network(tmp_path, edit))


def test_unknown_capacity_unit_is_rejected_naming_edge(tmp_path):
    def edit(edges):
        edges.loc[edges["edge_id"] == "MC10", "capacity_unit"] = "boxes/week"
    with pytest.raises(DataError, match="edge MC10: capacity_unit"):
        load_network(edges_path=_write_network(tmp_path, edit))


def test_edge_to_an_unknown_node_is_rejected(tmp_path):
    def edit(edges):
        edges.loc[edges["edge_id"] == "MC10", "to"] = "AZ_NOWHERE"
    with pytest.raises(DataError, match="edge MC10: to node 'AZ_NOWHERE'"):
        load_network(edges_path=_write_network(tmp_path, edit))


def test_text_in_a_numeric_field_is_rejected(tmp_path):
    def edit(edges):
        edges.loc[edges["edge_id"] == "MC05", "distance_km"] = "about 800"
    with pytest.raises(DataError, match="edge MC05: distance_km"):
        load_network(edges_path=_write_network(tmp_path, edit))
