"""CLI commands of the power model: ``profile``, ``rank``, ``compare``, ``check``, ``validate``, ``variants``.

Each parses options, calls one function of :mod:`middlepower.power`, prints tables fitted to the
terminal (layouts in :mod:`middlepower.power.cli_views`) and ends with a one-line summary; ``--out``
writes the result to a file and ``--format`` sends it to standard output as CSV or JSON. Every
command takes ``--spec`` (a model variant; default the shipped spec). The Monte Carlo runs behind a
progress bar (on standard error) the first time; later commands read the cached result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from middlepower.terminal import (
    AllOption,
    Col,
    DbOption,
    FormatOption,
    OutOption,
    deliver,
    is_missing,
    plural,
    progress_bar,
    rows_shown,
    say,
    show,
    table_output,
    top_option,
    top_rows,
)

app = typer.Typer(add_completion=False)

SpecOption = Annotated[
    Path | None,
    typer.Option("--spec", help="Model spec (TOML; default: the shipped default_spec.toml).", show_default=False),
]
ModelYearOption = Annotated[
    int | None,
    typer.Option("--year", help="Calendar year, e.g. 2022 (default: the model's last default year, the last with"
                 " real data in every pillar).", show_default=False),
]


def _spec(path: Path | None):
    from middlepower import power

    return power.load_spec(path)  # a bad --spec fails here, in one line, before any computing


def _model(db: Path | None, spec, years: tuple[int, int] | None = None):
    """The model of ``spec`` with a progress bar; a span ``years`` (first, last) wholly outside the
    model is refused first, before the Monte Carlo."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

    from middlepower import power

    if years is not None:
        power.check_years(*years, db=db, spec=spec)
    with progress_bar(TextColumn("Monte Carlo"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("replications", total=None)
        return power.model(db, spec=spec, progress=lambda done, total: bar.update(task, completed=done, total=total))


@app.command("profile")
def profile(
    iso3: Annotated[str, typer.Argument(help="ISO3 code, e.g. KAZ.")],
    year: ModelYearOption = None,
    db: DbOption = None,
    spec: SpecOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """One state in one year: every pillar with percentile, 90% interval and data vintage; tier and class
    probabilities; the power gap (influence against the influence of states of like capability); the
    article's six criteria with verdicts; the most similar states.

    --out FILE.csv writes the node table; FILE.json every table (nodes, tier, class, gap, criteria,
    similar states, indicators)."""
    from middlepower import power
    from middlepower.power import cli_views as views
    from middlepower.warehouse import check_iso3

    output = table_output(out, fmt)
    iso3 = check_iso3(iso3, db)  # inputs are checked before the Monte Carlo runs
    loaded = _spec(spec)
    result = _model(db, loaded, None if year is None else (year, year))
    year = result.default_last_year if year is None else year
    p = power.profile(iso3, year, db=db, spec=loaded)
    nodes = p.pillars.assign(label=[result.spec.node_label(c) for c in p.pillars["pillar"]])
    position = views.position_rows(p)
    labels = power.input_labels(loaded)

    def draw(screen) -> None:
        show(nodes, views.pillar_columns(labels), f"{p.name} ({p.iso3}), {p.year}: every node of the model "
             f"({result.replications:,} replications)", screen=screen)
        if p.year > p.default_last_year:
            say(f"{p.year} is after the model's last year with real data in every pillar ({p.default_last_year}): "
                f"the 'carried or imputed' column says which inputs are older.", screen, style="yellow")
        import pandas as pd

        show(pd.DataFrame(position), [Col("what"), Col("value", wrap=True)], "Position and conduct",
             screen=screen, legend=views.CLASS_LEGEND)
        show(p.criteria, views.criteria_columns(labels), "The article's criteria", screen=screen)
        show(p.similar, views.similar_columns(), "Most similar states", screen=screen)

    tier = p.tier.iloc[0] if not p.tier.empty else None
    gap = p.gap.iloc[0] if not p.gap.empty else None
    cls = p.classes.iloc[0] if not p.classes.empty else None
    summary = f"{p.iso3} {p.year}: " + (
        f"{tier['tier']} tier (p = {tier['p_' + tier['tier']]:.2f})"
        if tier is not None and isinstance(tier["tier"], str) else "no tier")
    if cls is not None and isinstance(cls["class"], str):
        summary += f", {cls['class']}"
    if gap is not None and not is_missing(gap["gap"]):
        summary += f", power gap {gap['gap']:+.2f} [{gap['gap_lo']:+.2f}, {gap['gap_hi']:+.2f}]"
    counts = p.criteria["verdict"].value_counts()
    summary += "; criteria: " + ", ".join(f"{counts[v]} {v}" for v in views.CRITERION_STYLE if v in counts)
    tables = {"nodes": p.pillars, "tier": p.tier, "classes": p.classes, "gap": p.gap, "criteria": p.criteria,
              "similar": p.similar, "indicators": p.indicators}
    deliver(output, tables, "nodes", draw, summary)


RANK_TOP = 20
"""States ``rank`` lists without --top."""
VARIANTS_TOP = 25
"""States ``variants`` lists without --top."""


@app.command("rank")
def rank(
    year: ModelYearOption = None,
    tier: Annotated[
        str | None, typer.Option("--tier", help="Only this tier: great, middle or small.", show_default=False)
    ] = None,
    top: Annotated[int | None, top_option(RANK_TOP, "states")] = None,
    show_all: AllOption = False,
    db: DbOption = None,
    spec: SpecOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """States ordered by capability, with tier probabilities, class, overall index and power gap.

    Positions are among all states of the year, also with --tier. --out writes every state."""
    from middlepower import power
    from middlepower.power import cli_views as views

    limit = rows_shown(top, show_all, RANK_TOP)
    output = table_output(out, fmt)
    if tier is not None:
        power.check_tier(tier)
    loaded = _spec(spec)
    result = _model(db, loaded, None if year is None else (year, year))
    year = result.default_last_year if year is None else year
    frame = power.rank(year, tier=tier, db=db, spec=loaded)
    shown, cut = top_rows(frame, limit)
    disagree = int((frame["likeliest_tier"].notna() & (frame["likeliest_tier"] != frame["tier"])).sum())
    other_class = bool((frame["likeliest_class"].notna() & (frame["likeliest_class"] != frame["class"])).any())
    legend = "; ".join(x for x in (views.TIER_NOTE if disagree else "", views.CLASS_NOTE if other_class else "",
                                   cut) if x)

    def draw(screen) -> None:
        show(shown, views.rank_columns(), f"Rank {year}" + (f", {tier} tier" if tier else ""), legend, screen)

    counts = frame["tier"].value_counts()
    untiered = int(frame["tier"].isna().sum())
    note = (f" (after {result.default_last_year}, the last year with real data in every pillar)"
            if year > result.default_last_year else "")
    if tier is None:
        head = f"{len(frame)} states in {year}: " + ", ".join(f"{counts.get(t, 0)} {t}" for t in ("great", "middle",
                                                                                                     "small"))
    else:  # the other tiers are not in the frame: counting them 0 would say they are empty
        head = f"{plural(len(frame), 'state')} of the {tier} tier in {year}"
    summary = (head + (f", {untiered} without a tier (too little real data)" if untiered and tier is None else "")
               + (f"; {disagree} with a nominal tier that most replications do not give" if disagree else "") + note)
    deliver(output, {"rank": frame}, "rank", draw, summary)


@app.command("compare")
def compare(
    iso3s: Annotated[list[str], typer.Argument(help="ISO3 codes, e.g. KAZ AZE CAN AUS TUR (or KAZ,AZE,CAN).")],
    first: Annotated[int, typer.Option("--from", help="First year.")] = 1995,
    last: Annotated[
        int | None, typer.Option("--to", help="Last year (default: the model's last default year, the last with real"
                                 " data in every pillar).", show_default=False)
    ] = None,
    db: DbOption = None,
    spec: SpecOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """States side by side over a span of years: tier, class, pillar percentiles and power gap.

    The 'data' column is the oldest year of real data behind a row's pillars (earlier than the row's
    year where an input is carried, e.g. IGO memberships from 2014)."""
    from middlepower import power
    from middlepower.errors import DataError
    from middlepower.power import cli_views as views
    from middlepower.warehouse import check_iso3

    output = table_output(out, fmt)
    codes = [code for arg in iso3s for code in arg.split(",") if code.strip()]  # KAZ,AZE as the dashboard writes it
    iso3s = list(dict.fromkeys(check_iso3(code.strip(), db) for code in codes))  # a state named twice is one state
    if last is not None and last < first:
        raise DataError(f"--from {first} --to {last}: the range ends before it starts")
    loaded = _spec(spec)
    result = _model(db, loaded, None if last is None else (first, last))
    if last is None:
        last = result.default_last_year
        if last < first:
            raise DataError(f"--from {first}: after the model's last default year {last}; give --to")
    frame = power.compare(iso3s, first, last, db=db, spec=loaded)
    frame = frame.assign(likeliest_tier=power.views.likeliest_tier(frame)) if "p_great" in frame else frame
    cols, legend = views.compare_columns(result, frame)

    def draw(screen) -> None:
        show(frame, cols, f"Comparison {first}-{last}", legend, screen)

    latest = frame[frame["year"] == frame["year"].max()]
    summary = (f"{plural(len(iso3s), 'state')}, {first}-{last}; in {int(latest['year'].max())}: "
               + ", ".join(f"{r.iso3} {'no tier' if is_missing(r.tier) else views.tier_cell(r._asdict())}"
                           for r in latest.itertuples()))
    deliver(output, {"compare": frame.drop(columns="likeliest_tier", errors="ignore")}, "compare", draw, summary)


@app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="Claim file (YAML; format in docs/power.md).")],
    db: DbOption = None,
    spec: SpecOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Check claims against the store and the model: a verdict per claim (supported, contradicted,
    inconclusive when a model interval straddles the threshold, insufficient data) with its evidence,
    source tables and years."""
    from middlepower import power
    from middlepower.power import claims as claim_module
    from middlepower.power import cli_views as views

    output = table_output(out, fmt)
    loaded = _spec(spec)
    claim_module.read_claims(path, db, loaded)  # a malformed file fails here, before the Monte Carlo
    _model(db, loaded)
    frame = power.check(path, db=db, spec=loaded)

    def draw(screen) -> None:
        show(frame, views.claim_columns(), f"Claims in {path}", screen=screen)

    counts = frame["verdict"].value_counts()
    summary = f"{len(frame)} claims: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in views.VERDICT_STYLE)
    deliver(output, {"claims": frame}, "claims", draw, summary)


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
    candidates: Annotated[
        bool,
        typer.Option("--candidates", help="Also score ten other capability measures from the literature against "
                     "log GDP on the same references (adds about 10 s)."),
    ] = False,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """The validation report: capability, the overall index and three baselines (log GDP, log GDP x GDP
    per capita, log military spending) against COW major powers, Maoz powers and published lists of
    middle powers — AUCs, rank correlations and confusion matrices — and the missing-data model on
    held-out real values."""
    from middlepower import power
    from middlepower.power import validation_report

    if markdown is not None:  # checked before the validation runs
        from middlepower.outpath import check_out

        check_out(markdown, (".md",), parameter="markdown")
    output = table_output(out, fmt)
    loaded = _spec(spec)
    result = _model(db, loaded)
    report = power.validate(db=db, spec=loaded, candidates=candidates)
    scores = list(validation_report.SCORE_HEADERS)
    metric_cols = [Col("reference", wrap=True), Col("metric", drop=2), Col("years", drop=3),
                   Col("n", digits=0, drop=4), Col("positives", "pos", "reference members", digits=0, drop=4)]
    metric_cols += [Col(code, label, digits=3) for code, label in _short_scores(scores).items()]
    legend = "; ".join(f"{short} = {validation_report.SCORE_HEADERS[code]}"
                       for code, short in _short_scores(scores).items())

    def draw(screen) -> None:
        show(report.metrics, metric_cols, f"Validation on {report.n_state_years:,} state-years (scores: "
             "percentile within the year)", legend, screen)
        for name, counts in report.confusion.items():
            table = counts.reset_index()
            show(table, [Col(str(c), digits=None if i == 0 else 0) for i, c in enumerate(table.columns)],
                 f"Confusion matrix, {name}", screen=screen)
        restraint = report.restraint
        show(restraint, [Col(str(c), digits=3 if restraint[c].dtype.kind == "f" else None, wrap=restraint[c].dtype
                              .kind == "O") for c in restraint.columns], "Convergent check of the restraint measure",
             screen=screen)
        show(validation_report.intervals_table(report.intervals),
             [Col("reference", wrap=True), Col("comparison", wrap=True), Col("difference", "diff"),
              Col("90% interval", "90% interval"), Col("p(> 0)"), Col("states", drop=2), Col("listed", drop=3)],
             "How much the comparisons can support (cluster bootstrap over states, 90% intervals)",
             "diff = difference of the two scores; p(> 0) = share of resamples with a positive difference",
             screen)
        if report.candidates is not None:
            show(validation_report.candidates_summary(report.candidates),
                 [Col("candidate", wrap=True), Col("beats log GDP on", "beats"), Col("clearly better", "better"),
                  Col("clearly worse", "worse"), Col("why it is in the literature", "why", wrap=True, drop=2)],
                 "Other capability measures against log GDP, on the same references",
                 "beats = references on which it scores above log GDP; better/worse = 90% bootstrap interval of "
                 "the difference above/below 0", screen)
        if report.imputation is not None and not report.imputation.empty:
            table = validation_report.imputation_table(report.imputation, report.imputed)
            show(table, [Col(str(c), wrap=i < 2) for i, c in enumerate(table.columns)],
                 "The missing-data model on held-out real values (model alone → anchored)",
                 "imputed state-years = state-years the model imputes that input for; d = years between the "
                 "two real values; mean error on the input's scale; inside 90% = share of real values inside "
                 "the 90% interval (0.90 if the spread is honest)", screen)
        if report.bridge is not None and not report.bridge.empty:
            table = validation_report.bridge_table(report.bridge)
            show(table, [Col(str(c), wrap=i < 2) for i, c in enumerate(table.columns)],
                 "Between two real years (nearer real year → bridge)",
                 "d = years to each real neighbour; same measures as the table above", screen)

    if markdown is not None:
        validation_report.write(markdown, report, result)
        say(f"wrote {markdown}")
    beats = int(report.checks["capability_beats_log_gdp"].sum())
    holds = int(report.checks["overall_at_least_capability"].sum())
    summary = (f"{len(report.checks)} references: capability beats log GDP on {beats}, "
               f"the overall index matches or beats capability on {holds}")
    tables = {"metrics": report.metrics, "checks": report.checks, "restraint": report.restraint,
              "intervals": report.intervals,
              **{f"confusion {name}": counts.reset_index() for name, counts in report.confusion.items()}}
    if report.imputation is not None:
        tables["imputation hold-out"] = report.imputation
    if report.bridge is not None:
        tables["bridge hold-out"] = report.bridge
    if report.candidates is not None:
        tables.update({"candidates": report.candidates.summary, "candidate metrics": report.candidates.metrics,
                       "candidate intervals": report.candidates.intervals})
    deliver(output, tables, "metrics", draw, summary)


def _short_scores(codes: list[str]) -> dict[str, str]:
    from middlepower.terminal import abbreviations

    return abbreviations(codes, 5)


@app.command("variants")
def variants(
    spec_a: Annotated[Path, typer.Argument(help="First spec (TOML).")],
    spec_b: Annotated[
        Path | None, typer.Argument(help="Second spec (default: the shipped default_spec.toml).", show_default=False)
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year (default: both variants' last default year).", show_default=False)
    ] = None,
    top: Annotated[int | None, top_option(VARIANTS_TOP, "states (tier and class changes, then rank shifts, first)")]
    = None,
    show_all: AllOption = False,
    db: DbOption = None,
    out: OutOption = None,
    fmt: FormatOption = None,
) -> None:
    """Two model variants side by side: tier, class, capability percentile, overall rank and power gap of
    every state, largest rank shifts first."""
    from middlepower import power
    from middlepower.power import cli_views as views
    from middlepower.power import variants as variant_module

    limit = rows_shown(top, show_all, VARIANTS_TOP)
    output = table_output(out, fmt)
    first, second = _spec(spec_a), _spec(spec_b)
    _model(db, first, None if year is None else (year, year))
    _model(db, second, None if year is None else (year, year))
    frame = power.compare_specs(first, second, year=year, db=db)
    shown, cut = top_rows(frame, limit)

    def draw(screen) -> None:
        show(shown, views.variant_columns(), f"A = {spec_a}, B = {spec_b or 'default spec'}, "
             f"{int(frame['year'].iloc[0])}", cut, screen)

    s = variant_module.summary(frame)
    summary = (f"{s['states']} states: {s['tier_changes']} change tier, {s['class_changes']} change class; "
               f"overall ranks correlate {s['rank_spearman']:.3f} (Spearman), "
               f"largest shift {s['largest_rank_shift']:.0f} places")
    deliver(output, {"variants": frame}, "variants", draw, summary)
