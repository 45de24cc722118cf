"""The corridor's upstream files come through the source registry, checksummed, and are read from the store."""

import pytest

from middlepower import sources, warehouse
from middlepower.corridor.maps import basemap
from middlepower.corridor.railgraph import rail_distance_km


@pytest.mark.parametrize("name", ["scgraph_railway_nodes", "scgraph_railway_edges", "natural_earth_countries_110m"])
def test_reference_sources_are_store_tables_with_their_declared_columns(name, store_path):
    source = sources.get(name)
    with warehouse.open_store(store_path) as store:
        frame = store.query(f"SELECT * FROM {name}")
    assert list(source.columns) == [c for c in frame.columns if c in source.columns] and len(frame) > 1000


def test_basemap_from_the_store_holds_kazakhstan_and_azerbaijan(store_path):
    countries = set(basemap(store_path)["iso3"])
    assert {"KAZ", "AZE", "GEO", "TUR", "CHN", "DEU"} <= countries


def test_rail_graph_distance_agrees_with_published_dostyk_moyynty_line(store_path):
    # Dostyk-Moyynty is 836 km (railways.kz); corridor.md reports the OSM graph gives ~821 km.
    dostyk, moyynty = (45.2522, 82.4839), (47.21968, 73.35437)
    assert rail_distance_km(dostyk, moyynty, db=store_path) == pytest.approx(836, rel=0.03)
