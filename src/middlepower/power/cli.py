"""CLI commands of the power model: ``profile``, ``rank``, ``compare``, ``check``, ``validate``, ``variants``.

Each parses options, calls one function of :mod:`middlepower.power`, prints rich tables and ends
with a one-line summary. Every command takes ``--spec`` (a model variant; default the shipped
spec). The Monte Carlo runs behind a progress bar the first time; later commands read the cached
result from the data home.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import DbOption, YearOption, console, is_missing, table

app = typer.Typer(add_completion=False)

SpecOption = Annotated[
    Path | None,
    typer.Option("--spec", help="Model spec (TOML; default: the shipped default_spec.toml).", show_default=False),
]
VERDICT_STYLE = {"supported": "green", "contradicted": "red", "inconclusive": "yellow", "insufficient data": "dim"}
CRITERION_STYLE = {
    "meets": "green",
    "does not": "red",
    "inconclusive": "yellow",
    "not measured": "dim",
    "no data": "dim",
}


def _spec(path: Path | None):
    from middlepower import power

    return power.load_spec(path)  # a bad --spec fails here, in one line, before any computing


def _model(db: Path | None, spec):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from middlepower import power

    with Progress(
        TextColumn("Monte Carlo"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(),
        transient=True,
    ) as bar:
        task = bar.add_task("replications", total=None)
        return power.model(db, spec=spec, progress=lambda done, total: bar.update(task, completed=done, total=total))


def _plain_years(frame):
    """``frame`` with its ``data_year`` column as text (a year, not a number with a thousands separator)."""
    if "data_year" not in frame.columns:
        return frame
    return frame.assign(data_year=[None if is_missing(v) else str(int(v)) for v in frame["data_year"]])


def _interval(row, low: str, high: str, digits: int = 0) -> str:
    if is_missing(row[low]):
        return "–"
    return f"{row[low]:.{digits}f}–{row[high]:.{digits}f}"


def _criteria_table(criteria):
    from rich.table import Table

    out = Table(
        title="The article's criteria (meets: the 90% interval of the percentile lies in the top third)",
        title_justify="left",
        show_lines=True,
    )
    for column in ("criterion", "measure", "data", "percentile [90%]", "verdict"):
        out.add_column(column, overflow="fold")
    for row in criteria.to_dict("records"):
        data = "–" if is_missing(row.get("data_year")) else f"real to {int(row['data_year'])}"
        if row.get("carried"):
            data += f"; carried: {row['carried']}"
        if row.get("imputed"):
            data += f"; imputed: {row['imputed']}"
        pct = (
            "–"
            if is_missing(row.get("percentile"))
            else f"{row['percentile']:.0f} [{_interval(row, 'percentile_lo', 'percentile_hi')}]"
        )
        style = CRITERION_STYLE.get(row["verdict"], "")
        out.add_row(
            row["label"],
            f"{row['measure']}\n[dim]{row.get('sources') or ''}[/]",
            data,
            pct,
            f"[{style}]{row['verdict']}[/]",
        )
    return out


@app.command("profile")
def profile(
    iso3: Annotated[str, typer.Argument(help="ISO3 code, e.g. KAZ.")],
    year: YearOption,
    db: DbOption = None,
    spec: SpecOption = None,
) -> None:
    """One state in one year: every pillar with percentile, 90% interval and data vintage; tier and class
    probabilities; the power gap; the article's six criteria with verdicts; the most similar states."""
    from middlepower import power

    out = console()

    from middlepower.codes import check_iso3

    iso3 = check_iso3(iso3, db)  # inputs are checked before the Monte Carlo runs
    loaded = _spec(spec)
    result = _model(db, loaded)
    p = power.profile(iso3, year, db=db, spec=loaded)
    pillars = p.pillars.assign(
        interval=[_interval(r, "percentile_lo", "percentile_hi") for r in p.pillars.to_dict("records")]
    )
    shown = pillars[["pillar", "name", "score", "percentile", "interval", "data_year", "carried", "imputed"]]
    out.print(
        table(
            _plain_years(shown),
            f"{p.name} ({p.iso3}), {p.year}: pillars (score 0-100; percentile within the year, "
            f"90% interval over {result.replications:,} replications; data_year = oldest real data)",
        )
    )
    if p.year > p.default_last_year:
        out.print(
            f"[yellow]{p.year} is after the model's last year with real data in every pillar "
            f"({p.default_last_year}): the 'carried' column says which inputs are older.[/]"
        )
    out.print(
        table(
            _plain_years(p.tier.drop(columns=["score"], errors="ignore")),
            "Tier (by capability percentile) and its probability",
            {"p_great": 2, "p_middle": 2, "p_small": 2, "real_inputs": 0, "inputs": 0},
        )
    )
    out.print(
        table(
            p.classes,
            "Class: position x conduct (middle-power conduct = behaviour above the median state)",
            {c: 2 for c in p.classes.columns if c.startswith("p_")},
        )
    )
    out.print(
        table(
            _plain_years(p.gap),
            "Power gap: influence relative to capability (SDs of the year's residuals)",
            {"gap": 2, "gap_lo": 2, "gap_hi": 2, "p_above": 2},
        )
    )
    out.print(_criteria_table(p.criteria))
    out.print(table(p.similar, "Most similar states (RMS difference of pillar percentiles)", {"shared_pillars": 0}))
    tier = p.tier.iloc[0] if not p.tier.empty else None
    gap = p.gap.iloc[0] if not p.gap.empty else None
    cls = p.classes.iloc[0] if not p.classes.empty else None
    summary = f"{p.iso3} {p.year}: " + (
        f"{tier['tier']} tier (p = {tier['p_' + tier['tier']]:.2f})"
        if tier is not None and isinstance(tier["tier"], str)
        else "no tier"
    )
    if cls is not None and isinstance(cls["class"], str):
        summary += f", {cls['class']}"
    if gap is not None and not is_missing(gap["gap"]):
        summary += f", power gap {gap['gap']:+.2f} [{gap['gap_lo']:+.2f}, {gap['gap_hi']:+.2f}]"
    counts = p.criteria["verdict"].value_counts()
    summary += "; criteria: " + ", ".join(f"{counts[v]} {v}" for v in CRITERION_STYLE if v in counts)
    out.print(summary)


@app.command("rank")
def rank(
    year: YearOption,
    tier: Annotated[
        str | None, typer.Option("--tier", help="Only this tier: great, middle or small.", show_default=False)
    ] = None,
    db: DbOption = None,
    spec: SpecOption = None,
) -> None:
    """States ordered by capability, with tier probabilities, class, overall index and power gap."""
    from middlepower import power

    out = console()

    if tier is not None:
        power.check_tier(tier)
    loaded = _spec(spec)
    result = _model(db, loaded)
    frame = power.rank(year, tier=tier, db=db, spec=loaded)
    shown = frame[
        [
            "position",
            "iso3",
            "name",
            "tier",
            "p_great",
            "p_middle",
            "p_small",
            "percentile",
            "data_year",
            "class",
            "power",
            "gap",
        ]
    ]
    out.print(
        table(
            _plain_years(shown),
            f"Rank {year}" + (f", {tier} tier" if tier else ""),
            {"position": 0, "p_great": 2, "p_middle": 2, "p_small": 2, "percentile": 0, "gap": 2},
        )
    )
    counts = frame["tier"].value_counts()
    untiered = int(frame["tier"].isna().sum())
    note = (
        f" (after {result.default_last_year}, the last year with real data in every pillar)"
        if year > result.default_last_year
        else ""
    )
    out.print(
        f"{len(frame)} states in {year}: "
        + ", ".join(f"{counts.get(t, 0)} {t}" for t in ("great", "middle", "small"))
        + (f", {untiered} without a tier (too little real data)" if untiered and tier is None else "")
        + note
    )


@app.command("compare")
def compare(
    iso3s: Annotated[list[str], typer.Argument(help="ISO3 codes, e.g. KAZ AZE CAN AUS TUR.")],
    first: Annotated[int, typer.Option("--from", help="First year.")] = 1995,
    last: Annotated[int, typer.Option("--to", help="Last year.")] = 2022,
    db: DbOption = None,
    spec: SpecOption = None,
) -> None:
    """States side by side over a span of years: tier, class, pillar percentiles and power gap."""
    from middlepower import power

    out = console()
    from middlepower.codes import check_iso3
    from middlepower.errors import DataError

    iso3s = [check_iso3(code, db) for code in iso3s]
    if last < first:
        raise DataError(f"--from {first} --to {last}: the range ends before it starts")
    loaded = _spec(spec)
    _model(db, loaded)
    frame = power.compare(iso3s, first, last, db=db, spec=loaded)
    shown = frame.drop(columns=["name", "p_great", "p_small", "gap_lo", "gap_hi"])
    out.print(
        table(
            shown, f"Comparison {first}-{last} (pillar columns: percentile within the year)", {"p_middle": 2, "gap": 2}
        )
    )
    latest = frame[frame["year"] == frame["year"].max()]
    out.print(
        f"{len(iso3s)} states, {first}-{last}; in {int(latest['year'].max()) if len(latest) else last}: "
        + ", ".join(f"{r.iso3} {r.tier}" for r in latest.itertuples())
    )


@app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="Claim file (YAML; format in docs/power.md).")],
    db: DbOption = None,
    spec: SpecOption = None,
) -> None:
    """Check claims against the store and the model: a verdict per claim (supported, contradicted,
    inconclusive when a model interval straddles the threshold, insufficient data) with its evidence,
    source tables and years."""
    from rich.table import Table

    from middlepower import power
    from middlepower.power import claims as claim_module

    out = console()
    loaded = _spec(spec)
    claim_module.read_claims(path, db, loaded)  # a malformed file fails here, before the Monte Carlo
    _model(db, loaded)
    frame = power.check(path, db=db, spec=loaded)
    verdicts = Table(title=f"Claims in {path}", show_lines=True, title_justify="left")
    for column in ("id", "verdict", "evidence", "sources", "years"):
        verdicts.add_column(column, overflow="fold")
    for row in frame.itertuples(index=False):
        style = VERDICT_STYLE.get(row.verdict, "")
        verdicts.add_row(
            f"{row.id}\n[dim]{row.text}[/]", f"[{style}]{row.verdict}[/]", row.evidence, row.sources, row.years
        )
    out.print(verdicts)
    counts = frame["verdict"].value_counts()
    out.print(f"{len(frame)} claims: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICT_STYLE))


@app.command("validate")
def validate(
    db: DbOption = None,
    spec: SpecOption = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown", help="Also write the report as a Markdown page (e.g. docs/validation.md).", show_default=False
        ),
    ] = None,
) -> None:
    """The validation report: capability, the overall index and three baselines (log GDP, log GDP x GDP
    per capita, log military spending) against COW major powers, Maoz powers and published lists of
    middle powers — AUCs, rank correlations and confusion matrices."""
    from middlepower import power
    from middlepower.power import validation_report

    out = console()

    loaded = _spec(spec)
    result = _model(db, loaded)
    report = power.validate(db=db, spec=loaded)
    metrics = report.metrics.rename(columns=validation_report.SCORE_HEADERS)
    out.print(
        table(
            metrics,
            f"Validation on {report.n_state_years:,} state-years (scores: percentile within the year)",
            {c: 3 for c in validation_report.SCORE_HEADERS.values()} | {"n": 0, "positives": 0},
        )
    )
    for name, counts in report.confusion.items():
        out.print(table(counts.reset_index(), f"Confusion matrix, {name}", {c: 0 for c in counts.columns}))
    out.print(table(report.restraint, "Convergent check of the restraint measure", {"spearman": 3, "n": 0}))
    out.print(
        table(
            validation_report.intervals_table(report.intervals),
            "How much the comparisons can support (cluster bootstrap over states, 90% intervals)",
            {},
        )
    )
    if markdown is not None:
        validation_report.write(markdown, report, result)
        out.print(f"wrote {markdown}")
    beats = int(report.checks["capability_beats_log_gdp"].sum())
    holds = int(report.checks["overall_at_least_capability"].sum())
    out.print(
        f"{len(report.checks)} references: capability beats log GDP on {beats}, "
        f"the overall index matches or beats capability on {holds}"
    )


@app.command("variants")
def variants(
    spec_a: Annotated[Path, typer.Argument(help="First spec (TOML).")],
    spec_b: Annotated[
        Path | None, typer.Argument(help="Second spec (default: the shipped default_spec.toml).", show_default=False)
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year (default: both variants' last default year).", show_default=False)
    ] = None,
    top: Annotated[
        int, typer.Option("--top", help="Rows to show (tier and class changes, then rank shifts, first).")
    ] = 25,
    db: DbOption = None,
) -> None:
    """Two model variants side by side: tier, class, capability percentile, overall rank and power gap of
    every state, largest rank shifts first."""
    from middlepower import power

    out = console()
    from middlepower.power import variants as variant_module

    first, second = _spec(spec_a), _spec(spec_b)
    _model(db, first)
    _model(db, second)
    frame = power.compare_specs(first, second, year=year, db=db)
    out.print(
        table(
            frame.head(top),
            f"A = {spec_a}, B = {spec_b or 'default spec'}, {int(frame['year'].iloc[0])}",
            {
                "percentile_a": 0,
                "percentile_b": 0,
                "p_middle_a": 2,
                "p_middle_b": 2,
                "power_rank_a": 0,
                "power_rank_b": 0,
                "gap_a": 2,
                "gap_b": 2,
                "rank_shift": 0,
            },
        )
    )
    s = variant_module.summary(frame)
    out.print(
        f"{s['states']} states: {s['tier_changes']} change tier, {s['class_changes']} change class; "
        f"overall ranks correlate {s['rank_spearman']:.3f} (Spearman), "
        f"largest shift {s['largest_rank_shift']:.0f} places"
    )
