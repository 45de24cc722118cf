"""``middlepower corridor ...``: routes, comparisons, capacity, scenarios, transit and maps.

Each command parses options, calls one library function, prints a rich table and a one-line
summary. Library errors (DataError, SpecError) propagate to the main CLI, which prints them on one
line and exits non-zero.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

app = typer.Typer(help="The Eurasian freight network: Middle Corridor, Northern Corridor, sea routes.",
                  no_args_is_help=True)


def _api():
    # Imported on first use so that `middlepower --help` and other commands start fast.
    from middlepower.corridor import api

    return api


def _console() -> Console:
    # Made per command so the width follows the terminal (or COLUMNS) of each call.
    return Console()

VIA_HELP = "Corridor: middle (Trans-Caspian), northern (Russia-Belarus), suez or cape (sea)."


def mount(parent: typer.Typer) -> None:
    """Attach the corridor commands to the main CLI as ``middlepower corridor``."""
    parent.add_typer(app, name="corridor")


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return "∞" if math.isinf(value) else f"{value:,.1f}"
    return str(value)


def _table(frame: pd.DataFrame, title: str, columns: list[str]) -> Table:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for _, row in frame.iterrows():
        table.add_row(*[_fmt(row.get(column)) for column in columns])
    return table


@app.command()
def route(
    origin: str = typer.Option(..., "--from", help="Origin node id or name, e.g. \"Xi'an\"."),
    destination: str = typer.Option(..., "--to", help="Destination node id or name, e.g. Duisburg."),
    via: str = typer.Option("middle", "--via", help=VIA_HELP),
    sources: bool = typer.Option(True, "--sources/--no-sources", help="Print the source of each figure."),
) -> None:
    """Distance, time (moving + dwell), cost where known and sources, segment by segment."""
    result = _api().route(origin, destination, via)
    seg = result.segments.assign(time_h=result.segments["moving_time_h"].round(1))
    _console().print(_table(seg, f"{result.origin} → {result.destination} via {via}",
                         ["edge_id", "from", "to", "mode", "distance_km", "distance_basis", "time_h",
                          "time_basis", "dwell_at_to_h", "capacity_teu_per_year", "cost_value", "cost_unit"]))
    if sources:
        _console().print(_table(seg, "Sources", ["edge_id", "distance_source", "time_source", "dwell_source"]))
    s = result.summary()
    unknown = f"; dwell not known at {s['dwell_unknown_at']}" if s["dwell_unknown_at"] else ""
    cost = "" if math.isnan(s["cost_usd_per_feu_known"]) else f" (USD {s['cost_usd_per_feu_known']:,.0f}/FEU on those)"
    _console().print(f"{via}: {s['distance_km']:,.0f} km, {s['time_days']:.1f} days "
                     f"({s['moving_days']:.1f} moving + {s['dwell_days']:.1f} dwell), "
                     f"{s['gauge_changes']} gauge and {s['mode_changes']} mode changes, "
                     f"cost known for {s['cost_segments_known']} segments{cost}{unknown}")


@app.command()
def compare(
    origin: str = typer.Option("CN_XIAN", "--from", help="Origin node id or name."),
    destination: str = typer.Option("DE_DUISBURG", "--to", help="Destination node id or name."),
    draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws for the 5-95 % time interval (0: none)."),
) -> None:
    """All four alternatives in one table, beside the published transit times."""
    frame = _api().compare(origin, destination, draws=draws)
    interval = ["p05_days", "p95_days"] if draws > 0 else []
    _console().print(_table(frame, f"{origin} → {destination}: alternatives",
                         ["corridor", "distance_km", "time_days", *interval, "moving_days", "dwell_days",
                          "published_days", "published_source", "status"]))
    _console().print(_table(frame, "Paths", ["corridor", "path"]))
    ok = frame[frame["status"] == "ok"]
    fastest = ok.loc[ok["time_days"].idxmin()] if len(ok) else None
    _console().print(f"{len(ok)} of {len(frame)} corridors routed"
                  + (f"; fastest: {fastest['corridor']} at {fastest['time_days']:.1f} days" if fastest is not None else ""))


@app.command()
def capacity(
    origin: str = typer.Option("CN_XIAN", "--from"), destination: str = typer.Option("DE_DUISBURG", "--to"),
) -> None:
    """Maximum flow (TEU/yr westbound) and the binding minimum cut per corridor; utilisation by year."""
    frame = _api().capacity(origin, destination)
    _console().print(_table(frame, "Maximum flow and bottleneck",
                         ["corridor", "max_flow_teu_per_year", "bottleneck", "bottleneck_names", "caspian_binds"]))
    use = _api().utilisation(origin, destination)
    _console().print(_table(use, "Utilisation from observed volumes",
                         ["corridor", "year", "volume_teu", "direction", "max_flow_teu_per_year", "utilisation", "source"]))
    middle = frame.set_index("corridor").loc["middle"]
    _console().print(f"Middle Corridor max flow {middle['max_flow_teu_per_year']:,.0f} TEU/yr, bound by {middle['bottleneck_names']}")


@app.command()
def scenario(
    file: str = typer.Argument(..., help="Scenario YAML file, or a shipped one: roadmap, baku_phase2, "
                               "pre_roadmap_2022, caspian_x2, suez_closure, northern_sanctions."),
    draws: int = typer.Option(None, "--draws", help="Monte Carlo draws (default: the file's, else 10,000)."),
) -> None:
    """Before/after table of time (with Monte Carlo interval), capacity and bottleneck."""
    spec = _api().load_scenario(file, draws=draws)
    with Progress(console=_console(), transient=True) as progress:
        task = progress.add_task(f"{spec.name}: {spec.draws:,} draws per corridor", total=2 * len(spec.corridors))
        frame = _api().run_scenario(spec, progress=lambda _: progress.advance(task, 2))
    _console().print(_table(frame, spec.name,
                         ["corridor", "time_days_before", "time_days_after", "p05_days_after", "p95_days_after",
                          "max_flow_teu_per_year_before", "max_flow_teu_per_year_after",
                          "bottleneck_before", "bottleneck_after", "status_after"]))
    moved = frame.loc[frame["bottleneck_moved"], "corridor"].tolist()
    _console().print(f"{spec.name}: {len(spec.changes)} changes, {spec.draws:,} draws; bottleneck moved on: "
                  f"{', '.join(moved) or 'none'}")


@app.command()
def transit(year: int = typer.Option(2024, "--year", help="Year of the observed volumes.")) -> None:
    """Transit centrality per country (flow-weighted betweenness on the land corridors)."""
    frame = _api().transit_centrality(year)
    _console().print(_table(frame, f"Transit centrality {year}", ["iso3", "transit_flow_teu", "transit_centrality"]))
    _console().print(f"{len(frame)} transit countries in {year}")


@app.command("map")
def draw_map(
    out: Path = typer.Option(Path("corridors.png"), "--out", help="Output file: .png or .html."),
    year: int = typer.Option(2024, "--year", help="Year of the volumes used for utilisation colours."),
) -> None:
    """Draw the corridors on a world basemap coloured by utilisation (PNG or interactive HTML)."""
    path = _api().draw_map(out, year)
    _console().print(f"map written to {path}")
