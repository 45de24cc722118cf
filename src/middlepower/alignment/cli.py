"""CLI commands ``alignment`` and ``balance``: parse, call :mod:`middlepower.alignment.series`, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from middlepower.alignment import series
from middlepower.alignment.balance import rank_balance

console = Console()


def mount(app: typer.Typer) -> None:
    """Register the top-level ``alignment`` and ``balance`` commands on ``app``."""
    app.command("alignment")(alignment_command)
    app.command("balance")(balance_command)


def _codes(values: list[str]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def alignment_command(
    country: Annotated[str, typer.Argument(help="ISO3 code of the state, e.g. KAZ.")],
    more: Annotated[list[str] | None, typer.Argument(help="More partners (so `--with USA RUS CHN` works).", show_default=False)] = None,
    partners: Annotated[list[str] | None, typer.Option("--with", help="Partner ISO3 codes or EU; repeat or comma-separate.")] = None,
    first_year: Annotated[int | None, typer.Option("--from", help="First calendar year.")] = None,
    last_year: Annotated[int | None, typer.Option("--to", help="Last calendar year.")] = None,
    measure: Annotated[str, typer.Option(help="strict, agree_index, s_score or kappa.")] = "strict",
    chart: Annotated[Path | None, typer.Option(help="Write a chart: .png, or .html (self-contained).")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Store file (default: the user's store).")] = None,
) -> None:
    """Agreement of COUNTRY with partners in UN General Assembly votes, year by year.

    Agreement is over non-unanimous roll calls both cast a vote on; distance is the gap between
    ideal points of the project's own dynamic model. Data: Voeten's votes via {unvotes} (1946 to
    January 2020) and the UN DGACM extracts (October 2019 on); complete calendar years only (the
    last year, whose session is still being uploaded, is left out).
    Example: middlepower alignment KAZ --with USA RUS CHN EU --from 1992 --to 2025
    """
    iso3 = country.strip().upper()
    wanted = _codes((partners or []) + (more or [])) or ["USA", "RUS", "CHN", "EU"]
    with console.status("Fitting ideal points and computing agreement (first run takes about a minute)..."):
        table = series.state_alignment(iso3, wanted, first_year=first_year, last_year=last_year, measure=measure,
                                       db=db)
        balance = series.yearly_balance(db)
        last_full = series.last_full_year(db)
    balance = balance[(balance["iso3"] == iso3) & balance["year"].isin(table["year"])]
    wide = table.pivot_table(index="year", columns="partner", values=["agreement", "distance"])
    out = Table(title=f"{iso3}: {measure} agreement | ideal-point distance")
    out.add_column("year", justify="right")
    for partner in wanted:
        out.add_column(partner, justify="right")
    out.add_column("balance", justify="right")
    by_year = balance.set_index("year")["balance_index"]
    for year in wide.index:
        cells = [_cell(wide, "agreement", partner, year) + " | " + _cell(wide, "distance", partner, year) for partner in wanted]
        out.add_row(str(year), *cells, _fmt(by_year.get(year)))
    console.print(out)
    if chart is not None:
        from middlepower.alignment.chart import alignment_figure, save_chart

        save_chart(alignment_figure(table, iso3, measure, balance), chart, f"{iso3} UN General Assembly alignment")
        console.print(f"chart written to {chart}")
    years = f"{int(wide.index.min())}-{int(wide.index.max())}"
    note = f"; votes after {last_full} are a partial year, left out" if last_year is None or last_year > last_full else ""
    console.print(f"{iso3}: agreement with {', '.join(wanted)} over {len(wide)} years ({years}); "
                  f"mean balance {_fmt(by_year.mean())}{note}")


def balance_command(
    year: Annotated[int | None, typer.Option(help="Calendar year (default: the last complete one).")] = None,
    top: Annotated[int, typer.Option(help="How many states to list.")] = 20,
    db: Annotated[Path | None, typer.Option("--db", help="Store file (default: the user's store).")] = None,
) -> None:
    """The most balanced states of a year between the USA, Russia, China and the EU.

    balance = 1 - (max - min) over the four poles of the agreement index (yes 1, abstain 0.5, no 0)
    on the year's non-unanimous UN General Assembly roll calls.
    """
    from middlepower.errors import DataError

    with console.status("Computing agreement with the four poles..."):
        table = series.yearly_balance(db)
        last = series.last_full_year(db)
    year = last if year is None else year
    if year > last:
        raise DataError(f"--year {year}: the UN General Assembly votes are complete to {last} "
                        f"(later roll calls are a partial year); try --year {last}")
    if year not in set(table["year"]):
        raise DataError(f"--year {year}: no UN General Assembly roll calls that year; try --year {last}")
    ranked = rank_balance(table, year, top=top)
    out = Table(title=f"Multi-vector balance, {year}")
    for column in ("rank", "state", "balance", "USA", "RUS", "CHN", "EU", "closest"):
        out.add_column(column, justify="left" if column in ("state", "closest") else "right")
    for rank, row in enumerate(ranked.itertuples(), start=1):
        out.add_row(str(rank), row.iso3, _fmt(row.balance_index), _fmt(row.agree_usa), _fmt(row.agree_rus),
                    _fmt(row.agree_chn), _fmt(row.agree_eu), str(row.closest_pole))
    console.print(out)
    counted = int(table.loc[table["year"] == year, "balance_index"].notna().sum())
    console.print(f"{year}: top {len(ranked)} of {counted} states by balance index (agreement index with USA, RUS, CHN, EU)")


def _cell(wide, what: str, partner: str, year) -> str:
    try:
        return _fmt(wide.loc[year, (what, partner)])
    except KeyError:
        return "-"


def _fmt(value) -> str:
    if value is None or value != value:
        return "-"
    return f"{float(value):.2f}"
