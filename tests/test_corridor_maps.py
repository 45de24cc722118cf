"""Maps are written offline as PNG and as self-contained HTML with sourced tooltips."""

import pytest

from middlepower.corridor import draw_map, network
from middlepower.corridor.maps import edge_utilisation
from middlepower.errors import DataError


def test_png_and_html_maps_are_written(tmp_path, store_path):
    png = draw_map(tmp_path / "c.png", 2024, db=store_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = draw_map(tmp_path / "c.html", 2024, db=store_path).read_text(encoding="utf-8")
    assert "<svg" in page and "MC10" in page and "sia.az" in page and "http" not in page.split("<svg")[0]


def test_edge_colours_use_corridor_utilisation_and_grey_for_unknown():
    use = edge_utilisation(network(), 2024)
    assert use["MC10"] == pytest.approx(55_000 / 100_000)
    assert use["SEA01"] != use["SEA01"]  # NaN: no sea volume in the data


def test_other_map_formats_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"\.png or \.html"):
        draw_map(tmp_path / "c.pdf")
