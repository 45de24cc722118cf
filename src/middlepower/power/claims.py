"""The claim checker: small YAML claims, each a query on the store with an expected relation.

Format (docs/power.md has the full description)::

    claims:
      - id: kaz-largest-economy-central-asia
        text: Kazakhstan has the largest economy of Central Asia.
        subject: KAZ
        measure: gdp_usd              # a panel column, pillar:<code>, tier, p_great/p_middle/p_small, gap
        year: 2022                    # or years: [1992, 2022] (the relation must hold in every year)
        relation: {largest_among: [KGZ, TJK, TKM, UZB]}

Relations: ``largest_among`` / ``smallest_among`` (list of ISO3), ``top_fraction`` (0-1, among all
states with a value that year), ``greater_than`` / ``less_than`` (a number or an ISO3 code),
``equals`` (a value, e.g. a tier), ``probability_at_least`` (0-1, for p_* measures). A verdict is
``supported``, ``contradicted`` or ``insufficient data`` (a value needed is missing: never a guess).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from middlepower.codes import known_iso3
from middlepower.errors import SpecError
from middlepower.power.indicators import CONTEXT_COLUMNS, DERIVED_COLUMNS
from middlepower.power.model import ModelResult
from middlepower.power.spec import PowerSpec
from middlepower.power.spec import load as load_spec
from middlepower.warehouse import open_store

RELATIONS = ("largest_among", "smallest_among", "top_fraction", "greater_than", "less_than", "equals",
             "probability_at_least")
TIER_MEASURES = ("tier", "p_great", "p_middle", "p_small")
FIELDS = {"id", "text", "subject", "measure", "year", "years", "relation"}


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    subject: str
    measure: str
    years: tuple[int, int]
    relation: str
    argument: object


def _fail(claim_id: str, field: str, message: str) -> SpecError:
    return SpecError(f"claim {claim_id!r}, field {field!r}: {message}")


def _iso3(claim_id: str, field: str, code: object) -> str:
    value = str(code).strip().upper()
    if value not in known_iso3():
        raise _fail(claim_id, field, f"unknown ISO3 code {code!r}")
    return value


def parse_claim(raw: object, position: int, measures: set[str]) -> Claim:
    """Validate one claim mapping; SpecError names the claim id and the offending field."""
    if not isinstance(raw, dict):
        raise SpecError(f"claim #{position}: expected a mapping with id, text, subject, measure, year, relation")
    cid = str(raw.get("id") or f"#{position}")
    for field in ("id", "text", "subject", "measure", "relation"):
        if not raw.get(field):
            raise _fail(cid, field, "missing")
    unknown = set(raw) - FIELDS
    if unknown:
        raise _fail(cid, sorted(unknown)[0], f"unknown field (expected {', '.join(sorted(FIELDS))})")
    if ("year" in raw) == ("years" in raw):
        raise _fail(cid, "year", "give exactly one of 'year: 2022' or 'years: [first, last]'")
    try:
        years = (int(raw["year"]),) * 2 if "year" in raw else tuple(int(y) for y in raw["years"])
    except (TypeError, ValueError):
        raise _fail(cid, "year" if "year" in raw else "years", "expected a year or [first, last]") from None
    if len(years) != 2 or years[1] < years[0]:
        raise _fail(cid, "years", "expected [first, last] with first <= last")
    measure = str(raw["measure"])
    if measure not in measures:
        raise _fail(cid, "measure", f"unknown measure {measure!r} (a panel column, pillar:<code>, "
                                    f"{', '.join(TIER_MEASURES)} or gap)")
    relation = raw["relation"]
    if not isinstance(relation, dict) or len(relation) != 1 or next(iter(relation)) not in RELATIONS:
        raise _fail(cid, "relation", f"expected one of {', '.join(RELATIONS)} with its argument")
    name, argument = next(iter(relation.items()))
    if name in ("largest_among", "smallest_among"):
        if not isinstance(argument, list) or not argument:
            raise _fail(cid, "relation", f"{name} needs a list of ISO3 codes")
        argument = tuple(_iso3(cid, "relation", code) for code in argument)
    elif name in ("top_fraction", "probability_at_least"):
        if not isinstance(argument, (int, float)) or not 0 < float(argument) <= 1:
            raise _fail(cid, "relation", f"{name} needs a number in (0, 1]")
        if name == "probability_at_least" and measure not in TIER_MEASURES[1:]:
            raise _fail(cid, "relation", "probability_at_least applies to p_great, p_middle or p_small")
    elif name in ("greater_than", "less_than"):
        if not isinstance(argument, (int, float)):
            argument = _iso3(cid, "relation", argument)
    return Claim(cid, str(raw["text"]), _iso3(cid, "subject", raw["subject"]), measure, years, name, argument)


def load_claims(path: str | Path, measures: set[str]) -> list[Claim]:
    """Read and validate a claim file; SpecError names the file, or the claim id and field."""
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: claim file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("claims"), list) or not raw["claims"]:
        raise SpecError(f"{path}: expected a top-level 'claims:' list")
    claims = [parse_claim(entry, i + 1, measures) for i, entry in enumerate(raw["claims"])]
    seen: set[str] = set()
    for claim in claims:
        if claim.id in seen:
            raise _fail(claim.id, "id", "used twice")
        seen.add(claim.id)
    return claims


def measure_names(spec: PowerSpec, panel_columns: list[str]) -> set[str]:
    """Every measure a claim may name: panel columns, the model's indicator columns, pillars, tiers, gap."""
    pillars = {f"pillar:{code}" for code in [*spec.pillars, spec.index.root]}
    model_columns = [*spec.docs["column"], *CONTEXT_COLUMNS, *DERIVED_COLUMNS]
    return {*panel_columns, *model_columns, *pillars, *TIER_MEASURES, "gap"} - {"iso3", "year", "name", "ccode"}


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
        return "corridor network (data/corridor/, middlepower.corridor)"
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


def read_claims(path: str | Path, db=None, spec: PowerSpec | None = None) -> list[Claim]:
    """Read and validate a claim file against the store's panel columns and the model's measures."""
    with open_store(db) as store:
        panel_columns = list(store.query("SELECT * FROM panel LIMIT 0").columns)
    return load_claims(path, measure_names(spec or load_spec(), panel_columns))


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
