"""Maps: the corridors on a Natural Earth basemap, coloured by utilisation, as PNG or HTML.

Utilisation is per corridor (observed volume of the year / maximum flow, :func:`capacity.utilisation`);
an edge shared by the Middle and Northern corridors gets their combined ratio. Edges with no
volume or capacity figure (sea routes, access legs) are grey. Rail and ferry edges are drawn as
straight lines between their nodes; sea edges follow searoute's marnet. The HTML is one
self-contained SVG with a hover tooltip on every edge and node (nothing is fetched at view time).
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import cm, colors  # noqa: E402

from middlepower.corridor.capacity import utilisation  # noqa: E402
from middlepower.corridor.network import Network  # noqa: E402
from middlepower.corridor.sea import sea_geometry  # noqa: E402
from middlepower.errors import DataError  # noqa: E402
from middlepower.warehouse import open_store  # noqa: E402

EXTENT = (-25.0, 128.0, -40.0, 62.0)  # lon min, lon max, lat min, lat max
SEA_VARIANT = {"SEA_SUEZ": "suez", "SEA_CAPE": "cape"}
LABEL_CORRIDORS = {"MC": ("middle",), "NC": ("northern",), "MC/NC": ("middle", "northern")}
NORM = colors.Normalize(vmin=0.0, vmax=1.5)
CMAP = matplotlib.colormaps["RdYlGn_r"]


def _coords(net: Network, node: str) -> tuple[float, float]:
    row = net.nodes.loc[node]
    lat = row["lat"] if not math.isnan(row["lat"]) else row["map_lat"]
    lon = row["lon"] if not math.isnan(row["lon"]) else row["map_lon"]
    return float(lat), float(lon)


def edge_utilisation(net: Network, year: int) -> dict[str, float]:
    """Return utilisation per edge id for ``year`` (NaN where no corridor figure applies)."""
    table = utilisation(net)
    table = table[table["year"] == year].set_index("corridor")
    out = {}
    for edge_id, label in net.edges["corridor"].items():
        names = [name for name in LABEL_CORRIDORS.get(label, ()) if name in table.index]
        if not names:
            out[edge_id] = math.nan
            continue
        volume = table.loc[names, "volume_teu"].sum()
        capacity = table.loc[names, "max_flow_teu_per_year"].sum()
        out[edge_id] = float(volume / capacity) if capacity and not math.isinf(capacity) else math.nan
    return out


def edge_lines(net: Network) -> dict[str, list[tuple[float, float]]]:
    """Return the (lon, lat) vertices to draw for each edge."""
    lines = {}
    for edge_id, row in net.edges.iterrows():
        a, b = _coords(net, row["from"]), _coords(net, row["to"])
        if any(math.isnan(value) for value in (*a, *b)):
            continue
        if row["mode"] == "sea":
            lines[edge_id] = list(sea_geometry(a, b, SEA_VARIANT.get(row["corridor"], "any")))
        else:
            lines[edge_id] = [(a[1], a[0]), (b[1], b[0])]
    return lines


def basemap(db: Path | str | None = None):
    """Return the Natural Earth 1:110m country rings from the store: iso3, name, ring, vertex, lon, lat."""
    with open_store(db) as store:
        return store.query("SELECT iso3, name, ring, vertex, lon, lat FROM natural_earth_countries_110m "
                           "ORDER BY iso3, ring, vertex")


def _colour(value: float) -> str:
    return "#9a9a9a" if math.isnan(value) else colors.to_hex(CMAP(NORM(value)))


def draw_png(net: Network, out: Path, year: int, db: Path | str | None = None) -> Path:
    """Write a PNG map of the corridors coloured by ``year``'s utilisation; return the path."""
    countries = basemap(db)
    use = edge_utilisation(net, year)
    fig, ax = plt.subplots(figsize=(14, 9.5), dpi=120)
    for _, ring in countries.groupby(["iso3", "ring"], sort=False):
        ax.fill(ring["lon"], ring["lat"], facecolor="#eeeae2", edgecolor="#b5b0a5", linewidth=0.4)
    for edge_id, line in edge_lines(net).items():
        lons, lats = zip(*line, strict=True)
        ax.plot(lons, lats, color=_colour(use[edge_id]), linewidth=2.2 if not math.isnan(use[edge_id]) else 1.2,
                solid_capstyle="round", zorder=3)
    for node in net.nodes.index:
        lat, lon = _coords(net, node)
        if not math.isnan(lat):
            ax.plot(lon, lat, "o", color="#222222", markersize=2.5, zorder=4)
            ax.annotate(net.node_label(node), (lon, lat), fontsize=5.5, xytext=(2, 2), textcoords="offset points")
    ax.set_xlim(EXTENT[0], EXTENT[1])
    ax.set_ylim(EXTENT[2], EXTENT[3])
    ax.set_aspect(1.25)
    ax.set_title(f"Eurasian freight corridors: utilisation {year} (observed TEU / max flow; grey = not known)")
    fig.colorbar(cm.ScalarMappable(norm=NORM, cmap=CMAP), ax=ax, shrink=0.6, label="utilisation")
    ax.text(
        0.01,
        0.01,
        "Basemap: Made with Natural Earth. Sea lanes: searoute 1.6.0. Figures: middlepower corridor data.",
        transform=ax.transAxes,
        fontsize=6,
    )
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out


def _xy(lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
    x = (lon - EXTENT[0]) / (EXTENT[1] - EXTENT[0]) * width
    y = (EXTENT[3] - lat) / (EXTENT[3] - EXTENT[2]) * height
    return round(x, 1), round(y, 1)


def _edge_tooltip(net: Network, edge_id: str, value: float) -> str:
    row = net.edges.loc[edge_id]
    parts = [
        f"{edge_id} {net.node_label(row['from'])} → {net.node_label(row['to'])} ({row['mode']}, {row['corridor']})",
        f"distance: {row['distance_km']:,.0f} km ({row['distance_basis']}: {row['distance_source']})"
        if not math.isnan(row["distance_km"])
        else "distance: not known",
        f"capacity: {row['capacity_teu_per_year']:,.0f} TEU/yr ({row['capacity_source']})"
        if not math.isnan(row["capacity_teu_per_year"])
        else "capacity: not known",
        f"corridor utilisation: {value:.0%}" if not math.isnan(value) else "utilisation: not known",
    ]
    return "\n".join(parts)


def draw_html(net: Network, out: Path, year: int, width: int = 1400, height: int = 930,
              db: Path | str | None = None) -> Path:
    """Write a self-contained HTML/SVG map with hover tooltips; return the path."""
    countries = basemap(db)
    use = edge_utilisation(net, year)
    body = []
    for _, ring in countries.groupby(["iso3", "ring"], sort=False):
        points = " ".join(
            "{},{}".format(*_xy(lon, lat, width, height)) for lon, lat in zip(ring["lon"], ring["lat"], strict=True)
        )
        body.append(
            f'<polygon class="land" points="{points}"><title>{html.escape(str(ring["name"].iloc[0]))}</title></polygon>'
        )
    for edge_id, line in edge_lines(net).items():
        points = " ".join("{},{}".format(*_xy(lon, lat, width, height)) for lon, lat in line)
        tip = html.escape(_edge_tooltip(net, edge_id, use[edge_id]))
        body.append(
            f'<polyline class="edge" points="{points}" stroke="{_colour(use[edge_id])}"><title>{tip}</title></polyline>'
        )
    for node in net.nodes.index:
        lat, lon = _coords(net, node)
        if math.isnan(lat):
            continue
        x, y = _xy(lon, lat, width, height)
        tip = html.escape(f"{net.nodes.at[node, 'name']} [{node}], coordinates: {net.nodes.at[node, 'coord_quality']}")
        body.append(
            f'<circle cx="{x}" cy="{y}" r="3"><title>{tip}</title></circle>'
            f'<text x="{x + 4}" y="{y - 4}">{html.escape(net.node_label(node))}</text>'
        )
    legend = " ".join(f'<span style="background:{_colour(v)}">&nbsp;{v:.0%}&nbsp;</span>' for v in (0, 0.5, 1.0, 1.5))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Eurasian freight corridors {year}</title>
<style>body{{font-family:sans-serif;margin:1em}} .land{{fill:#eeeae2;stroke:#b5b0a5;stroke-width:.5}}
.edge{{fill:none;stroke-width:3;stroke-linecap:round}} .edge:hover{{stroke-width:7}} text{{font-size:9px}}
svg{{background:#dfe9f2;border:1px solid #aaa}}</style></head><body>
<h1>Eurasian freight corridors: utilisation {year}</h1>
<p>Hover an edge for its figures and sources. Colour = observed volume / maximum flow of its corridor: {legend}
<span style="background:#9a9a9a">&nbsp;not known&nbsp;</span></p>
<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}">{"".join(body)}</svg>
<p>Basemap: Made with Natural Earth. Sea lanes: searoute 1.6.0 (Apache-2.0). Rail and ferry edges drawn straight.</p>
</body></html>"""
    out.write_text(page, encoding="utf-8")
    return out


def draw_map(net: Network, out: Path, year: int, db: Path | str | None = None) -> Path:
    """Write the map as PNG or HTML according to ``out``'s suffix (DataError for another suffix).

    The basemap comes from the store at ``db`` (default: the user's store)."""
    suffix = out.suffix.lower()
    if suffix == ".png":
        return draw_png(net, out, year, db=db)
    if suffix in {".html", ".htm"}:
        return draw_html(net, out, year, db=db)
    raise DataError(f"map output {out.name}: use a .png or .html file name")
