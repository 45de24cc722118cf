"""``middlepower index ...``: run a spec, its uncertainty analysis or its sensitivity analysis.

A thin face over :mod:`middlepower.index`: parse, call one library function, print a table and a
one-line summary. Bad input surfaces as SpecError / DataError, which the main CLI turns into a
one-line message and an exit code. Every command reads an index spec, or with ``--coinr`` a
COINr iMeta table (its ``--data`` then being the iData table). NumPy, pandas and the engine are
imported inside the commands, so ``--help`` and start-up stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

    from middlepower.index.spec import Spec

sub_app = typer.Typer(name="index", help="Composite indicators: run an index spec, its uncertainty and "
                      "sensitivity analysis.", no_args_is_help=True)

SPEC_HELP = "Index spec (.toml/.yaml), or with --coinr the COINr iMeta table (.csv/.xlsx)."
DATA_HELP = "Data: one row per unit (and year), one column per indicator (.csv, .parquet, .xlsx); with --coinr the iData table."
COINR_HELP = "SPEC is a COINr iMeta table and --data its iData table."
GROUP_HELP = "With --coinr: the iMeta Group column to impute by (default: the first)."
DENOMINATE_HELP = "With --coinr: divide each indicator by its iMeta Denominator column (COINr's Denominate)."
SETTINGS_HELP = ("With --coinr: a TOML/YAML file of methods, levels, uncertain inputs, group and denominate "
                 "(default: COINr's defaults and its example uncertain inputs).")


def mount(app: typer.Typer) -> None:
    """Add the ``index`` commands to the main CLI."""
    app.add_typer(sub_app, name="index")


def _console():
    from rich.console import Console

    return Console()


def read_table(path: Path) -> pd.DataFrame:
    import pandas as pd

    from middlepower.errors import DataError

    if not path.is_file():
        raise DataError(f"{path}: data file not found")
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix in (".xlsx", ".xls"):
        return pd.read_excel(path)
    return pd.read_csv(path)


def load(spec_path: Path, data_path: Path, coinr: bool, group: str | None = None, denominate: bool = False,
         settings: Path | None = None) -> tuple[Spec, pd.DataFrame]:
    """The spec and data of a command: a spec file and its data, or COINr tables (and settings)."""
    if not coinr:
        if group is not None or denominate or settings is not None:
            raise typer.BadParameter("--group, --denominate and --settings need --coinr")
        from middlepower.index.spec import load_spec

        return load_spec(spec_path), read_table(data_path)
    from middlepower.index.coinr import read_coinr, read_coinr_settings

    options = read_coinr_settings(settings) if settings is not None else {}
    if group is not None:
        options["group"] = group
    if denominate:
        options["denominate"] = True
    return read_coinr(read_table(data_path), read_table(spec_path), **options)


def _pick_year(frame: pd.DataFrame, year: str | None) -> tuple[pd.DataFrame, object]:
    from middlepower.errors import DataError

    years = frame["year"].dropna().unique()
    if len(years) == 0:
        return frame, None
    chosen = max(years) if year is None else next((y for y in years if str(y) == year), None)
    if chosen is None:
        raise DataError(f"year {year!r} not in the results")
    return frame[frame["year"] == chosen], chosen


def _write(frame: pd.DataFrame, out: Path | None) -> None:
    if out is not None:
        frame.to_parquet(out, index=False) if out.suffix == ".parquet" else frame.to_csv(out, index=False)


def _table(frame: pd.DataFrame, title: str, top: int) -> Table:
    from rich.table import Table

    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column), justify="left" if frame[column].dtype.kind not in "fiub" else "right")
    for row in frame.head(top).itertuples(index=False):
        table.add_row(*(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row))
    return table


SPEC_ARG = typer.Argument(..., help=SPEC_HELP)
DATA_OPT = typer.Option(..., "--data", help=DATA_HELP)
COINR_OPT = typer.Option(False, "--coinr", help=COINR_HELP)
GROUP_OPT = typer.Option(None, "--group", help=GROUP_HELP)
DENOMINATE_OPT = typer.Option(False, "--denominate", help=DENOMINATE_HELP)
SETTINGS_OPT = typer.Option(None, "--settings", help=SETTINGS_HELP)


@sub_app.command("run")
def run_command(
    spec: Path = SPEC_ARG,
    data: Path = DATA_OPT,
    coinr: bool = COINR_OPT,
    group: str | None = GROUP_OPT,
    denominate: bool = DENOMINATE_OPT,
    settings: Path | None = SETTINGS_OPT,
    node: str | None = typer.Option(None, help="Node to show (default: the index)."),
    year: str | None = typer.Option(None, help="Year to show (default: the latest)."),
    top: int = typer.Option(15, help="Rows to show."),
    out: Path | None = typer.Option(None, help="Write all scores (unit, year, node, level, score, rank) here."),
) -> None:
    """Evaluate a spec on every unit and year; show one node's ranking."""
    from middlepower.index.pipeline import run

    spec_obj, frame = load(spec, data, coinr, group, denominate, settings)
    result = run(spec_obj, frame)
    _write(result.scores, out)
    shown, chosen = _pick_year(result.scores[result.scores["node"] == (node or spec_obj.root)], year)
    shown = shown.sort_values("rank", na_position="last")[["unit", "year", "score", "rank"]]
    console = _console()
    console.print(_table(shown, f"{spec_obj.name}: {node or spec_obj.root} ({chosen})", top))
    units, years, _ = result.panel.shape
    console.print(f"{spec_obj.name}: {units} units x {years} years x {len(spec_obj.indicators)} indicators, "
                  f"{len(result.plan.node_codes)} nodes scored" + (f"; written to {out}" if out else ""))


@sub_app.command("uncertainty")
def uncertainty_command(
    spec: Path = SPEC_ARG,
    data: Path = DATA_OPT,
    coinr: bool = COINR_OPT,
    group: str | None = GROUP_OPT,
    denominate: bool = DENOMINATE_OPT,
    settings: Path | None = SETTINGS_OPT,
    n: int = typer.Option(1000, "-n", "--replications", help="Monte Carlo replications."),
    seed: int = typer.Option(0, help="Random seed (with the block size, it fixes every draw)."),
    year: str | None = typer.Option(None, help="Year to show (default: the latest)."),
    top: int = typer.Option(15, help="Rows to show."),
    out: Path | None = typer.Option(None, help="Write the whole result (every unit-year) here."),
) -> None:
    """Monte Carlo over the spec's uncertainty entries: score and rank intervals per unit."""
    from middlepower.index.uncertainty import uncertainty

    spec_obj, frame = load(spec, data, coinr, group, denominate, settings)
    result = uncertainty(spec_obj, frame, n=n, seed=seed, progress=True)
    _write(result, out)
    shown, chosen = _pick_year(result, year)
    columns = ["unit", "nominal_score", "nominal_rank", "median_rank", "rank_q05", "rank_q95", "score_q05", "score_q95"]
    console = _console()
    console.print(_table(shown[columns], f"{spec_obj.name}: uncertainty ({chosen})", top))
    console.print(f"{n} replications over {', '.join(result.attrs['inputs'])}; "
                  f"median width of the 5-95 % rank interval {float((shown.rank_q95 - shown.rank_q05).median()):.1f}"
                  + (f"; written to {out}" if out else ""))


@sub_app.command("sensitivity")
def sensitivity_command(
    spec: Path = SPEC_ARG,
    data: Path = DATA_OPT,
    coinr: bool = COINR_OPT,
    group: str | None = GROUP_OPT,
    denominate: bool = DENOMINATE_OPT,
    settings: Path | None = SETTINGS_OPT,
    n: int = typer.Option(256, "-n", "--base-samples", help="Saltelli base samples (power of two)."),
    output: str = typer.Option("mean_abs_rank_shift", help="rank | score | mean_abs_rank_shift"),
    unit: str | None = typer.Option(None, help="Unit whose rank or score is the output."),
    year: str | None = typer.Option(None, help="Year of that unit's rank or score."),
    seed: int = typer.Option(0, help="Random seed (scrambling, weight sets, bootstrap)."),
    boot: int = typer.Option(200, help="Bootstrap resamples for the 95 % intervals."),
    out: Path | None = typer.Option(None, help="Write the indices here."),
) -> None:
    """First-order and total Sobol indices of an output for each uncertain input."""
    from middlepower.index.sensitivity import sensitivity

    spec_obj, frame = load(spec, data, coinr, group, denominate, settings)
    result = sensitivity(spec_obj, frame, n=n, output=output, unit=unit, year=year, seed=seed,
                         n_boot=boot, progress=True)
    _write(result, out)
    console = _console()
    console.print(_table(result, f"{spec_obj.name}: Sobol indices of {output}", len(result)))
    strongest = result.sort_values("ST", ascending=False).iloc[0]
    console.print(f"{result.attrs['runs']} runs; largest total effect: {strongest['input']} (ST {strongest['ST']:.2f})")
