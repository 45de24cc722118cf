"""CLI command group ``diplomacy``: Security Council votes, peace processes, peacekeeping, one resolution's vote.

Each command is one library call from :mod:`middlepower.diplomacy` plus a table; nothing is computed here.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from middlepower.terminal import DbOption, FirstYearOption, LastYearOption, console, number

app = typer.Typer(name="diplomacy", add_completion=False, no_args_is_help=True,
                  help="Diplomatic conduct: Security Council votes, peace processes, peacekeeping, UN resolutions.")
CountryArgument = Annotated[str, typer.Argument(help="ISO3 code, e.g. KAZ.")]


def _years(frame, first, last, iso3: str | None = None):
    """Return the rows of ``frame`` in years first..last (either open), of state ``iso3`` if given."""
    if first is not None:
        frame = frame[frame["year"] >= first]
    if last is not None:
        frame = frame[frame["year"] <= last]
    return frame if iso3 is None else frame[frame["iso3"] == iso3]


def _table(title: str, columns: list[str], rows) -> Table:
    out = Table(title=title, title_justify="left")
    for column in columns:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*[_fmt(value) for value in row])
    return out


def _short(text, width: int = 70) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _fmt(value) -> str:
    return number(value, 1) if isinstance(value, float) else number(value)


@app.command("council")
def council_command(
    country: CountryArgument,
    first_year: FirstYearOption = None,
    last_year: LastYearOption = None,
    votes: Annotated[bool, typer.Option("--votes", help="Also list every vote other than yes.")] = False,
    db: DbOption = None,
) -> None:
    """Security Council votes of COUNTRY per year (adopted resolutions, 2000 on; DGACM extracts)."""
    from middlepower import codes
    from middlepower.diplomacy import council
    from middlepower.errors import DataError

    screen = console()
    iso3 = codes.check_iso3(country, db)
    table = _years(council.state_years(db), first_year, last_year, iso3)
    if table.empty:
        raise DataError(f"{iso3} cast no Security Council vote on an adopted resolution in the years asked "
                        f"(the extracts cover 2000 on)")
    columns = ["year", "resolutions", "votes_cast", "yes", "abstain", "no", "not_voting", "complete"]
    screen.print(_table(f"{iso3} on the UN Security Council", columns, table[columns].itertuples(index=False)))
    if votes:
        listed = _years(council.votes(db, iso3=iso3), first_year, last_year)
        listed = listed[listed["vote"] != 1]
        names = {2: "abstain", 3: "no"}
        screen.print(_table(f"{iso3}: votes other than yes", ["date", "symbol", "vote", "agenda item"],
                             ((str(r.date)[:10], r.symbol, names[r.vote], r.agenda) for r in listed.itertuples())))
    screen.print(f"{iso3}: {int(table['votes_cast'].sum())} Security Council votes in {len(table)} years "
                 f"({int(table['yes'].sum())} yes, {int(table['abstain'].sum())} abstentions, "
                 f"{int(table['no'].sum())} no)")


@app.command("peace")
def peace_command(
    country: CountryArgument,
    first_year: FirstYearOption = None,
    last_year: LastYearOption = None,
    db: DbOption = None,
) -> None:
    """Peace agreements in which COUNTRY was a third party or the host (PA-X v10, UCDP v22.1, CWM), with their ids."""
    from middlepower import codes
    from middlepower.diplomacy import peace

    screen = console()
    iso3 = codes.check_iso3(country, db)
    roles = _years(peace.third_party_roles(db), first_year, last_year, iso3).sort_values(["year", "agreement"])
    hosts = _years(peace.hosting(db), first_year, last_year, iso3).sort_values(["year", "agreement"])
    screen.print(_table(f"{iso3} as a third party", ["year", "agreement", "role", "from", "evidence"],
                         ((r.year, r.agreement, r.role, f"{r.source} {r.field}", _short(r.evidence))
                          for r in roles.itertuples())))
    screen.print(_table(f"{iso3} as host", ["year", "agreement", "place", "rule", "domestic", "evidence"],
                         ((r.year, r.agreement, r.place, f"{r.source} {r.rule}", r.domestic, _short(r.evidence))
                          for r in hosts.itertuples())))
    screen.print(f"{iso3}: third party in {roles['agreement'].nunique()} agreements or mediations, host of "
                  f"{hosts.loc[~hosts['domestic'].astype(bool), 'agreement'].nunique()} for others' conflicts "
                  f"(text rules: precision and recall in docs/diplomacy.md)")


@app.command("peacekeeping")
def peacekeeping_command(
    country: CountryArgument,
    first_year: FirstYearOption = None,
    last_year: LastYearOption = None,
    db: DbOption = None,
) -> None:
    """UN peacekeeping contributions of COUNTRY: yearly means of IPI's monthly figures, 1990-2014 (ends 2014)."""
    from middlepower import codes
    from middlepower.diplomacy import peacekeeping

    screen = console()
    iso3 = codes.check_iso3(country, db)
    table = _years(peacekeeping.state_years(db), first_year, last_year, iso3)
    columns = ["year", "troops", "police", "experts", "total", "months"]
    screen.print(_table(f"{iso3} in UN peacekeeping (yearly means, persons)", columns,
                         table[columns].itertuples(index=False)))
    span = f"{int(table['year'].min())}-{int(table['year'].max())}" if len(table) else "no year"
    screen.print(f"{iso3}: contributions in {len(table)} years ({span}); the IPI series ends in March 2014")


@app.command("vote")
def vote_command(
    symbol: Annotated[str, typer.Argument(help="Resolution symbol, e.g. A/RES/ES-11/1 or 'S/RES/2418 (2018)'.")],
    country: Annotated[str | None, typer.Option("--country", help="Show this state's vote (ISO3).")] = None,
    db: DbOption = None,
) -> None:
    """Totals of one UN resolution (DGACM extracts) and, with --country, a state's vote."""
    from middlepower import codes
    from middlepower.diplomacy.resolutions import resolution

    screen = console()
    found = resolution(symbol, db)
    info = found.info
    counts = found.votes["vote"].value_counts()
    screen.print(f"{info['symbol']} ({info['organ']}, {str(info['date'])[:10]}): {info['title']}")
    screen.print(f"stated {_fmt(info['yes_total'])}-{_fmt(info['no_total'])}-{_fmt(info['abstain_total'])}; "
                  f"listed yes {counts.get('yes', 0)}, no {counts.get('no', 0)}, abstain {counts.get('abstain', 0)}"
                  + (f", absent {counts.get('absent', 0)}" if "absent" in counts else ""))
    if info.get("exclusion") not in (None, "") and info["exclusion"] == info["exclusion"]:
        screen.print(f"excluded from the vote series: {info['exclusion']}")
    if country:
        iso3 = codes.check_iso3(country, db)
        screen.print(f"{iso3}: {found.vote_of(iso3)}")


@app.command("exclusions")
def exclusions_command(db: DbOption = None) -> None:
    """Everything the UN readers dropped, merged or refused, with how many rows (the store's _exclusions)."""
    from middlepower.warehouse import open_store

    screen = console()
    with open_store(db) as store:
        table = store.query("SELECT * FROM _exclusions ORDER BY source, reason, item")
    screen.print(_table("Recorded exclusions", ["source", "item", "reason", "rows"], table.itertuples(index=False)))
    screen.print(f"{len(table)} exclusions, {int(table['rows'].sum()) if len(table) else 0} rows concerned")
