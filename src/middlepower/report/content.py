"""What a country report says: figures gathered through the library, and plain-language sentences.

:func:`gather` calls the public APIs (power model, panel verbs, corridor) for one state-year and
keeps the frames the charts and the text need; :func:`explain` turns them into sentences. No
figure is computed here: the rank interval and the history are the power layer's, the alignment
series the panel layer's, and the bibliography is the registry's record of every source the
indicators' columns rest on (from the column catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from middlepower.errors import DataError
from middlepower.panel.alignment import CHART_SERIES, VOTES, alignment_series

CORRIDOR_HEADERS = {
    "corridor": "Corridor", "distance_km": "Distance (km)", "time_days": "Typical time (days)",
    "dwell_days": "Waiting at nodes (days)", "gauge_changes": "Gauge changes",
    "published_days": "Published time (days)", "published_source": "Published by",
}
"""The report's corridor table: the columns of ``corridor.compare()`` it shows, with their headers."""


@dataclass
class ReportData:
    """Everything one report shows: the state-year, its profile frames and the sources used."""

    iso3: str
    name: str
    year: int
    pillars: pd.DataFrame  # pillar, name, parent, label (as profile lists it), score, percentile(_lo/_hi), rank,
    # data_year, carried, imputed, missing
    tier: dict  # tier, p_great, p_middle, p_small
    gap: dict  # gap, gap_lo, gap_hi, p_above, capability, influence, expected_influence, gap_points, no_gap
    rank: dict  # position, rank_lo, rank_hi, states_scored, ranked_on
    neighbours: pd.DataFrame  # states ranked just above and below, with their rank intervals
    history: pd.DataFrame  # year, tier, p_great, p_middle, p_small, percentile(_lo/_hi), gap(_lo/_hi)
    indicators: pd.DataFrame  # code, pillar, name, value, unit, sources, status, data_year
    alignment: pd.DataFrame  # year and one column per CHART_SERIES label
    corridor: pd.DataFrame  # corridor comparison table
    transit: pd.DataFrame  # year, transit_flow_teu, transit_centrality of this state
    sources: list[dict] = field(default_factory=list)  # bibliography: source, title, citation, licence, homepage
    replications: int = 0
    classes: dict = field(default_factory=dict)  # class and its probabilities (position x conduct)
    criteria: pd.DataFrame | None = None  # the article's six criteria with verdicts and vintages
    influence_measures: str = ""  # the indicators of the influence pillar, in words
    input_labels: dict = field(default_factory=dict)  # raw input name: its label (power.input_labels)


def bibliography(names: list[str], db: Path | str | None = None) -> list[dict]:
    """Return the registry's record (source, title, producer, citation, licence, homepage) of each
    source in ``names``: from the store's ``_sources`` for store tables, from the registry for shipped
    ones (and for every producer)."""
    from middlepower import sources as registry
    from middlepower.warehouse import open_store

    with open_store(db) as store:
        stored = {
            r["source"]: r
            for r in store.query("SELECT source, title, citation, licence, homepage FROM _sources").to_dict("records")
        }
    out = []
    for name in names:
        source = registry.get(name)
        if name not in stored:
            stored[name] = {
                "source": name,
                "title": source.title,
                "citation": source.citation,
                "licence": source.licence,
                "homepage": source.homepage,
            }
        out.append({**stored[name], "producer": source.producer})  # the producer is the registry's alone
    return out


def _alignment(iso3: str, year: int, db) -> pd.DataFrame:

    frame = alignment_series(max(1946, year - 30), year, iso3=iso3, db=db)
    return frame.drop(columns="iso3").rename(columns=CHART_SERIES).reset_index(drop=True)


def gather(iso3: str, year: int | None = None, db: Path | str | None = None) -> ReportData:
    """Return the report's figures for ``iso3`` in ``year`` (default: the model's last year with real data
    in every pillar)."""
    from middlepower import corridor, power
    from middlepower.warehouse import check_iso3

    code = check_iso3(iso3, db)
    result = power.model(db)
    if year is None:
        year = int(result.default_last_year)
    profile = power.profile(code, year, db=db)
    ranking, n = power.rank_with_intervals(year, db=db)
    pillar = result.spec.settings.tier_pillar
    ranking = ranking[ranking["score"].notna()]
    mine = ranking[ranking["iso3"] == code]
    if mine.empty:
        raise DataError(f"{code} {year}: no score on the {pillar} pillar that year")
    position = int(mine["position"].iloc[0])
    neighbours = ranking[ranking["position"].between(position - 6, position + 6)].reset_index(drop=True)
    history = power.history(code, db=db)
    history = history[history["year"] <= year].reset_index(drop=True)  # a 2022 report ends in 2022
    transit = pd.concat([corridor.transit_centrality(y) for y in corridor.volume_years()], ignore_index=True)
    transit = transit[transit["iso3"] == code].drop(columns="iso3").reset_index(drop=True)
    compare = corridor.compare()[list(CORRIDOR_HEADERS)].rename(columns=CORRIDOR_HEADERS)
    row = mine.iloc[0]
    alignment = _alignment(code, year, db)
    parents = {a.code: a.parent for a in result.spec.index.aggregates}  # a pillar's parent is the root
    # Every source an indicator's column rests on, then those of the alignment and corridor sections.
    names = [*(name for names in result.spec.docs["sources"] for name in names), *VOTES, "corridor_network"]
    return ReportData(
        iso3=code,
        name=profile.name,
        year=year,
        pillars=profile.pillars.assign(parent=profile.pillars["pillar"].map(parents),
                                       label=[result.spec.node_label(c) for c in profile.pillars["pillar"]]),
        tier=profile.tier.iloc[0].to_dict() if not profile.tier.empty else {},
        gap=profile.gap.iloc[0].to_dict() if not profile.gap.empty else {},
        rank={
            "position": position,
            "rank_lo": float(row["rank_lo"]),
            "rank_hi": float(row["rank_hi"]),
            "states_scored": n,
            "ranked_on": pillar,
        },
        neighbours=neighbours,
        history=history,
        indicators=profile.indicators,
        alignment=alignment,
        corridor=compare,
        transit=transit,
        sources=bibliography(list(dict.fromkeys(names)), db),
        replications=int(result.replications),
        classes=profile.classes.iloc[0].to_dict() if not profile.classes.empty else {},
        criteria=profile.criteria,
        influence_measures=", ".join(
            result.spec.docs.set_index("code").loc[
                result.spec.indicators_under(result.spec.settings.influence_pillar), "name"
            ]
        ).lower(),
        input_labels=power.input_labels(result.spec),
    )


def _ordinal(n: float) -> str:
    n = int(round(n))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def top_pillars(pillars: pd.DataFrame) -> pd.DataFrame:
    """The rows of the top-level pillars (the overall index's children, as ``profile`` lists them
    unindented), not their components (behaviour's mediation, ...) nor the index itself."""
    root = pillars.loc[pillars["parent"].isna(), "pillar"]
    return pillars[pillars["parent"].isin(root)]


def _year_text(value) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def _titles(data: ReportData, names) -> str:
    """The bibliography titles of registry sources ``names`` (in order, once each)."""
    titles = {s["source"]: s["title"] for s in data.sources}
    return "; ".join(dict.fromkeys(titles.get(n, n) for n in names))


def _transit(data: ReportData) -> str:
    """The corridor sentence on this state's transit centrality in the report's year, or, when the
    volumes give none that year, in the nearest year that has one, saying so."""
    if data.transit.empty:
        return f"{data.name} is not crossed by a modelled corridor route."
    years = data.transit["year"].astype(int)
    here = data.transit[years == data.year]
    if not here.empty:
        return (f"{data.name} is crossed by a modelled corridor route (transit centrality "
                f"{float(here['transit_centrality'].iloc[0]):.2f} in {data.year}: its share of the observed "
                f"China-Europe land freight).")
    nearest = data.transit.iloc[int((years - data.year).abs().to_numpy().argmin())]
    return (f"{data.name} is crossed by a modelled corridor route. The observed volumes give no transit "
            f"centrality for {data.year} (not every land corridor has a volume that year); in "
            f"{int(nearest['year'])}, the nearest year with one, it is {float(nearest['transit_centrality']):.2f}.")


def _data_from(value) -> str:
    return f"data from {_year_text(value)}" if _year_text(value) else "no real data"


def captions(data: ReportData) -> dict[str, str]:
    """Per chart: where its figures come from and how old their data is (a figure's caption)."""
    p, h, pillar = data.pillars, data.history, data.rank["ranked_on"]
    model = f"the middlepower power model ({data.replications:,} Monte Carlo replications)"
    ranked = data.indicators[data.indicators["pillar"] == pillar]
    ranked_sources = _titles(data, [n for names in ranked["sources"] for n in str(names).split(", ") if n])
    lagged = h[h["data_year"].notna() & (h["data_year"] < h["year"])]
    span = f"{int(h['year'].min())}-{int(h['year'].max())}" if not h.empty else str(data.year)
    votes = data.alignment.dropna(how="all", subset=[c for c in data.alignment.columns if c != "year"])
    every = "the indicators' sources (table Indicators; each listed under Sources)"
    return {
        "pillars": f"Source: {model}, {data.year}, over {every}. Oldest real data behind a node: "
        f"{_year_text(p['data_year'].min()) or 'none'}; each node's data year and carried, imputed or missing "
        f"inputs are listed with the pillars.",
        "rank": f"Source: {model}, {data.year}, {data.rank['states_scored']} states ranked on {pillar}, from "
        f"{ranked_sources}. {data.name}: {_data_from(data.tier.get('data_year'))}.",
        "tiers": f"Source: {model}, {span}, tiers from the {pillar} indicators ({ranked_sources}); each year's "
        "tier rests on that year's data"
        + ("; older data carried in " + ", ".join(f"{int(y)} (data from {int(d)})" for y, d in
                                                   zip(lagged["year"], lagged["data_year"], strict=True))
           if not lagged.empty else "") + ".",
        "gap": f"Source: {model}, {span}, over {every}. The {data.year} gap: {_data_from(data.gap.get('data_year'))}.",
        "alignment": (f"Source: {_titles(data, VOTES)}; votes of {int(votes['year'].min())}-"
                      f"{int(votes['year'].max())}." if not votes.empty else
                      f"Source: {_titles(data, VOTES)}; no recorded votes of {data.name} to {data.year}."),
    }


def explain(data: ReportData) -> dict[str, str]:
    """Plain-language paragraphs for each section of the report, built from its figures."""
    t, g, r, c = data.tier, data.gap, data.rank, data.classes
    probs = ", ".join(f"{k} {100 * t.get('p_' + k, 0):.0f} %" for k in ("great", "middle", "small"))
    strongest = top_pillars(data.pillars).dropna(subset=["percentile"]).sort_values("percentile", ascending=False)
    best = strongest.iloc[0] if not strongest.empty else None
    text = {
        "summary": (
            f"In {data.year}, {data.name} ranks {_ordinal(r['position'])} of {r['states_scored']} states on the "
            f"{r['ranked_on']} pillar; across {data.replications:,} Monte Carlo replications of the index (different "
            f"weights, normalisations and imputations) its rank stays between {_ordinal(r['rank_lo'])} and "
            f"{_ordinal(r['rank_hi'])} in 90 % of them. "
            + (
                f"Its material capability puts it in the {t['tier']} tier (probability of each tier: {probs})"
                if isinstance(t.get("tier"), str)
                else "It has too little real data for a tier"
            )
            + (
                f"; with its conduct, the model classes it as a {c['class']}."
                if isinstance(c.get("class"), str)
                else "."
            )
        ),
        "pillars": (
            "Each pillar's score is 0 to 100 within the year (the strongest state 100, the weakest 0); the bar "
            "shows the state's percentile among all states and the whisker its 90 % interval. "
            + (
                f"{data.name}'s strongest pillar is {best['name'].lower()} (percentile {best['percentile']:.0f}). "
                if best is not None
                else ""
            )
        ),
        "rank": (
            "The rank interval shows how far the ranking could move if the index were built with other "
            "reasonable choices; neighbours whose intervals overlap cannot be told apart with confidence."
        ),
        "tiers": (
            "Tier probabilities over time: the share of replications in which the state falls in each tier. "
            "A state near a cut-off shows mixed probabilities rather than a confident label."
        ),
        "gap": (
            f"The power gap compares influence ({data.influence_measures}) with material capability. "
            + (
                f"{data.name} has none in {data.year} ({g.get('no_gap') or 'not in the model'})."
                if isinstance(g.get("no_gap"), str) or not g
                else f"In {data.year} it is {g['gap']:+.2f} standard deviations (90 % interval "
                f"{g['gap_lo']:+.2f} to {g['gap_hi']:+.2f}): influence {g['influence']:.1f} against "
                f"{g['expected_influence']:.1f} for states of like capability (0-100 scores); above zero means "
                f"the state has more influence than they have (oldest real data behind it: "
                f"{_year_text(g.get('data_year')) or 'none'})."
            )
        ),
        "alignment": (
            "Agreement of the state's UN General Assembly votes with the major powers over time, and the "
            "balance index (how evenly it aligns between them)."
        ),
        "corridor": (
            "China to Europe westbound freight: the model's fastest route per corridor from Xi'an to "
            "Duisburg, with published times beside it. "
            + _transit(data)
        ),
    }
    return text
