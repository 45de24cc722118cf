"""CLI commands ``alignment`` and ``balance``: parse, call :mod:`middlepower.alignment`, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import (
    MISSING,
    AllOption,
    Col,
    DbOption,
    FirstYearOption,
    FormatOption,
    LastYearOption,
    OutOption,
    codes,
    console,
    deliver,
    number,
    plural,
    rows_shown,
    show,
    table_output,
    top_option,
    top_rows,
)

app = typer.Typer(add_completion=False)


@app.command("alignment")
def alignment_command(
    country: Annotated[str, typer.Argument(help="ISO3 code of the state, e.g. KAZ.")],
    more: Annotated[list[str] | None, typer.Argument(help="More partners (so `--with USA RUS CHN` works).",
                                                     show_default=False)] = None,
    partners: Annotated[list[str] | None, typer.Option("--with", help="Partner ISO3 codes or EU; repeat or "
                                                       "comma-separate.", show_default=False)] = None,
    first_year: FirstYearOption = None,
    last_year: LastYearOption = None,
    measure: Annotated[str, typer.Option(help="strict, agree_index, s_score or kappa.")] = "strict",
    chart: Annotated[Path | None, typer.Option(help="Write a chart: .png, or .html (self-contained).",
                                               show_default=False)] = None,
    db: DbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Agreement of COUNTRY with partners in UN General Assembly votes, year by year.

    Agreement is over non-unanimous roll calls both cast a vote on; distance is the gap between
    ideal points of the project's own dynamic model; balance is the panel verb add_balance on the
    state's years in the store. Data: Voeten's votes via {unvotes} (1946 to January 2020) and the UN
    DGACM extracts (October 2019 on), complete calendar years only (the last year, whose session is
    still being uploaded, is left out).
    Example: middlepower alignment KAZ --with USA RUS CHN EU --from 1992 --to 2025
    """
    from middlepower import panel
    from middlepower.alignment import series

    if chart is not None:  # checked before ideal points are fitted (that can take a minute)
        from middlepower.outpath import check_out

        check_out(chart, (".png", ".html"), parameter="chart")
    output = table_output(out, fmt)
    iso3 = country.strip().upper()
    wanted = codes((partners or []) + (more or [])) or ["USA", "RUS", "CHN", "EU"]
    screen = console()
    with screen.status("Fitting ideal points and computing agreement (first run takes about a minute)..."):
        frame = series.state_alignment(iso3, wanted, first_year=first_year, last_year=last_year, measure=measure,
                                       db=db)
        years = panel.state_years(int(frame["year"].min()), int(frame["year"].max()), db=db)
        balance = panel.add_balance(years[years["iso3"] == iso3], db=db)
        last_full = series.last_full_year(db)
    wide = frame.pivot_table(index="year", columns="partner", values=["agreement", "distance"])
    by_year = balance.set_index("year")["balance_index"]
    rows = []
    for year in wide.index:
        cells = {partner: f"{_cell(wide, 'agreement', partner, year)} {_cell(wide, 'distance', partner, year)}"
                 for partner in wanted}
        rows.append({"year": year, **cells, "balance": number(by_year.get(year), 2)})
    import pandas as pd

    cols = [Col("year", fmt=lambda r: str(int(r["year"])))] + [Col(p, f"{p} agr dist") for p in wanted] + [
        Col("balance", "balance", "multi-vector balance index (1 = even between the poles)")]
    legend = (f"each partner: {measure} agreement (0-1, non-unanimous roll calls both voted on) and the "
              "distance between the two ideal points")
    if chart is not None:
        from middlepower.alignment.chart import alignment_figure, save_chart

        shown = balance[balance["year"].isin(frame["year"])]
        save_chart(alignment_figure(frame, iso3, measure, shown), chart, f"{iso3} UN General Assembly alignment")
    span = f"{int(wide.index.min())}-{int(wide.index.max())}"
    partial = last_year is None or last_year > last_full
    note = f"; votes after {last_full} are a partial year, left out" if partial else ""
    summary = (f"{iso3}: agreement with {', '.join(wanted)} over {plural(len(wide), 'year')} ({span}); "
               f"mean balance {number(by_year.mean(), 2)}{note}" + (f"; chart written to {chart}" if chart else ""))
    tidy = frame.merge(balance[["year", "balance_index"]], on="year", how="left")
    deliver(output, {"alignment": tidy}, "alignment",
            lambda screen: show(pd.DataFrame(rows), cols, f"{iso3}: UN General Assembly agreement", legend, screen),
            summary)


BALANCE_TOP = 20
"""States ``balance`` lists without --top."""


@app.command("balance")
def balance_command(
    year: Annotated[int | None, typer.Option(help="Calendar year (default: the last complete one).",
                                             show_default=False)] = None,
    top: Annotated[int | None, top_option(BALANCE_TOP, "states")] = None,
    show_all: AllOption = False,
    db: DbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """The most balanced states of a year between the USA, Russia, China and the EU.

    balance = 1 - (max - min) over the four poles of the agreement index (yes 1, abstain 0.5, no 0)
    on the year's non-unanimous UN General Assembly roll calls; states of the store's state system.
    """
    from middlepower import panel
    from middlepower.alignment import series
    from middlepower.alignment.balance import rank_balance
    from middlepower.errors import DataError

    limit = rows_shown(top, show_all, BALANCE_TOP)
    output = table_output(out, fmt)
    screen = console(stderr=True)
    with screen.status("Computing agreement with the four poles..."):
        frame = series.yearly_balance(db)
        last = series.last_full_year(db)
    year = last if year is None else year
    if year > last:
        raise DataError(f"--year {year}: the UN General Assembly votes are complete to {last} "
                        f"(later roll calls are a partial year); try --year {last}")
    if year not in set(frame["year"]):
        raise DataError(f"--year {year}: no UN General Assembly roll calls that year; try --year {last}")
    members = set(panel.state_years(year, year, db=db)["iso3"])
    frame = frame[(frame["year"] != year) | frame["iso3"].isin(members)]
    ranked = rank_balance(frame, year, top=len(frame)).rename(
        columns={"iso3": "state", "balance_index": "balance", "agree_usa": "USA", "agree_rus": "RUS",
                 "agree_chn": "CHN", "agree_eu": "EU", "closest_pole": "closest"})
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    shown, cut = top_rows(ranked, limit)
    cols = [Col("rank", digits=0), Col("state"), Col("balance", legend="1 - (max - min) of the agreement with the "
            "four poles", digits=2)] + [Col(p, digits=2) for p in ("USA", "RUS", "CHN", "EU")] + [
            Col("closest", legend="the pole it agrees with most")]
    counted = int(frame.loc[frame["year"] == year, "balance_index"].notna().sum())
    summary = f"{year}: {len(shown)} of {counted} states by balance index (agreement index with USA, RUS, CHN, EU)"
    deliver(output, {"balance": ranked}, "balance",
            lambda screen: show(shown, cols, f"Multi-vector balance, {year}",
                                "USA, RUS, CHN, EU = agreement index with each pole (yes 1, abstain 0.5, no 0)"
                                + (f"; {cut}" if cut else ""), screen), summary)


def _cell(wide, what: str, partner: str, year) -> str:
    try:
        return number(wide.loc[year, (what, partner)], 2)
    except KeyError:
        return MISSING
