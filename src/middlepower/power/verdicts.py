"""Verdicts on claims: each claim's query run against the model and the store, with evidence.

For every year a claim covers, the relation is judged on that year's values of all states. A model
measure is judged on its 90% interval, not only on its nominal value: a pillar's percentile
interval (``top_fraction``; with ``greater_than``/``less_than`` a pillar's score is compared as a
number), the gap's interval (``greater_than``/``less_than`` with a number), or a tier's or class's
probability (``equals``, the one relation a tier or class takes:
supported at p >= 0.95, contradicted at p <= 0.05). When the interval straddles the threshold the
year is ``inconclusive``. Over a window (``years: [a, b]``), ``holds: all`` (default) is supported
only if every year is, contradicted if any year is; ``holds: any`` is supported if any year is.
The evidence names the values compared, the registry sources behind the measure (from the column
catalogue) and the years used.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from middlepower.errors import SpecError
from middlepower.power.claims import CLASS_MEASURES, TIER_MEASURES, Claim, read_claims
from middlepower.power.model import ModelResult
from middlepower.power.spec import probability_column
from middlepower.specfile import about
from middlepower.warehouse import open_store

SURE = 0.95
"""A tier or class claim is supported when its probability is at least this, contradicted at 1 - SURE."""
ORDER_ALL = ("contradicted", "inconclusive", "insufficient data")
ORDER_ANY = ("supported", "inconclusive", "contradicted")


def _is_model_measure(measure: str) -> bool:
    return measure.startswith("pillar:") or measure in (*TIER_MEASURES, *CLASS_MEASURES, "gap")


def measure_values(result: ModelResult, measure: str, first: int, last: int, db) -> pd.DataFrame:
    """Values of ``measure`` for every state in ``first``..``last``: iso3, year, value (+ lo, hi, p)."""
    if measure.startswith("pillar:"):
        rows = result.scores[result.scores["pillar"] == measure.split(":", 1)[1]]
        frame = rows.rename(columns={"score": "value", "percentile_lo": "lo", "percentile_hi": "hi"})
    elif measure in TIER_MEASURES:
        frame = result.tiers.rename(columns={measure: "value"})
    elif measure in CLASS_MEASURES:
        frame = result.classes.rename(columns={measure: "value"})
    elif measure == "gap":
        frame = result.gap.rename(columns={"gap": "value", "gap_lo": "lo", "gap_hi": "hi"})
    elif measure in result.indicators.columns:
        frame = result.indicators.rename(columns={measure: "value"})
    else:
        with open_store(db) as store:
            frame = store.query(f'SELECT iso3, year, "{measure}" AS value FROM panel')
    frame = frame[frame["year"].between(first, last)]
    keep = [c for c in ("iso3", "year", "value", "lo", "hi", "percentile") if c in frame.columns]
    return frame[keep].reset_index(drop=True)


def measure_sources(result: ModelResult, measure: str) -> list[str]:
    """Registry sources behind a measure: those of the indicators it aggregates (a node, the tier, the
    class, the gap), of the indicator whose column or input it is, or of the catalogued column of that name."""
    spec = result.spec
    settings = spec.settings
    docs = spec.docs.set_index("code")
    if measure.startswith("pillar:"):
        codes = spec.indicators_under(measure.split(":", 1)[1])
    elif measure in (*TIER_MEASURES, *CLASS_MEASURES):
        codes = spec.indicators_under(settings.tier_pillar)
        if measure in CLASS_MEASURES:
            codes = [*codes, *spec.indicators_under(settings.behaviour_pillar)]
    elif measure == "gap":
        codes = [*spec.indicators_under(settings.capability_pillar), *spec.indicators_under(settings.influence_pillar)]
    else:
        codes = list(spec.docs.loc[spec.docs["column"] == measure, "code"])
        codes = codes or [row.code for row in spec.docs.itertuples() if row.inputs == (measure,)]
    if codes:
        return list(dict.fromkeys(name for code in codes for name in docs.loc[code, "sources"]))
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


def _interval_verdict(lo: float, hi: float, above: bool, cut: float) -> str | None:
    """supported / contradicted / inconclusive for an interval against ``cut`` (None without an interval)."""
    if _is_missing(lo) or _is_missing(hi):
        return None
    if (lo >= cut) if above else (hi < cut):
        return "supported"
    if (hi < cut) if above else (lo >= cut):
        return "contradicted"
    return "inconclusive"


def _judge(claim: Claim, year_frame: pd.DataFrame) -> tuple[str, str]:
    """Verdict and evidence for one year; ``year_frame`` is indexed by iso3 (all states that year)."""
    values = year_frame["value"] if "value" in year_frame else pd.Series(dtype=float)
    mine = values.get(claim.subject)
    arg = claim.argument
    if _is_missing(mine):
        return "insufficient data", f"{claim.subject} has no value"
    row = year_frame.loc[claim.subject]
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
        text = f"{claim.subject} {_fmt(mine)} ranks {rank} of {len(present)} (top {float(arg):.0%} = first {cut})"
        if "percentile" in row.index:  # a pillar: judge the percentile interval against the cut
            threshold = 100.0 * (1.0 - float(arg))
            verdict = _interval_verdict(row["lo"], row["hi"], True, threshold) or verdict
            text += (f"; percentile {row['percentile']:.0f}, 90% interval {row['lo']:.0f}-{row['hi']:.0f} "
                     f"(cut {threshold:.0f})")
        return verdict, text
    if claim.relation in ("greater_than", "less_than"):
        other = values.get(arg) if isinstance(arg, str) else float(arg)
        if _is_missing(other):
            return "insufficient data", f"{arg} has no value"
        holds = mine > other if claim.relation == "greater_than" else mine < other
        label = f"{arg} {_fmt(other)}" if isinstance(arg, str) else _fmt(other)
        sign = ">" if claim.relation == "greater_than" else "<"
        text = f"{claim.subject} {_fmt(mine)} {sign} {label}: {holds}"
        verdict = "supported" if holds else "contradicted"
        if claim.measure == "gap" and not isinstance(arg, str):
            interval = _interval_verdict(row["lo"], row["hi"], claim.relation == "greater_than", float(arg))
            verdict = interval or verdict
            text += f" (90% interval {row['lo']:+.2f} to {row['hi']:+.2f})"
        return verdict, text
    if claim.relation == "probability_at_least":
        holds = float(mine) >= float(arg)
        return (
            "supported" if holds else "contradicted"
        ), f"{claim.subject} {claim.measure} = {float(mine):.3f} (need >= {arg})"
    return _judge_equals(claim, mine, row)


def _judge_equals(claim: Claim, mine: object, row: pd.Series) -> tuple[str, str]:
    arg = claim.argument
    if claim.measure in ("tier", "class"):
        column = probability_column(str(arg))
        p = row.get(column)
        if _is_missing(p):
            return "insufficient data", f"{claim.subject} has no {claim.measure} probability for {arg!r}"
        verdict = "supported" if p >= SURE else "contradicted" if p <= 1 - SURE else "inconclusive"
        return verdict, f"{claim.subject} {claim.measure} = {mine} (p({arg}) = {float(p):.2f})"
    try:  # numerically where both sides are numbers (1 == 1.0), else as text
        holds = float(mine) == float(arg)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        holds = str(mine) == str(arg)
    return (
        "supported" if holds else "contradicted"
    ), f"{claim.subject} {claim.measure} = {_fmt(mine)} (expected {arg})"


def _frame_for(result: ModelResult, claim: Claim, db) -> pd.DataFrame:
    first, last = claim.years
    if _is_model_measure(claim.measure):
        covered = (int(result.tiers["year"].min()), int(result.tiers["year"].max()))
        if first < covered[0] or last > covered[1]:
            field, shown = ("year", str(first)) if first == last else ("years", f"{first}-{last}")
            raise SpecError(
                f"claim {claim.id!r}, field {field!r}: {shown} is outside the model's years "
                f"{covered[0]}-{covered[1]}"
            )
    frame = measure_values(result, claim.measure, first, last, db)
    if claim.measure in ("tier", "class"):
        probs = result.tiers if claim.measure == "tier" else result.classes
        extra = [c for c in probs.columns if c.startswith("p_")]
        frame = frame.merge(probs[["iso3", "year", *extra]], on=["iso3", "year"], how="left")
    return frame


def _combine(claim: Claim, verdicts: list[str]) -> str:
    order = ORDER_ALL if claim.holds == "all" else ORDER_ANY
    for verdict in order:
        if verdict in verdicts:
            return verdict
    return "supported" if claim.holds == "all" else "insufficient data"


def evaluate(claim: Claim, result: ModelResult, db, known_tables: dict[str, str]) -> dict:
    """The verdict row of one claim: id, text, verdict, evidence, sources (registry names), years,
    source_titles (each source's title, from the store's ``_sources`` or the registry)."""
    first, last = claim.years
    frame = _frame_for(result, claim, db)
    by_year = {year: rows.set_index("iso3") for year, rows in frame.groupby("year")}
    notes = [
        (year, *_judge(claim, by_year.get(year, pd.DataFrame(columns=["value"])))) for year in range(first, last + 1)
    ]
    verdict = _combine(claim, [n[1] for n in notes])
    shown = [n for n in notes if n[1] == verdict] or notes
    evidence = "; ".join(f"{y}: {e}" for y, _, e in shown[:3])
    if len(shown) > 3:
        evidence += f"; ... ({len(shown)} years {verdict})"
    if claim.holds == "any" and first != last:
        evidence = f"holds in any year of {first}-{last}: " + evidence
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
    with about(path):  # a claim outside the model's years is known only now: name the file too
        return pd.DataFrame([evaluate(claim, result, db, known) for claim in claims])
