"""How the power commands lay out their tables: the columns of each, their short headers and legends.

Everything here only formats frames of :mod:`middlepower.power` (no figure is computed); the
commands in :mod:`middlepower.power.cli` print them with :func:`middlepower.terminal.show`.
Pillar columns come from the spec (its nodes, in spec order), so a revised spec lays out itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from middlepower.power.spec import probability_column
from middlepower.power.vintage import data_line, vintage_text
from middlepower.terminal import MISSING, Col, abbreviations, is_missing, number, with_interval, year_text

CLASS_SHORT = {"great power": "great", "middle power": "middle", "middle-ranking power": "mid-rank",
               "small state": "small"}
CLASS_LEGEND = ("position x conduct, middle = middle tier with middle-power conduct (behaviour at or above the "
                "median), mid-rank = middle tier, other conduct")
VERDICT_STYLE = {"supported": "green", "contradicted": "red", "inconclusive": "yellow", "insufficient data": "dim"}
CRITERION_STYLE = {"meets": "green", "does not": "red", "inconclusive": "yellow", "not measured": "dim",
                   "no data": "dim"}


def _text(value: object) -> str:
    """A text cell, or the missing mark for None, NaN or NA (a state-year without a tier)."""
    return MISSING if is_missing(value) else str(value)


def short_class(value: object) -> str:
    return MISSING if is_missing(value) else CLASS_SHORT.get(str(value), str(value))


def tier_cell(row: dict) -> str:
    """The nominal tier, starred when the likeliest tier over the replications differs."""
    return _starred(row.get("tier"), row.get("likeliest_tier"), str)


def class_cell(row: dict) -> str:
    """The nominal class (short), starred when the likeliest class over the replications differs."""
    return _starred(row.get("class"), row.get("likeliest_class"), short_class)


def _starred(nominal: object, likeliest: object, text) -> str:
    if is_missing(nominal):
        return MISSING
    return text(nominal) + ("*" if isinstance(likeliest, str) and likeliest != nominal else "")


def tier_probability(row: dict) -> str:
    """Probability of the nominal tier over the replications."""
    tier = row.get("tier")
    return MISSING if is_missing(tier) else number(row.get(f"p_{tier}"), 2)


def signed(value: object, digits: int = 2) -> str:
    return MISSING if is_missing(value) else f"{float(value):+.{digits}f}"  # type: ignore[arg-type]


TIER_NOTE = "* = most replications give another tier (likeliest_tier with --out)"
CLASS_NOTE = "class * = most replications give another class (likeliest_class with --out)"


def rank_columns() -> list[Col]:
    return [
        Col("position", "pos", "overall position by capability", digits=0),
        Col("iso3"),
        Col("name", wrap=True, drop=1),
        Col("tier", fmt=tier_cell),
        Col("p_tier", "p", "P(that tier) over the Monte Carlo", fmt=tier_probability),
        Col("percentile", "cap %", "capability percentile [90% interval]",
            fmt=lambda r: with_interval(r, "percentile")),
        Col("class", fmt=class_cell, legend=CLASS_LEGEND),
        Col("power", "index", "overall index 0-100", digits=1, drop=3),
        Col("gap", "gap", "power gap in SDs (+ = above its weight)", fmt=lambda r: signed(r.get("gap")), drop=2),
        Col("data_year", "data", "oldest real data", fmt=lambda r: year_text(r.get("data_year")), drop=4),
    ]


CONDUCT_TEXT = {True: "middle-power conduct", False: "other conduct", None: "conduct not measured"}
"""How ``classes.conduct`` reads: True, False, or None where behaviour has no score."""


def pillar_columns(labels: Mapping[str, str] | None = None) -> list[Col]:
    """The node table of ``profile``; ``labels`` (:func:`middlepower.power.input_labels`) name the
    inputs that are not real by their indicator, as the reports and the dashboard do."""
    return [
        Col("label", "node", wrap=True),
        Col("score", "score", "0-100 within the year (min-max)", digits=1, drop=2),
        Col("percentile", "pct [90%]", "percentile within the year, imputed inputs at their centre, and its 90% "
            "Monte Carlo interval, imputed inputs drawn (so other states' imputed values can put the point "
            "outside it: docs/power.md, Missing data)",
            fmt=lambda r: with_interval(r, "percentile")),
        Col("data_year", "data", "oldest year of real data behind the node", fmt=lambda r: year_text(r["data_year"])),
        Col("vintage", "inputs not real", "inputs carried from an older year, imputed, or missing (no value, "
            "or 'does not apply' where the concept has none)", fmt=lambda r: vintage_text(r, labels),
            wrap=True, drop=1),
    ]


def position_rows(p) -> list[dict]:
    """Tier, class and power gap of a profile as ``what``/``value`` rows (one record each)."""
    tier = p.tier.iloc[0].to_dict() if not p.tier.empty else {}
    classes = p.classes.iloc[0].to_dict() if not p.classes.empty else {}
    gap = p.gap.iloc[0].to_dict() if not p.gap.empty else {}
    rows = []
    if tier:
        probs = ", ".join(f"{t} {number(tier.get('p_' + t), 2)}" for t in ("great", "middle", "small"))
        text = (f"{tier_cell(tier)} (p {probs}); capability percentile {with_interval(tier, 'percentile')}; "
                f"{number(tier.get('real_inputs'), 0)} of {number(tier.get('inputs'), 0)} inputs real")
        if tier_cell(tier).endswith("*"):
            text += f"; most replications give {tier['likeliest_tier']}"
        rows.append({"what": "tier", "value": text})
    if classes:
        probs = ", ".join(f"{CLASS_SHORT[c]} {number(classes.get(probability_column(c)), 2)}" for c in CLASS_SHORT)
        conduct = CONDUCT_TEXT[classes.get("conduct") if isinstance(classes.get("conduct"), bool) else None]
        label = MISSING if is_missing(classes.get("class")) else classes["class"]
        text = (f"{label} (p {probs}); behaviour percentile {number(classes.get('behaviour_percentile'), 0)}: "
                f"{conduct} (p {number(classes.get('p_conduct'), 2)})")
        if class_cell(classes).endswith("*"):
            text += f"; most replications give {classes['likeliest_class']}"
        rows.append({"what": "class", "value": text})
    if gap and not is_missing(gap.get("no_gap")):
        rows.append({"what": "power gap", "value": f"none ({gap['no_gap']})"})
    elif gap:
        rows.append({"what": "power gap", "value": f"{with_interval(gap, 'gap', 2, signed=True)} SD; capability "
                     f"score {number(gap.get('capability'), 1)}, influence {number(gap.get('influence'), 1)} against "
                     f"{number(gap.get('expected_influence'), 1)} for states of like capability; "
                     f"p(above its weight) {number(gap.get('p_above'), 2)}; data {year_text(gap.get('data_year'))}"})
    return rows


def criteria_columns(labels: Mapping[str, str] | None = None) -> list[Col]:
    """The criteria table of ``profile``; ``labels`` as in :func:`pillar_columns`."""
    return [
        Col("label", "criterion", wrap=True),
        Col("percentile", "pct [90%]", "percentile of its measure [90% interval]; meets: the whole interval "
            "in the top third", fmt=lambda r: with_interval(r, "percentile")),
        Col("verdict", style=lambda v: CRITERION_STYLE.get(v)),
        Col("data", fmt=lambda r: data_line(r, labels), wrap=True, drop=1),
        Col("node", "measured by", "the model node (its indicators: the node table; --out has the measure)",
            drop=2),
    ]


def similar_columns() -> list[Col]:
    return [Col("iso3"), Col("name", wrap=True),
            Col("distance", "distance", "RMS difference of pillar percentiles", digits=1),
            Col("shared_pillars", "pillars", "pillars both states have", digits=0)]


def compare_columns(result, frame) -> tuple[list[Col], str]:
    """Columns of ``compare``: state, year, tier, class, each node's percentile (short headers), gap."""
    nodes = [c for c in result.spec.nodes if c in frame.columns]
    short = abbreviations(nodes)
    main = set(result.spec.pillars) | {result.spec.index.root}
    cols = [Col("iso3"), Col("year", fmt=lambda r: year_text(r["year"])), Col("tier", fmt=tier_cell),
            Col("class", fmt=lambda r: short_class(r.get("class")))]
    for node in nodes:
        cols.append(Col(node, short[node], digits=0, drop=0 if node in main else 1))
    cols.append(Col("gap", "gap", "power gap, SDs", digits=2))
    cols.append(Col("data_year", "data", "oldest year of real data behind the row's nodes",
                    fmt=lambda r: year_text(r["data_year"])))
    legend = "pillar columns: percentile within the year (" + ", ".join(
        f"{short[n]} = {result.spec.pillar_name(n)}" for n in nodes) + f"); {CLASS_LEGEND}"
    return cols, legend


def claim_columns() -> list[Col]:
    return [
        Col("claim", wrap=True, fmt=lambda r: f"{r['id']}: {r['text']}"),
        Col("verdict", style=lambda v: VERDICT_STYLE.get(v)),
        Col("evidence", wrap=True, drop=1),
        Col("years", wrap=True, drop=2),
        Col("sources", wrap=True, drop=3),
    ]


def variant_columns() -> list[Col]:
    def pct(v):
        return number(v, 0)

    return [
        Col("iso3"), Col("name", wrap=True, drop=3),
        Col("tier", "tier A > B", fmt=lambda r: f"{_text(r.get('tier_a'))} > {_text(r.get('tier_b'))}"),
        Col("class", "class A > B", fmt=lambda r: f"{short_class(r.get('class_a'))} > {short_class(r.get('class_b'))}",
            drop=1),
        Col("percentile", "cap % A > B", "capability percentile", fmt=lambda r: f"{pct(r.get('percentile_a'))} > "
            f"{pct(r.get('percentile_b'))}"),
        Col("power_rank", "rank A > B", "rank on the overall index", fmt=lambda r: f"{pct(r.get('power_rank_a'))} > "
            f"{pct(r.get('power_rank_b'))}"),
        Col("rank_shift", "shift", "B - A on the overall index", digits=0),
        Col("gap", "gap A > B", "power gap, SDs", fmt=lambda r: f"{number(r.get('gap_a'), 2)} > "
            f"{number(r.get('gap_b'), 2)}", drop=2),
    ]
