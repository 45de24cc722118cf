"""``middlepower corridor ...``: routes, comparisons, capacity, scenarios, transit and maps.

Each command parses options, calls one library function, prints a rich table and a one-line
summary. Library errors (DataError, SpecError) propagate to the main CLI, which prints them on one
line and exits non-zero.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import DbOption, console, out_option, table

app = typer.Typer(name="corridor", add_completion=False,
                  help="The Eurasian freight network: Middle Corridor, Northern Corridor, sea routes.",
                  no_args_is_help=True)

VIA_HELP = "Corridor: middle (Trans-Caspian), northern (Russia-Belarus), suez or cape (sea)."
FromOption = Annotated[str, typer.Option("--from", help="Origin node id or name, e.g. \"Xi'an\".")]
ToOption = Annotated[str, typer.Option("--to", help="Destination node id or name, e.g. Duisburg.")]


def _api():
    # Imported on first use so that `middlepower --help` and other commands start fast.
    from middlepower.corridor import api

    return api


def _table(frame, title: str, columns: list[str]):
    return table(frame, title, columns=columns, fold=True)


@app.command()
def route(
    origin: FromOption,
    destination: ToOption,
    via: Annotated[str, typer.Option("--via", help=VIA_HELP)] = "middle",
    sources: Annotated[bool, typer.Option("--sources/--no-sources", help="Print the source of each figure.")] = True,
) -> None:
    """Distance, time (moving + dwell), cost where known and sources, segment by segment."""
    result = _api().route(origin, destination, via)
    seg = result.segments.assign(time_h=result.segments["moving_time_h"].round(1))
    console().print(_table(seg, f"{result.origin} → {result.destination} via {via}",
                         ["edge_id", "from", "to", "mode", "distance_km", "distance_basis", "time_h",
                          "time_basis", "dwell_at_to_h", "capacity_teu_per_year", "cost_value", "cost_unit"]))
    if sources:
        console().print(_table(seg, "Sources", ["edge_id", "distance_source", "time_source", "dwell_source"]))
    s = result.summary()
    unknown = f"; dwell not known at {s['dwell_unknown_at']}" if s["dwell_unknown_at"] else ""
    cost = "" if math.isnan(s["cost_usd_per_feu_known"]) else f" (USD {s['cost_usd_per_feu_known']:,.0f}/FEU on those)"
    console().print(f"{via}: {s['distance_km']:,.0f} km, {s['time_days']:.1f} days "
                     f"({s['moving_days']:.1f} moving + {s['dwell_days']:.1f} dwell), "
                     f"{s['gauge_changes']} gauge and {s['mode_changes']} mode changes, "
                     f"cost known for {s['cost_segments_known']} segments{cost}{unknown}")


@app.command()
def compare(
    origin: FromOption = "CN_XIAN",
    destination: ToOption = "DE_DUISBURG",
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws for the 5-95 % time interval (0: none).")]
    = 10_000,
) -> None:
    """All four alternatives in one table, beside the published transit times."""
    frame = _api().compare(origin, destination, draws=draws)
    interval = ["p05_days", "p95_days"] if draws > 0 else []
    console().print(_table(frame, f"{origin} → {destination}: alternatives",
                         ["corridor", "distance_km", "time_days", *interval, "moving_days", "dwell_days",
                          "published_days", "published_source", "status"]))
    console().print(_table(frame, "Paths", ["corridor", "path"]))
    ok = frame[frame["status"] == "ok"]
    fastest = ok.loc[ok["time_days"].idxmin()] if len(ok) else None
    console().print(
        f"{len(ok)} of {len(frame)} corridors routed"
        + (f"; fastest: {fastest['corridor']} at {fastest['time_days']:.1f} days" if fastest is not None else "")
    )


@app.command()
def capacity(
    origin: FromOption = "CN_XIAN",
    destination: ToOption = "DE_DUISBURG",
) -> None:
    """Maximum flow (TEU/yr westbound) and the binding minimum cut per corridor; utilisation by year."""
    frame = _api().capacity(origin, destination)
    console().print(
        _table(
            frame,
            "Maximum flow and bottleneck",
            ["corridor", "max_flow_teu_per_year", "bottleneck", "bottleneck_names", "caspian_binds"],
        )
    )
    use = _api().utilisation(origin, destination)
    console().print(
        _table(
            use,
            "Utilisation from observed volumes",
            ["corridor", "year", "volume_teu", "direction", "max_flow_teu_per_year", "utilisation", "source"],
        )
    )
    middle = frame.set_index("corridor").loc["middle"]
    console().print(
        f"Middle Corridor max flow {middle['max_flow_teu_per_year']:,.0f} TEU/yr, bound by {middle['bottleneck_names']}"
    )


@app.command()
def scenario(
    file: Annotated[
        str,
        typer.Argument(
            help="Scenario YAML file, or a shipped one: roadmap, baku_phase2, "
            "pre_roadmap_2022, caspian_x2, suez_closure, northern_sanctions."
        ),
    ],
    draws: Annotated[
        int | None,
        typer.Option("--draws", help="Monte Carlo draws (default: the file's, else 10,000).", show_default=False),
    ] = None,
) -> None:
    """Before/after table of time (with Monte Carlo interval), capacity and bottleneck."""
    spec = _api().load_scenario(file, draws=draws)
    from rich.progress import Progress

    with Progress(console=console(), transient=True) as progress:
        task = progress.add_task(f"{spec.name}: {spec.draws:,} draws per corridor", total=2 * len(spec.corridors))
        frame = _api().run_scenario(spec, progress=lambda _: progress.advance(task, 2))
    console().print(
        _table(
            frame,
            spec.name,
            [
                "corridor",
                "time_days_before",
                "time_days_after",
                "p05_days_after",
                "p95_days_after",
                "max_flow_teu_per_year_before",
                "max_flow_teu_per_year_after",
                "bottleneck_before",
                "bottleneck_after",
                "status_after",
            ],
        )
    )
    moved = frame.loc[frame["bottleneck_moved"], "corridor"].tolist()
    console().print(
        f"{spec.name}: {len(spec.changes)} changes, {spec.draws:,} draws; bottleneck moved on: "
        f"{', '.join(moved) or 'none'}"
    )


@app.command()
def transit(year: Annotated[int, typer.Option("--year", help="Year of the observed volumes.")] = 2024) -> None:
    """Transit centrality per country (flow-weighted betweenness on the land corridors)."""
    frame = _api().transit_centrality(year)
    console().print(_table(frame, f"Transit centrality {year}", ["iso3", "transit_flow_teu", "transit_centrality"]))
    console().print(f"{len(frame)} transit countries in {year}")


@app.command("map")
def draw_map(
    out: Annotated[Path, out_option("Output file: .png or .html.")] = Path("corridors.png"),
    year: Annotated[int, typer.Option("--year", help="Year of the volumes used for utilisation colours.")] = 2024,
    db: DbOption = None,
) -> None:
    """Draw the corridors on a world basemap coloured by utilisation (PNG or interactive HTML).

    The basemap is read from the store (Natural Earth 1:110m)."""
    path = _api().draw_map(out, year, db=db)
    console().print(f"map written to {path}")
