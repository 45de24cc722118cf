"""CLI commands of the power model: ``profile``, ``rank``, ``compare`` and ``check``.

Each parses options, calls one function of :mod:`middlepower.power`, prints rich tables and ends
with a one-line summary. The Monte Carlo runs behind a progress bar the first time; later commands
read the cached result from the data home.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from middlepower.codes import check_iso3

DB_OPTION = typer.Option(None, "--db", help="Store file (default: middlepower.duckdb in the user data directory).")
VERDICT_STYLE = {"supported": "green", "contradicted": "red", "insufficient data": "yellow"}


def mount(app: typer.Typer) -> None:
    """Add the power model's commands to the main app."""
    app.command("profile")(profile)
    app.command("rank")(rank)
    app.command("compare")(compare)
    app.command("check")(check)


def _model(db: Path | None):
    from middlepower import power
    from middlepower.cli import console

    with Progress(TextColumn("Monte Carlo"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("replications", total=None)
        return power.model(db, progress=lambda done, total: bar.update(task, completed=done, total=total))


def _num(value: object, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value)


def _table(frame: pd.DataFrame, title: str, digits: dict[str, int] | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(column, justify="right" if pd.api.types.is_numeric_dtype(frame[column]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*[str(int(v)) if c == "year" else _num(v, (digits or {}).get(c, 1))
                        for c, v in zip(frame.columns, row)])
    return table


def profile(
    iso3: str = typer.Argument(..., help="ISO3 code, e.g. KAZ."),
    year: int = typer.Option(..., "--year", help="Year, e.g. 2022."),
    db: Path = DB_OPTION,
) -> None:
    """One state in one year: pillar scores with percentile and 90% interval, tier probabilities,
    power gap and the five most similar states (nearest in pillar-percentile space)."""
    from middlepower import power
    from middlepower.cli import console

    iso3 = check_iso3(iso3, db)  # inputs are checked before the Monte Carlo runs
    result = _model(db)
    p = power.profile(iso3, year, db=db)
    pillars = p.pillars[["pillar", "name", "score", "percentile", "percentile_lo", "percentile_hi", "rank",
                         "n_indicators"]]
    console.print(_table(pillars, f"{p.name} ({p.iso3}), {p.year}: pillars (score 0-100; percentile within "
                                  f"the year, 90% interval over {result.replications:,} replications)", {"rank": 0, "n_indicators": 0}))
    console.print(_table(p.tier, "Tier (by capability percentile) and its probability", {"p_great": 3, "p_middle": 3, "p_small": 3}))
    console.print(_table(p.gap, "Power gap: influence relative to capability (gap in SDs of the year's residuals)",
                         {"gap": 2, "gap_lo": 2, "gap_hi": 2, "p_above": 3}))
    console.print(_table(p.similar, "Most similar states (RMS difference of pillar percentiles)", {"shared_pillars": 0}))
    tier = p.tier.iloc[0] if not p.tier.empty else None
    gap = p.gap.iloc[0] if not p.gap.empty else None
    summary = f"{p.iso3} {p.year}: " + (f"{tier['tier']} (p = {tier['p_' + tier['tier']]:.2f})" if tier is not None
                                        and isinstance(tier["tier"], str) else "no tier")
    if gap is not None and not pd.isna(gap["gap"]):
        summary += f", power gap {gap['gap']:+.2f} [{gap['gap_lo']:+.2f}, {gap['gap_hi']:+.2f}]"
    console.print(summary)


def rank(
    year: int = typer.Option(..., "--year", help="Year, e.g. 2022."),
    tier: str = typer.Option(None, "--tier", help="Only this tier: great, middle or small."),
    db: Path = DB_OPTION,
) -> None:
    """States ordered by capability score, with tier probabilities, overall index and power gap."""
    from middlepower import power
    from middlepower.cli import console

    if tier is not None:
        power.check_tier(tier)
    _model(db)
    frame = power.rank(year, tier=tier, db=db)
    shown = frame[["position", "iso3", "name", "tier", "p_great", "p_middle", "p_small", "score", "power", "gap"]]
    console.print(_table(shown, f"Rank {year}" + (f", {tier} tier" if tier else ""),
                         {"position": 0, "p_great": 2, "p_middle": 2, "p_small": 2, "gap": 2}))
    counts = frame["tier"].value_counts()
    console.print(f"{len(frame)} states in {year}: " + ", ".join(f"{counts.get(t, 0)} {t}" for t in ("great", "middle", "small")))


def compare(
    iso3s: list[str] = typer.Argument(..., help="ISO3 codes, e.g. KAZ AZE CAN AUS TUR."),
    first: int = typer.Option(1995, "--from", help="First year."),
    last: int = typer.Option(2022, "--to", help="Last year."),
    db: Path = DB_OPTION,
) -> None:
    """States side by side over a span of years: tier, pillar percentiles and power gap."""
    from middlepower import power
    from middlepower.cli import console

    iso3s = [check_iso3(code, db) for code in iso3s]
    _model(db)
    frame = power.compare(iso3s, first, last, db=db)
    shown = frame.drop(columns=["name", "p_great", "p_small", "gap_lo", "gap_hi"])
    console.print(_table(shown, f"Comparison {first}-{last} (pillar columns: percentile within the year)",
                         {"p_middle": 2, "gap": 2}))
    latest = frame[frame["year"] == frame["year"].max()]
    console.print(f"{len(iso3s)} states, {first}-{last}; in {int(latest['year'].max()) if len(latest) else last}: "
                  + ", ".join(f"{r.iso3} {r.tier}" for r in latest.itertuples()))


def check(
    path: Path = typer.Argument(..., help="Claim file (YAML; format in docs/power.md)."),
    db: Path = DB_OPTION,
) -> None:
    """Check claims against the store: a verdict per claim with its evidence, source tables and years."""
    from middlepower import power
    from middlepower.cli import console

    from middlepower.power import claims as claim_module

    claim_module.read_claims(path, db)  # a malformed file fails here, before the Monte Carlo
    _model(db)
    frame = power.check(path, db=db)
    table = Table(title=f"Claims in {path}", show_lines=True, title_justify="left")
    for column in ("id", "verdict", "evidence", "sources", "years"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples(index=False):
        style = VERDICT_STYLE.get(row.verdict, "")
        table.add_row(f"{row.id}\n[dim]{row.text}[/]", f"[{style}]{row.verdict}[/]", row.evidence, row.sources, row.years)
    console.print(table)
    counts = frame["verdict"].value_counts()
    console.print(f"{len(frame)} claims: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICT_STYLE))
