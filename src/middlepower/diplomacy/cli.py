"""CLI command group ``diplomacy``: Security Council votes, peace processes, peacekeeping, one resolution's vote.

Each command is one library call from :mod:`middlepower.diplomacy` plus a table; nothing is computed here.
"""

from __future__ import annotations

from typing import Annotated

import typer

from middlepower.terminal import (
    Col,
    DbOption,
    FirstYearOption,
    FormatOption,
    LastYearOption,
    OutOption,
    console,
    deliver,
    number,
    plural,
    say,
    show,
    table_output,
)

app = typer.Typer(name="diplomacy", add_completion=False, no_args_is_help=True,
                  help="Diplomatic conduct: Security Council votes, peace processes, peacekeeping, UN resolutions.")
CountryArgument = Annotated[str, typer.Argument(help="ISO3 code, e.g. KAZ.")]


def _years(frame, first, last, iso3: str | None = None, *, also=()):
    """Return the rows of ``frame`` in years first..last (either open), of state ``iso3`` if given.

    DataError naming the option when the range is reversed or lies outside the years covered by
    ``frame`` together with the frames in ``also`` (an impossible request, not an empty answer; a
    command showing several tables passes the others so that each is checked against one span)."""
    from middlepower.errors import DataError

    if first is not None and last is not None and last < first:
        raise DataError(f"the range {first}-{last} ends before it starts", parameter="last_year", value=last)
    years = [part["year"] for part in (frame, *also) if len(part)]
    if years:
        lo, hi = min(int(y.min()) for y in years), max(int(y.max()) for y in years)
        if first is not None and first > hi:
            raise DataError(f"the data cover {lo}-{hi}", parameter="first_year", value=first)
        if last is not None and last < lo:
            raise DataError(f"the data cover {lo}-{hi}", parameter="last_year", value=last)
    if first is not None:
        frame = frame[frame["year"] >= first]
    if last is not None:
        frame = frame[frame["year"] <= last]
    return frame if iso3 is None else frame[frame["iso3"] == iso3]


def _cols(frame, wrap: tuple[str, ...] = (), year: str = "year") -> list[Col]:
    """One column per frame column: integers without decimals, ``wrap`` columns wrapping."""
    cols = []
    for name in frame.columns:
        kind = frame[name].dtype.kind
        if name == year:
            cols.append(Col(name, fmt=lambda r, n=name: str(int(r[n]))))
        elif kind in "iu":
            cols.append(Col(name, name.replace("_", " "), digits=0))
        elif kind == "f":
            cols.append(Col(name, name.replace("_", " "), digits=1))
        else:
            cols.append(Col(name, name.replace("_", " "), wrap=name in wrap))
    return cols


def _fmt(value) -> str:
    return number(value, 1) if isinstance(value, float) else number(value)


@app.command("council")
def council_command(
    country: CountryArgument,
    first_year: FirstYearOption = None,
    last_year: LastYearOption = None,
    votes: Annotated[bool, typer.Option("--votes", help="Also list every vote other than yes.")] = False,
    db: DbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Security Council votes of COUNTRY per year (adopted resolutions, 2000 on; DGACM extracts)."""
    from middlepower.diplomacy import council
    from middlepower.warehouse import check_iso3

    output = table_output(out, fmt)
    iso3 = check_iso3(country, db)
    table = _years(council.state_years(db), first_year, last_year, iso3)
    columns = ["year", "resolutions", "votes_cast", "yes", "abstain", "no", "not_voting", "complete"]
    tables = {"years": table[columns].reset_index(drop=True)}
    if votes:
        listed = _years(council.votes(db, iso3=iso3), first_year, last_year)
        listed = listed[listed["vote"] != 1]
        names = {2: "abstain", 3: "no"}
        tables["votes"] = listed.assign(date=listed["date"].astype(str).str[:10],
                                        vote=listed["vote"].map(names))[["date", "symbol", "vote", "agenda"]]

    def draw(screen) -> None:
        show(tables["years"], _cols(tables["years"]), f"{iso3} on the UN Security Council",
             "complete = every adopted resolution of the year is in the extracts", screen)
        if votes:
            show(tables["votes"], _cols(tables["votes"], wrap=("agenda",)), f"{iso3}: votes other than yes",
                 screen=screen)

    if len(table):
        summary = (f"{iso3}: {int(table['votes_cast'].sum())} Security Council votes in "
                   f"{plural(len(table), 'year')} ({int(table['yes'].sum())} yes, "
                   f"{int(table['abstain'].sum())} abstentions, {int(table['no'].sum())} no)")
    else:  # a state that never sat on the Council in those years: an empty answer, as for peacekeeping
        summary = (f"{iso3}: no Security Council vote on an adopted resolution in the years asked "
                   "(the extracts cover 2000 on)")
    deliver(output, tables, "years", draw, summary)


@app.command("peace")
def peace_command(
    country: CountryArgument,
    first_year: FirstYearOption = None,
    last_year: LastYearOption = None,
    db: DbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Peace agreements in which COUNTRY was a third party or the host (PA-X v10, UCDP v22.1, CWM), with their ids."""
    from middlepower.diplomacy import peace
    from middlepower.warehouse import check_iso3

    output = table_output(out, fmt)
    iso3 = check_iso3(country, db)
    all_roles, all_hosts = peace.third_party_roles(db), peace.hosting(db)
    roles = _years(all_roles, first_year, last_year, iso3, also=(all_hosts,)).sort_values(["year", "agreement"])
    hosts = _years(all_hosts, first_year, last_year, iso3, also=(all_roles,)).sort_values(["year", "agreement"])
    roles_shown = roles.assign(source_field=roles["source"].astype(str) + " " + roles["field"].astype(str))[
        ["year", "agreement", "role", "source_field", "evidence"]]
    hosts_shown = hosts.assign(source_rule=hosts["source"].astype(str) + " " + hosts["rule"].astype(str))[
        ["year", "agreement", "place", "source_rule", "domestic", "evidence"]]
    wrap = ("agreement", "evidence", "place", "source_field", "source_rule", "role")

    def draw(screen) -> None:
        role_cols = _cols(roles_shown, wrap)
        role_cols[-1] = Col("evidence", wrap=True, drop=1)
        host_cols = _cols(hosts_shown, wrap)
        host_cols[-1] = Col("evidence", wrap=True, drop=1)
        show(roles_shown, role_cols, f"{iso3} as a third party", screen=screen)
        show(hosts_shown, host_cols, f"{iso3} as host", screen=screen)

    summary = (f"{iso3}: third party in {roles['agreement'].nunique()} agreements or mediations, host of "
               f"{hosts.loc[~hosts['domestic'].astype(bool), 'agreement'].nunique()} for others' conflicts "
               f"(text rules: precision and recall in docs/diplomacy.md)")
    deliver(output, {"third_party": roles, "hosting": hosts}, "third_party", draw, summary)


@app.command("peacekeeping")
def peacekeeping_command(
    country: CountryArgument,
    first_year: FirstYearOption = None,
    last_year: LastYearOption = None,
    db: DbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """UN peacekeeping contributions of COUNTRY: yearly means of IPI's monthly figures, 1990-2014 (ends 2014)."""
    from middlepower.diplomacy import peacekeeping
    from middlepower.warehouse import check_iso3

    output = table_output(out, fmt)
    iso3 = check_iso3(country, db)
    table = _years(peacekeeping.state_years(db), first_year, last_year, iso3)
    columns = ["year", "troops", "police", "experts", "total", "months"]
    shown = table[columns].reset_index(drop=True)
    if len(table):
        span = f"{int(table['year'].min())}-{int(table['year'].max())}"
        summary = (f"{iso3}: contributions in {plural(len(table), 'year')} ({span}); "
                   f"the IPI series ends in {peacekeeping.SERIES_END}")
    else:
        summary = f"{iso3}: no contribution in the years asked; the IPI series ends in {peacekeeping.SERIES_END}"
    deliver(output, {"peacekeeping": shown}, "peacekeeping",
            lambda screen: show(shown, _cols(shown), f"{iso3} in UN peacekeeping (yearly means, persons)",
                                "months = months of the year with a figure", screen), summary)


@app.command("vote")
def vote_command(
    symbol: Annotated[str, typer.Argument(help="Resolution symbol, e.g. A/RES/ES-11/1 or 'S/RES/2418 (2018)' "
                                                     "(a Council symbol's year may be left out).")],
    country: Annotated[str | None, typer.Option("--country", help="Show this state's vote (ISO3).")] = None,
    db: DbOption = None,
) -> None:
    """Totals of one UN resolution (DGACM extracts) and, with --country, a state's vote."""
    from middlepower.diplomacy.resolutions import resolution
    from middlepower.warehouse import check_iso3

    screen = console()
    found = resolution(symbol, db)
    # the state's vote is looked up before anything is printed: a state not voting is an error line only
    iso3 = check_iso3(country, db) if country else None
    vote = found.vote_of(iso3) if iso3 else None
    info = found.info
    counts = found.votes["vote"].value_counts()
    say(f"{info['symbol']} ({info['organ']}, {str(info['date'])[:10]}): {info['title']}", screen)
    say(f"stated {_fmt(info['yes_total'])}-{_fmt(info['no_total'])}-{_fmt(info['abstain_total'])}; "
        f"listed yes {counts.get('yes', 0)}, no {counts.get('no', 0)}, abstain {counts.get('abstain', 0)}"
        + (f", absent {counts.get('absent', 0)}" if "absent" in counts else ""), screen)
    if info.get("exclusion") not in (None, "") and info["exclusion"] == info["exclusion"]:
        say(f"excluded from the vote series: {info['exclusion']}", screen)
    if country:
        say(f"{iso3}: {vote}", screen)


@app.command("exclusions")
def exclusions_command(db: DbOption = None, out: OutOption = None, fmt: FormatOption = None) -> None:
    """Everything the UN readers dropped, merged or refused, with how many rows (the store's _exclusions)."""
    from middlepower.warehouse import open_store

    output = table_output(out, fmt)
    with open_store(db) as store:
        table = store.query("SELECT * FROM _exclusions ORDER BY source, reason, item")
    summary = f"{len(table)} exclusions, {int(table['rows'].sum()) if len(table) else 0} rows concerned"
    deliver(output, {"exclusions": table}, "exclusions",
            lambda screen: show(table, _cols(table, ("item", "reason")), "Recorded exclusions", screen=screen),
            summary)
