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

from middlepower.terminal import (
    Col,
    DbOption,
    FormatOption,
    OutOption,
    console,
    deliver,
    number,
    out_option,
    plural,
    progress_bar,
    show,
    table_output,
)

app = typer.Typer(name="corridor", add_completion=False,
                  help="The Eurasian freight network: Middle Corridor, Northern Corridor, sea routes.",
                  no_args_is_help=True)

VIA_HELP = "Corridor: middle (Trans-Caspian), northern (Russia-Belarus), suez or cape (sea)."
FromOption = Annotated[str, typer.Option("--from", help="Origin node: a name or an id, e.g. \"Xi'an\" or CN_XIAN.")]
ToOption = Annotated[str, typer.Option("--to", help="Destination node: a name or an id, e.g. Duisburg.")]


def _api():
    # Imported on first use so that `middlepower --help` and other commands start fast.
    from middlepower.corridor import api

    return api


def _names(origin: str, destination: str) -> tuple[str, str, str]:
    """(origin id, destination id, ``Xi'an → Duisburg``) for node names or ids."""
    net = _api().network()
    start, end = _api().endpoints(net, origin, destination)
    return start, end, f"{net.node_label(start)} → {net.node_label(end)}"


def _flow(value) -> str:
    return "unbounded" if value == math.inf else number(value, 0)


@app.command()
def route(
    origin: FromOption,
    destination: ToOption,
    via: Annotated[str, typer.Option("--via", help=VIA_HELP)] = "middle",
    sources: Annotated[bool, typer.Option("--sources/--no-sources", help="Print the source of each figure.")] = True,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Distance, time (moving + dwell), cost where known and sources, segment by segment."""
    output = table_output(out, fmt)
    start, end, title = _names(origin, destination)
    result = _api().route(start, end, via)
    net = _api().network()
    seg = result.segments.assign(leg=[f"{net.node_label(a)} > {net.node_label(b)}"
                                      for a, b in zip(result.segments["from"], result.segments["to"], strict=True)])
    cols = [Col("edge_id", "edge"), Col("leg", wrap=True), Col("mode"), Col("distance_km", "km", digits=0),
            Col("moving_time_h", "hours", "moving time", digits=1),
            Col("dwell_at_to_h", "dwell h", "wait at the node entered", digits=1),
            Col("capacity_teu_per_year", "TEU/yr", "capacity", digits=0, drop=1),
            Col("cost_value", "cost", fmt=lambda r: "" if r["cost_value"] != r["cost_value"] else
                f"{number(r['cost_value'], 0)} {r['cost_unit']}", drop=2, wrap=True)]
    source_cols = [Col("edge_id", "edge"), Col("distance_source", "distance", wrap=True),
                   Col("time_source", "time", wrap=True), Col("dwell_source", "dwell", wrap=True, drop=1)]

    def draw(screen) -> None:
        show(seg, cols, f"{title} via {via}", screen=screen)
        if sources:
            show(seg, source_cols, "Sources", screen=screen)

    s = result.summary()
    unknown = f"; dwell not known at {s['dwell_unknown_at']}" if s["dwell_unknown_at"] else ""
    cost = "" if math.isnan(s["cost_usd_per_feu_known"]) else f" (USD {s['cost_usd_per_feu_known']:,.0f}/FEU on those)"
    summary = (f"{via}: {s['distance_km']:,.0f} km, {s['time_days']:.1f} days "
               f"({s['moving_days']:.1f} moving + {s['dwell_days']:.1f} dwell), "
               f"{s['gauge_changes']} gauge and {s['mode_changes']} mode changes, "
               f"cost known for {s['cost_segments_known']} segments{cost}{unknown}")
    deliver(output, {"segments": result.segments}, "segments", draw, summary)


def time_columns(suffix: str = "", header: str = "") -> list[Col]:
    """Typical time, then the simulated median with its 5-95 % interval (the note says why they differ)."""
    def interval(r: dict) -> str:
        if r.get(f"p05_days{suffix}") != r.get(f"p05_days{suffix}"):
            return "–"
        star = "*" if r.get(f"interval_note{suffix}") else ""
        return (f"{r[f'p50_days{suffix}']:.1f} [{r[f'p05_days{suffix}']:.1f}–{r[f'p95_days{suffix}']:.1f}]{star}")

    return [Col(f"time_days{suffix}", f"days{header}", "typical time: each leg's most likely time, summed", digits=1),
            Col(f"p50_days{suffix}", f"sim. days{header}", "Monte Carlo median [5-95 %]", fmt=interval)]


def _notes(frame, column: str) -> str:
    from middlepower.corridor.montecarlo import interval_notes

    notes = interval_notes(frame, column)
    return f"* {notes}" if notes else ""


@app.command()
def compare(
    origin: FromOption = "Xi'an",
    destination: ToOption = "Duisburg",
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws for the 5-95 % time interval (0: none).")]
    = 10_000,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """All four alternatives in one table, beside the published transit times."""
    output = table_output(out, fmt)
    start, end, title = _names(origin, destination)
    frame = _api().compare(start, end, draws=draws)
    cols = [Col("corridor"), Col("distance_km", "km", digits=0), *(time_columns() if draws > 0 else time_columns()[:1]),
            Col("dwell_days", "dwell", "days waiting at nodes (in days)", digits=1, drop=2),
            Col("published_days", "published", "published days (scope differs: see the source)"),
            Col("published_source", "source", wrap=True, drop=1),
            Col("status", drop=3, fmt=lambda r: "" if r["status"] == "ok" else r["status"], wrap=True)]

    def draw(screen) -> None:
        show(frame, cols, f"{title}: alternatives", _notes(frame, "interval_note") if draws > 0 else "", screen)
        show(frame, [Col("corridor"), Col("path_names", "path", wrap=True)], "Paths", screen=screen)

    ok = frame[frame["status"] == "ok"]
    fastest = ok.loc[ok["time_days"].idxmin()] if len(ok) else None
    summary = f"{len(ok)} of {len(frame)} corridors routed" + (
        f"; fastest: {fastest['corridor']} at {fastest['time_days']:.1f} days" if fastest is not None else "")
    deliver(output, {"compare": frame}, "compare", draw, summary)


@app.command()
def capacity(
    origin: FromOption = "Xi'an",
    destination: ToOption = "Duisburg",
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Maximum flow (TEU/yr westbound) and the binding minimum cut per corridor; utilisation by year."""
    output = table_output(out, fmt)
    start, end, title = _names(origin, destination)
    frame = _api().capacity(start, end)
    use = _api().utilisation(start, end)
    cols = [Col("corridor"), Col("max_flow_teu_per_year", "max TEU/yr", "maximum westbound flow",
                                 fmt=lambda r: _flow(r["max_flow_teu_per_year"])),
            Col("bottleneck_names", "binding element (minimum cut)", wrap=True),
            Col("caspian_binds", "Caspian", "the cut lies on the Caspian crossing", drop=1)]
    use_cols = [Col("corridor"), Col("year", fmt=lambda r: str(int(r["year"]))), Col("volume_teu", "TEU", digits=0),
                Col("direction"), Col("utilisation", "volume/max", "observed volume over modelled max flow", digits=2),
                Col("source", wrap=True, drop=1)]
    from middlepower.corridor.capacity import utilisation_notes

    notes = utilisation_notes(use)

    def draw(screen) -> None:
        show(frame, cols, f"{title}: maximum flow and bottleneck", screen=screen)
        show(use, use_cols, "Observed volumes against the modelled max flow", notes, screen)

    middle = frame.set_index("corridor").loc["middle"]
    summary = (f"Middle Corridor max flow {middle['max_flow_teu_per_year']:,.0f} TEU/yr, bound by "
               f"{middle['bottleneck_names']}")
    deliver(output, {"capacity": frame, "utilisation": use}, "capacity", draw, summary)


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
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Before/after table of time (with Monte Carlo interval), capacity and bottleneck."""
    output = table_output(out, fmt)
    spec = _api().load_scenario(file, draws=draws)
    with progress_bar() as progress:
        task = progress.add_task(f"{spec.name}: {spec.draws:,} draws per corridor", total=2 * len(spec.corridors))
        frame = _api().run_scenario(spec, progress=lambda _: progress.advance(task, 2))
    def flows(r: dict) -> str:
        return f"{_flow(r['max_flow_teu_per_year_before'])} > {_flow(r['max_flow_teu_per_year_after'])}"

    cols = [Col("corridor"),
            Col("time_days_after", "days", "typical time before > after (each leg's most likely time)",
                fmt=lambda r: f"{number(r['time_days_before'], 1)} > {number(r['time_days_after'], 1)}"),
            time_columns("_after")[1],
            Col("max_flow_teu_per_year_after", "max TEU/yr", "max flow before > after", fmt=flows),
            Col("bottleneck_names_after", "bottleneck", "binding element after the changes", wrap=True),
            Col("bottleneck_names_before", "before", wrap=True, drop=1),
            Col("status_after", "status", fmt=lambda r: "" if r["status_after"] == "ok" else r["status_after"],
                wrap=True, drop=2)]
    moved = frame.loc[frame["bottleneck_moved"], "corridor"].tolist()
    summary = (f"{spec.name}: {plural(len(spec.changes), 'change')}, {spec.draws:,} draws; bottleneck moved on: "
               f"{', '.join(moved) or 'none'}")
    deliver(output, {"scenario": frame}, "scenario",
            lambda screen: show(frame, cols, spec.name, _notes(frame, "interval_note_after"), screen), summary)


@app.command()
def transit(
    year: Annotated[int | None, typer.Option("--year", help="Year of the observed volumes (default: the last year with"
                                             " a volume for every land corridor).", show_default=False)] = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Transit centrality per country (flow-weighted betweenness on the land corridors).

    It needs an observed volume for every land corridor that year; another year is an error that names
    the years that have one."""
    output = table_output(out, fmt)
    year = _api().check_volume_year(year)
    frame = _api().transit_centrality(year)
    if frame.empty:  # the library's empty frame for such a year is a panel's NA; asked for alone, it is an error
        from middlepower.corridor.centrality import LAND_CORRIDORS, valued_years
        from middlepower.errors import DataError

        corridors, years = ", ".join(LAND_CORRIDORS), ", ".join(map(str, valued_years()))
        raise DataError(f"transit centrality needs an observed volume for every land corridor ({corridors}); the"
                        f" shipped volumes have one in {years}", parameter="year", value=year)
    from middlepower.corridor.centrality import mixed_directions_note

    cols = [Col("iso3"), Col("transit_flow_teu", "TEU", "observed volume on routes crossing it", digits=0),
            Col("transit_centrality", "centrality", "share of the land corridors' volume crossing it (0-1)", digits=2)]
    note = mixed_directions_note(year)
    deliver(output, {"transit": frame}, "transit",
            lambda screen: show(frame, cols, f"Transit centrality {year}", note, screen),
            f"{plural(len(frame), 'transit country', 'transit countries')} in {year}")


@app.command("map")
def draw_map(
    out: Annotated[Path, out_option("Output file: .png or .html (default: corridors.png in the working directory).")]
    = Path("corridors.png"),
    year: Annotated[int | None, typer.Option("--year", help="Year of the volumes used for utilisation colours (default:"
                                             " the last year with a volume for every land corridor).",
                                             show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Draw the corridors on a world basemap coloured by utilisation (PNG or interactive HTML).

    The basemap is read from the store (Natural Earth 1:110m)."""
    path = _api().draw_map(out, year, db=db)
    console().print(f"map written to {path}")
