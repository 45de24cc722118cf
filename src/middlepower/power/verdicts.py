"""Verdicts on claims: each claim's query run against the model and the store, with evidence.

For every year a claim covers, the relation is judged on that year's values of all states; a claim
over several years is supported only if it holds in every year, contradicted if it fails in any,
and ``insufficient data`` where a value it needs is missing (never a guess). The evidence names the
values compared, the model's interval where the measure is a model output, the registry sources
behind the measure (from the column catalogue) and the years used. Claim format: :mod:`middlepower.power.claims`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from middlepower.power.claims import TIER_MEASURES, Claim, read_claims
from middlepower.power.model import ModelResult
from middlepower.warehouse import open_store


def measure_values(result: ModelResult, measure: str, first: int, last: int, db) -> pd.DataFrame:
    """Values of ``measure`` for every state in ``first``..``last``: columns iso3, year, value."""
    if measure.startswith("pillar:"):
        rows = result.scores[result.scores["pillar"] == measure.split(":", 1)[1]]
        frame = rows.rename(columns={"score": "value"})
    elif measure in TIER_MEASURES:
        frame = result.tiers.rename(columns={measure: "value"})
    elif measure == "gap":
        frame = result.gap.rename(columns={"gap": "value"})
    elif measure in result.indicators.columns:
        frame = result.indicators.rename(columns={measure: "value"})
    else:
        with open_store(db) as store:
            frame = store.query(f'SELECT iso3, year, "{measure}" AS value FROM panel')
    frame = frame[frame["year"].between(first, last)]
    return frame[["iso3", "year", "value"]].reset_index(drop=True)


def measure_sources(result: ModelResult, measure: str) -> list[str]:
    """Registry sources behind a measure: those of the indicators it aggregates (a pillar, the tier, the
    gap), of the indicator whose column it is, or of the catalogued column of that name."""
    docs = result.spec.docs
    settings = result.spec.settings
    if measure.startswith("pillar:"):
        code = measure.split(":", 1)[1]
        chosen = docs["sources"] if code == result.spec.index.root else docs.loc[docs["pillar"] == code, "sources"]
    elif measure in TIER_MEASURES:
        chosen = docs.loc[docs["pillar"] == settings.tier_pillar, "sources"]
    elif measure == "gap":
        chosen = docs.loc[docs["pillar"].isin([settings.capability_pillar, *settings.influence_pillars]), "sources"]
    else:
        chosen = docs.loc[docs["column"] == measure, "sources"]
        if chosen.empty:
            from middlepower import panel
            from middlepower.power.indicators import MODEL_COLUMNS

            catalogue = panel.declared(MODEL_COLUMNS)
            chosen = catalogue.loc[catalogue["name"] == measure, "sources"]
    return list(dict.fromkeys(name for names in chosen for name in names))


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.3e}"
    return str(value)


def _judge(claim: Claim, values: pd.Series) -> tuple[str, str]:
    """Verdict and evidence for one year; ``values`` maps iso3 -> value (all states that year)."""
    mine = values.get(claim.subject)
    arg = claim.argument
    if _is_missing(mine):
        return "insufficient data", f"{claim.subject} has no value"
    if claim.relation in ("largest_among", "smallest_among"):
        group = [claim.subject, *[c for c in arg if c != claim.subject]]
        missing = [c for c in group if _is_missing(values.get(c))]
        shown = ", ".join(f"{c} {_fmt(values.get(c))}" for c in group if c not in missing)
        if missing:
            return "insufficient data", f"no value for {', '.join(missing)} ({shown})"
        best = max if claim.relation == "largest_among" else min
        winner = best(group, key=lambda c: values[c])
        verdict = "supported" if values[winner] == mine else "contradicted"
        return verdict, f"{shown}; {'largest' if best is max else 'smallest'}: {winner}"
    if claim.relation == "top_fraction":
        present = values.dropna()
        rank = int((present > mine).sum()) + 1
        cut = math.ceil(float(arg) * len(present))
        verdict = "supported" if rank <= cut else "contradicted"
        return (
            verdict,
            f"{claim.subject} {_fmt(mine)} ranks {rank} of {len(present)} (top {float(arg):.0%} = first {cut})",
        )
    if claim.relation in ("greater_than", "less_than"):
        other = values.get(arg) if isinstance(arg, str) else float(arg)
        if _is_missing(other):
            return "insufficient data", f"{arg} has no value"
        holds = mine > other if claim.relation == "greater_than" else mine < other
        label = f"{arg} {_fmt(other)}" if isinstance(arg, str) else _fmt(other)
        sign = ">" if claim.relation == "greater_than" else "<"
        return ("supported" if holds else "contradicted"), f"{claim.subject} {_fmt(mine)} {sign} {label}: {holds}"
    if claim.relation == "probability_at_least":
        holds = float(mine) >= float(arg)
        return (
            "supported" if holds else "contradicted"
        ), f"{claim.subject} {claim.measure} = {float(mine):.3f} (need >= {arg})"
    try:  # equals: numerically where both sides are numbers (1 == 1.0), else as text (tiers)
        holds = float(mine) == float(arg)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        holds = str(mine) == str(arg)
    return (
        "supported" if holds else "contradicted"
    ), f"{claim.subject} {claim.measure} = {_fmt(mine)} (expected {arg})"


def _uncertainty(result: ModelResult, claim: Claim, year: int) -> str:
    """The interval behind a model measure in ``year`` (empty for data columns)."""
    if claim.measure == "gap":
        row = result.gap[(result.gap["iso3"] == claim.subject) & (result.gap["year"] == year)]
        if not row.empty and not pd.isna(row["gap_lo"].iloc[0]):
            r = row.iloc[0]
            return (f" (90% interval {r['gap_lo']:+.2f} to {r['gap_hi']:+.2f}; "
                    f"positive in {r['p_above']:.0%} of replications)")
    if claim.measure.startswith("pillar:"):
        pillar = claim.measure.split(":", 1)[1]
        s = result.scores
        row = s[(s["iso3"] == claim.subject) & (s["year"] == year) & (s["pillar"] == pillar)]
        if not row.empty and not pd.isna(row["percentile_lo"].iloc[0]):
            r = row.iloc[0]
            return (
                f" (percentile {r['percentile']:.0f}, 90% interval {r['percentile_lo']:.0f}-{r['percentile_hi']:.0f})"
            )
    if claim.measure in TIER_MEASURES[1:]:
        return f" (share of {result.replications:,} replications)"
    return ""


def evaluate(claim: Claim, result: ModelResult, db, known_tables: dict[str, str]) -> dict:
    """The verdict row of one claim: id, text, verdict, evidence, sources (registry names), years,
    source_titles (each source's title, from the store's ``_sources`` or the registry)."""
    first, last = claim.years
    values = measure_values(result, claim.measure, first, last, db)
    by_year = {year: frame.set_index("iso3")["value"] for year, frame in values.groupby("year")}
    verdicts, notes = [], []
    for year in range(first, last + 1):
        verdict, evidence = _judge(claim, by_year.get(year, pd.Series(dtype=float)))
        verdicts.append(verdict)
        notes.append((year, verdict, evidence))
    if "contradicted" in verdicts:
        verdict = "contradicted"
        shown = [n for n in notes if n[1] == "contradicted"]
    elif "insufficient data" in verdicts:
        verdict = "insufficient data"
        shown = [n for n in notes if n[1] == "insufficient data"]
    else:
        verdict = "supported"
        shown = notes
    evidence = "; ".join(f"{y}: {e}{_uncertainty(result, claim, y)}" for y, _, e in shown[:3])
    if len(shown) > 3:
        evidence += f"; ... ({len(shown)} years {verdict})"
    names = measure_sources(result, claim.measure)
    titles = [f"{name}: {known_tables[name]}" if name in known_tables else name for name in names]
    years = str(first) if first == last else f"{first}-{last}"
    return {
        "id": claim.id,
        "text": claim.text,
        "verdict": verdict,
        "evidence": evidence,
        "sources": ", ".join(names),
        "years": years,
        "source_titles": "; ".join(titles),
    }


def check_file(path: str | Path, db=None, result: ModelResult | None = None) -> pd.DataFrame:
    """Check every claim of a YAML file; one row per claim (id, text, verdict, evidence, sources,
    years, source_titles)."""
    from middlepower.power.compute import compute

    claims = read_claims(path, db, result.spec if result else None)
    with open_store(db) as store:
        titles = store.query("SELECT source, title FROM _sources")
    from middlepower import sources

    known = {source.name: source.title for source in sources.all_sources()}  # shipped sources are no tables
    known.update(zip(titles["source"], titles["title"], strict=True))
    result = result or compute(db=db)
    return pd.DataFrame([evaluate(claim, result, db, known) for claim in claims])
