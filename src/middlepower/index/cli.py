"""``middlepower index ...``: run a spec, its uncertainty analysis or its sensitivity analysis.

A thin face over :mod:`middlepower.index`: parse, call one library function, print a table and a
one-line summary. Bad input surfaces as SpecError / DataError, which the main CLI turns into a
one-line message and an exit code.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from middlepower import limits
from middlepower.terminal import (
    AllOption,
    Col,
    DbOption,
    FormatOption,
    console,
    deliver,
    out_option,
    rows_shown,
    show,
    table_output,
    top_option,
    top_rows,
)

app = typer.Typer(name="index", add_completion=False,
                  help="Composite indicators: run an index spec, its uncertainty and "
                  "sensitivity analysis.", no_args_is_help=True)

SPEC_HELP = "Index spec (.toml/.yaml), or with --coinr the COINr iMeta table (.csv/.xlsx)."
DATA_HELP = ("Data: one row per unit (and year), one column per indicator (.csv, .parquet, .xlsx); "
             "default: the store's panel view (units iso3, years).")
SpecArgument = Annotated[Path, typer.Argument(help=SPEC_HELP)]
DataOption = Annotated[Path | None, typer.Option("--data", help=DATA_HELP, show_default=False)]
YearShown = Annotated[str | None, typer.Option(help="Year to show (default: the latest).", show_default=False)]
UNITS_TOP = 15
"""Units ``index run`` and ``index uncertainty`` list without --top."""
TopOption = Annotated[int | None, top_option(UNITS_TOP, "units")]
SeedOption = Annotated[int, typer.Option(help="Random seed.")]
CoinrOption = Annotated[bool, typer.Option("--coinr", help="SPEC is a COINr iMeta table and --data its iData.")]
GroupOption = Annotated[str | None, typer.Option(
    "--group", help="With --coinr: the iMeta Group column to impute by (default: the first).", show_default=False)]
DenominateOption = Annotated[bool, typer.Option(
    "--denominate", help="With --coinr: divide each indicator by its iMeta Denominator column (COINr's Denominate).")]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", show_default=False,
    help="Run the replications on the Dask cluster at this address, e.g. tcp://host:8786 (default: "
    "$MIDDLEPOWER_SCHEDULER, else this process's threads); 'synchronous' runs them one by one in-process.")]
ClusterOption = Annotated[bool, typer.Option(
    "--cluster", help="Run the replications on a Dask LocalCluster of this machine, started for the command.")]
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", min=1, max=limits.WORKERS.value, show_default=False,
    help="With --cluster: worker processes (default: CPUs).")]
SettingsOption = Annotated[Path | None, typer.Option(
    "--settings", show_default=False,
    help="With --coinr: a TOML/YAML file of methods, levels, uncertain inputs, group and denominate "
    "(default: COINr's defaults and its example uncertain inputs).")]


def read_table(path: Path, what: str = "data"):
    """Return the data file at ``path`` as a DataFrame (:func:`middlepower.index.datafile.read_table`)."""
    from middlepower.index.datafile import read_table as read

    return read(path, what)


def load(spec_path: Path, data_path: Path | None, coinr: bool, db: Path | None = None, group: str | None = None,
         denominate: bool = False, settings: Path | None = None):
    """Return (spec, data): the data file, or the store's panel view when no file is given; with
    ``coinr`` the COINr tables, built with ``settings`` (a file), ``group`` and ``denominate``."""
    from middlepower.index.coinr import read_coinr, read_coinr_settings
    from middlepower.index.spec import load_spec

    if not coinr and (group is not None or denominate or settings is not None):
        raise typer.BadParameter("--group, --denominate and --settings need --coinr")
    if coinr and data_path is None:
        from middlepower.errors import SpecError

        raise SpecError("--coinr: give the COINr iData table with --data")
    if data_path is None:
        from middlepower import panel

        data = panel.select(1816, 2100, db=db)
    else:
        data = read_table(data_path)
    if coinr:
        options = read_coinr_settings(settings) if settings is not None else {}
        if group is not None:
            options["group"] = group
        if denominate:
            options["denominate"] = True
        return read_coinr(data, read_table(spec_path, "iMeta"), **options)
    return load_spec(spec_path), data


@contextlib.contextmanager
def _naming(spec_path: Path, data_path: Path | None):
    """Errors the engine raises about the spec or the data name the file they came from."""
    from middlepower.errors import DataError, SpecError
    from middlepower.specfile import about

    with about(spec_path, SpecError), (contextlib.nullcontext() if data_path is None else about(data_path, DataError)):
        yield


@contextlib.contextmanager
def _runner(scheduler: str | None, local_cluster: bool, workers: int | None):
    """Yield (mapper, where) for --scheduler, --cluster and --workers (see
    :func:`middlepower.index.blocks.block_mapper`), with a status line while a cluster starts."""
    from middlepower import cluster
    from middlepower.index.blocks import block_mapper

    if local_cluster and scheduler is not None:
        raise typer.BadParameter("--cluster and --scheduler: choose one")
    if workers is not None and not local_cluster:
        raise typer.BadParameter("--workers needs --cluster")
    with contextlib.ExitStack() as stack:
        with console(stderr=True).status("connecting to Dask"):
            pair = stack.enter_context(block_mapper(cluster.LOCAL if local_cluster else scheduler, workers=workers))
        yield pair


def _label(year: object) -> str:
    """A result's year as typed on the command line: 2022, not 2022.0."""
    return str(year).removesuffix(".0")


def _pick_year(frame, year: str | None):
    from middlepower.errors import DataError

    years = frame["year"].dropna().unique()
    if len(years) == 0:
        return frame, None
    chosen = max(years) if year is None else next((y for y in years if _label(y) == year.strip()), None)
    if chosen is None:
        labels = sorted(_label(y) for y in years)
        shown = ", ".join(labels) if len(labels) <= 8 else f"{labels[0]} to {labels[-1]}, {len(labels)} years"
        raise DataError(f"--year {year!r}: not a year of the results ({shown})")
    return frame[frame["year"] == chosen], chosen


def _cols(frame) -> list[Col]:
    """Every column of ``frame``: numbers with 4 decimals, ranks and counts as integers."""
    cols = []
    for name in frame.columns:
        kind = frame[name].dtype.kind
        if name == "year":
            cols.append(Col(name, fmt=lambda r: "" if r["year"] != r["year"] else _label(r["year"])))
        elif kind in "iu" or "rank" in name:
            cols.append(Col(name, name.replace("_", " "), digits=0 if kind in "iu" else 1))
        elif kind == "f":
            cols.append(Col(name, name.replace("_", " "), digits=4))
        else:
            cols.append(Col(name, wrap=True))
    return cols


@app.command("run")
def run_command(
    spec: SpecArgument,
    data: DataOption = None,
    coinr: CoinrOption = False,
    group: GroupOption = None,
    denominate: DenominateOption = False,
    settings: SettingsOption = None,
    node: Annotated[str | None, typer.Option(help="Node to show (default: the index).", show_default=False)]
    = None,
    year: YearShown = None,
    top: TopOption = None,
    show_all: AllOption = False,
    out: Annotated[Path | None, out_option("Write all scores (unit, year, node, level, score, rank) here: .csv, "
                                           ".parquet or .json.")] = None,
    fmt: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Evaluate a spec on every unit and year; show one node's ranking."""
    from middlepower.index.pipeline import check_node, run

    limit = rows_shown(top, show_all, UNITS_TOP)
    output = table_output(out, fmt)
    spec_obj, frame = load(spec, data, coinr, db, group, denominate, settings)
    if node is not None:
        check_node(spec_obj, node, "node")
    with _naming(spec, data):
        result = run(spec_obj, frame)
    shown, chosen = _pick_year(result.scores[result.scores["node"] == (node or spec_obj.root)], year)
    shown = shown.sort_values("rank", na_position="last")[["unit", "year", "score", "rank"]]
    rows, cut = top_rows(shown, limit)
    units, years, _ = result.panel.shape
    nodes, scored = len(result.plan.node_codes), result.scores.dropna(subset=["score"])["node"].nunique()
    summary = (f"{spec_obj.name}: {units} units x {years} years x {len(spec_obj.indicators)} indicators, "
               + (f"{nodes} nodes scored" if scored == nodes else f"{scored} of {nodes} nodes have a score"))
    deliver(output, {"scores": result.scores}, "scores",
            lambda screen: show(rows, _cols(rows), f"{spec_obj.name}: {node or spec_obj.root} ({chosen})", cut,
                                screen), summary)


@app.command("uncertainty")
def uncertainty_command(
    spec: SpecArgument,
    data: DataOption = None,
    coinr: CoinrOption = False,
    group: GroupOption = None,
    denominate: DenominateOption = False,
    settings: SettingsOption = None,
    n: Annotated[int, typer.Option("-n", "--replications", help="Monte Carlo replications.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (with the block size, it fixes every draw).")] = 0,
    year: YearShown = None,
    top: TopOption = None,
    show_all: AllOption = False,
    out: Annotated[Path | None, out_option("Write the whole result (every unit-year) here: .csv, .parquet or "
                                           ".json.")] = None,
    fmt: FormatOption = None,
    scheduler: SchedulerOption = None,
    local_cluster: ClusterOption = False,
    workers: WorkersOption = None,
    db: DbOption = None,
) -> None:
    """Monte Carlo over the spec's uncertainty entries: score and rank intervals per unit.

    Replications run in blocks of 500 on this process's threads, or on a Dask cluster (--scheduler,
    --cluster) with the same result for the same seed.
    """
    from middlepower.index.uncertainty_analysis import uncertainty

    limit = rows_shown(top, show_all, UNITS_TOP)
    output = table_output(out, fmt)
    spec_obj, frame = load(spec, data, coinr, db, group, denominate, settings)
    with _naming(spec, data), _runner(scheduler, local_cluster, workers) as (mapper, where):
        result = uncertainty(spec_obj, frame, n=n, seed=seed, progress=True, mapper=mapper)
    shown, chosen = _pick_year(result, year)
    columns = ["unit", "nominal_score", "nominal_rank", "median_rank", "rank_q05", "rank_q95", "score_q05", "score_q95"]
    rows, cut = top_rows(shown[columns], limit)
    summary = (f"{n} replications over {', '.join(result.attrs['inputs'])} on {where}; median width of the 5-95 % "
               f"rank interval {float((shown.rank_q95 - shown.rank_q05).median()):.1f}")
    deliver(output, {"uncertainty": result}, "uncertainty",
            lambda screen: show(rows, _cols(rows), f"{spec_obj.name}: uncertainty ({chosen})", cut, screen), summary)


@app.command("sensitivity")
def sensitivity_command(
    spec: SpecArgument,
    data: DataOption = None,
    coinr: CoinrOption = False,
    group: GroupOption = None,
    denominate: DenominateOption = False,
    settings: SettingsOption = None,
    n: Annotated[int, typer.Option("-n", "--base-samples", help="Saltelli base samples (power of two).")] = 256,
    output: Annotated[str, typer.Option(help="rank | score | mean_abs_rank_shift")] = "mean_abs_rank_shift",
    unit: Annotated[str | None, typer.Option(help="Unit whose rank or score is the output.", show_default=False)]
    = None,
    year: Annotated[str | None, typer.Option(help="Year of that unit's rank or score.", show_default=False)]
    = None,
    seed: Annotated[int, typer.Option(help="Random seed (scrambling, weight sets, bootstrap).")] = 0,
    boot: Annotated[int, typer.Option(help="Bootstrap resamples for the 95 % intervals.")] = 200,
    out: Annotated[Path | None, out_option("Write the indices here: .csv, .parquet or .json.")] = None,
    fmt: FormatOption = None,
    scheduler: SchedulerOption = None,
    local_cluster: ClusterOption = False,
    workers: WorkersOption = None,
    db: DbOption = None,
) -> None:
    """First-order and total Sobol indices of an output for each uncertain input.

    The n (d + 2) runs are evaluated in blocks on this process's threads, or on a Dask cluster
    (--scheduler, --cluster) with the same indices.
    """
    from middlepower.index.sensitivity_analysis import sensitivity

    target = table_output(out, fmt)
    spec_obj, frame = load(spec, data, coinr, db, group, denominate, settings)
    with _naming(spec, data), _runner(scheduler, local_cluster, workers) as (mapper, where):
        result = sensitivity(spec_obj, frame, n=n, output=output, unit=unit, year=year, seed=seed,
                             n_boot=boot, progress=True, mapper=mapper)
    strongest = result.sort_values("ST", ascending=False).iloc[0]
    summary = (f"{result.attrs['runs']} runs on {where}; largest total effect: {strongest['input']} "
               f"(ST {strongest['ST']:.2f})" if result.attrs["output_varies"] else
               f"{result.attrs['runs']} runs on {where}; the output does not vary across them, so its "
               "Sobol indices are undefined (NaN)")
    deliver(target, {"sobol": result}, "sobol",
            lambda screen: show(result, _cols(result), f"{spec_obj.name}: Sobol indices of {output}",
                                "S1 = first-order index, ST = total index", screen), summary)


sensitivity_command.library_names = {"n_boot": "boot"}  # the library's parameter -> this command's option
