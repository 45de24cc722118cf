"""Verdicts on claims: each claim's query run against the model and the store, with evidence.

For every year a claim covers, the relation is judged on that year's values of all states; a claim
over several years is supported only if it holds in every year, contradicted if it fails in any,
and ``insufficient data`` where a value it needs is missing (never a guess). The evidence names the
values compared, the model's interval where the measure is a model output, the store tables behind
the measure (from ``_sources``) and the years used. Claim format: :mod:`middlepower.power.claims`.
"""

from __future__ import annotations

import math
import re
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


def measure_sources(result: ModelResult, measure: str, known: set[str]) -> list[str]:
    """Store tables (``_sources`` names) behind a measure; the spec's source text where none match."""
    docs = result.spec.docs
    settings = result.spec.settings
    if measure.startswith("pillar:"):
        code = measure.split(":", 1)[1]
        texts = docs["source"] if code == result.spec.index.root else docs.loc[docs["pillar"] == code, "source"]
    elif measure in TIER_MEASURES:
        texts = docs.loc[docs["pillar"] == settings.tier_pillar, "source"]
    elif measure == "gap":
        texts = docs.loc[docs["pillar"].isin([settings.capability_pillar, *settings.influence_pillars]), "source"]
    else:
        texts = docs.loc[docs["column"] == measure, "source"]
        if texts.empty:
            texts = [_panel_column_source(measure)]
    found: list[str] = []
    for text in texts:
        tokens = [t for t in re.split(r"[^A-Za-z0-9_.]+", text) if t]
        hits = [t for t in tokens if t in known] or [text]
        found.extend(h for h in hits if h not in found)
    return found


# Words in the panel verbs' column descriptions -> the store table they come from.
_DESCRIPTION_TABLES = {"WDI": "wdi", "COW NMC": "cow_nmc", "SIPRI 2025": "sipri_milex", "Energy Institute": "ei_energy",
                       "COW IGO": "cow_igo_sy", "ATOP": "atop_alliances", "Gapminder": "gapminder_arms_exports",
                       "mledoze": "countries", "unsc_members.csv": "UN Security Council list (data/power/unsc_members.csv)"}


def _panel_column_source(column: str) -> str:
    """Source table of a panel column the spec does not use, from the panel verbs' documentation."""
    from middlepower.panel import capabilities, economy, reach

    described = {**capabilities.CAPABILITY_COLUMNS, **economy.ECONOMY_COLUMNS, **economy.MILITARY_COLUMNS,
                 **economy.RESOURCE_COLUMNS, **economy.IGO_COLUMNS, **reach.REACH_COLUMNS, **reach.TIES_COLUMNS}
    if column.startswith("transit_"):  # add_transit reads the corridor model's shipped network, not the store
        return "corridor network (data/corridor/ via middlepower.corridor)"
    text = described.get(column, "")
    tables = [table for word, table in _DESCRIPTION_TABLES.items() if word in text]
    return " ".join(tables) if tables else "panel view"


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
        return verdict, f"{claim.subject} {_fmt(mine)} ranks {rank} of {len(present)} (top {float(arg):.0%} = first {cut})"
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
        return ("supported" if holds else "contradicted"), f"{claim.subject} {claim.measure} = {float(mine):.3f} (need >= {arg})"
    try:  # equals: numerically where both sides are numbers (1 == 1.0), else as text (tiers)
        holds = float(mine) == float(arg)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        holds = str(mine) == str(arg)
    return ("supported" if holds else "contradicted"), f"{claim.subject} {claim.measure} = {_fmt(mine)} (expected {arg})"


def _uncertainty(result: ModelResult, claim: Claim, year: int) -> str:
    """The interval behind a model measure in ``year`` (empty for data columns)."""
    if claim.measure == "gap":
        row = result.gap[(result.gap["iso3"] == claim.subject) & (result.gap["year"] == year)]
        if not row.empty and not pd.isna(row["gap_lo"].iloc[0]):
            r = row.iloc[0]
            return f" (90% interval {r['gap_lo']:+.2f} to {r['gap_hi']:+.2f}; positive in {r['p_above']:.0%} of replications)"
    if claim.measure.startswith("pillar:"):
        pillar = claim.measure.split(":", 1)[1]
        s = result.scores
        row = s[(s["iso3"] == claim.subject) & (s["year"] == year) & (s["pillar"] == pillar)]
        if not row.empty and not pd.isna(row["percentile_lo"].iloc[0]):
            r = row.iloc[0]
            return f" (percentile {r['percentile']:.0f}, 90% interval {r['percentile_lo']:.0f}-{r['percentile_hi']:.0f})"
    if claim.measure in TIER_MEASURES[1:]:
        return f" (share of {result.replications:,} replications)"
    return ""


def evaluate(claim: Claim, result: ModelResult, db, known_tables: dict[str, str]) -> dict:
    """The verdict row of one claim: id, text, verdict, evidence, sources (store table names),
    years, source_titles (each table's title from ``_sources``)."""
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
    names = measure_sources(result, claim.measure, set(known_tables))
    titles = [f"{name}: {known_tables[name]}" if name in known_tables else name for name in names]
    years = str(first) if first == last else f"{first}-{last}"
    return {"id": claim.id, "text": claim.text, "verdict": verdict, "evidence": evidence,
            "sources": ", ".join(names), "years": years, "source_titles": "; ".join(titles)}


def check_file(path: str | Path, db=None, result: ModelResult | None = None) -> pd.DataFrame:
    """Check every claim of a YAML file; one row per claim (id, text, verdict, evidence, sources,
    years, source_titles)."""
    from middlepower.power.compute import compute

    claims = read_claims(path, db, result.spec if result else None)
    with open_store(db) as store:
        titles = store.query("SELECT source, title FROM _sources")
    known = dict(zip(titles["source"], titles["title"]))
    result = result or compute(db=db)
    return pd.DataFrame([evaluate(claim, result, db, known) for claim in claims])
