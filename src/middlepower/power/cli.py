"""CLI commands of the power model: ``profile``, ``rank``, ``compare`` and ``check``.

Each parses options, calls one function of :mod:`middlepower.power`, prints tables and ends with a
one-line summary. The Monte Carlo runs behind a progress bar the first time; later commands read
the cached result from the data home.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import DbOption, YearOption, console, table

app = typer.Typer(add_completion=False)

VERDICT_STYLE = {"supported": "green", "contradicted": "red", "insufficient data": "yellow"}


def _model(db: Path | None):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from middlepower import power

    with Progress(TextColumn("Monte Carlo"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console(), transient=True) as bar:
        task = bar.add_task("replications", total=None)
        return power.model(db, progress=lambda done, total: bar.update(task, completed=done, total=total))


@app.command("profile")
def profile(
    iso3: Annotated[str, typer.Argument(help="ISO3 code, e.g. KAZ.")],
    year: YearOption,
    db: DbOption = None,
) -> None:
    """One state in one year: pillar scores with percentile and 90% interval, tier probabilities,
    power gap and the five most similar states (nearest in pillar-percentile space)."""
    import pandas as pd

    from middlepower import power
    from middlepower.codes import check_iso3

    iso3 = check_iso3(iso3, db)  # inputs are checked before the Monte Carlo runs
    result = _model(db)
    p = power.profile(iso3, year, db=db)
    pillars = p.pillars[["pillar", "name", "score", "percentile", "percentile_lo", "percentile_hi", "rank",
                         "n_indicators"]]
    out = console()
    out.print(table(pillars, f"{p.name} ({p.iso3}), {p.year}: pillars (score 0-100; percentile within "
                             f"the year, 90% interval over {result.replications:,} replications)",
                    {"rank": 0, "n_indicators": 0}))
    out.print(table(p.tier, "Tier (by capability percentile) and its probability",
                    {"p_great": 3, "p_middle": 3, "p_small": 3}))
    out.print(table(p.gap, "Power gap: influence relative to capability (gap in SDs of the year's residuals)",
                    {"gap": 2, "gap_lo": 2, "gap_hi": 2, "p_above": 3}))
    out.print(table(p.similar, "Most similar states (RMS difference of pillar percentiles)", {"shared_pillars": 0}))
    tier = p.tier.iloc[0] if not p.tier.empty else None
    gap = p.gap.iloc[0] if not p.gap.empty else None
    summary = f"{p.iso3} {p.year}: " + (f"{tier['tier']} (p = {tier['p_' + tier['tier']]:.2f})" if tier is not None
                                        and isinstance(tier["tier"], str) else "no tier")
    if gap is not None and not pd.isna(gap["gap"]):
        summary += f", power gap {gap['gap']:+.2f} [{gap['gap_lo']:+.2f}, {gap['gap_hi']:+.2f}]"
    out.print(summary)


@app.command("rank")
def rank(
    year: YearOption,
    tier: Annotated[str | None, typer.Option("--tier", help="Only this tier: great, middle or small.",
                                             show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """States ordered by capability score, with tier probabilities, overall index and power gap."""
    from middlepower import power

    if tier is not None:
        power.check_tier(tier)
    _model(db)
    frame = power.rank(year, tier=tier, db=db)
    shown = frame[["position", "iso3", "name", "tier", "p_great", "p_middle", "p_small", "score", "power", "gap"]]
    out = console()
    out.print(table(shown, f"Rank {year}" + (f", {tier} tier" if tier else ""),
                    {"position": 0, "p_great": 2, "p_middle": 2, "p_small": 2, "gap": 2}))
    counts = frame["tier"].value_counts()
    out.print(f"{len(frame)} states in {year}: " + ", ".join(f"{counts.get(t, 0)} {t}"
                                                            for t in ("great", "middle", "small")))


@app.command("compare")
def compare(
    iso3s: Annotated[list[str], typer.Argument(help="ISO3 codes, e.g. KAZ AZE CAN AUS TUR.")],
    first: Annotated[int, typer.Option("--from", help="First year.")] = 1995,
    last: Annotated[int, typer.Option("--to", help="Last year.")] = 2022,
    db: DbOption = None,
) -> None:
    """States side by side over a span of years: tier, pillar percentiles and power gap."""
    from middlepower import power
    from middlepower.codes import check_iso3

    iso3s = [check_iso3(code, db) for code in iso3s]
    _model(db)
    frame = power.compare(iso3s, first, last, db=db)
    shown = frame.drop(columns=["name", "p_great", "p_small", "gap_lo", "gap_hi"])
    out = console()
    out.print(table(shown, f"Comparison {first}-{last} (pillar columns: percentile within the year)",
                    {"p_middle": 2, "gap": 2}))
    latest = frame[frame["year"] == frame["year"].max()]
    out.print(f"{len(iso3s)} states, {first}-{last}; in {int(latest['year'].max()) if len(latest) else last}: "
              + ", ".join(f"{r.iso3} {r.tier}" for r in latest.itertuples()))


@app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="Claim file (YAML; format in docs/power.md).")],
    db: DbOption = None,
) -> None:
    """Check claims against the store: a verdict per claim with its evidence, source tables and years."""
    from rich.table import Table

    from middlepower import power
    from middlepower.power import claims as claim_module

    claim_module.read_claims(path, db)  # a malformed file fails here, before the Monte Carlo
    _model(db)
    frame = power.check(path, db=db)
    verdicts = Table(title=f"Claims in {path}", show_lines=True, title_justify="left")
    for column in ("id", "verdict", "evidence", "sources", "years"):
        verdicts.add_column(column, overflow="fold")
    for row in frame.itertuples(index=False):
        style = VERDICT_STYLE.get(row.verdict, "")
        verdicts.add_row(f"{row.id}\n[dim]{row.text}[/]", f"[{style}]{row.verdict}[/]", row.evidence, row.sources,
                         row.years)
    out = console()
    out.print(verdicts)
    counts = frame["verdict"].value_counts()
    out.print(f"{len(frame)} claims: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICT_STYLE))
