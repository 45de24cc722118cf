"""What a country report says: figures gathered through the library, and plain-language sentences.

:func:`gather` calls the public APIs (power model, panel view, corridor) for one state-year and
keeps the frames the charts and the text need; :func:`explain` turns them into sentences. No
figure is computed here beyond selecting, counting states and the rank-interval conversion shared
with the dashboard (:func:`middlepower.web.power_data.rank_interval`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from middlepower.errors import DataError


@dataclass
class ReportData:
    """Everything one report shows: the state-year, its profile frames and the sources used."""

    iso3: str
    name: str
    year: int
    pillars: pd.DataFrame          # pillar, name, score, percentile, percentile_lo/hi, rank
    tier: dict                      # tier, p_great, p_middle, p_small
    gap: dict                       # gap, gap_lo, gap_hi, p_above, capability, influence
    rank: dict                      # position, rank_lo, rank_hi, states_scored, ranked_on
    neighbours: pd.DataFrame        # states ranked just above and below, with their rank intervals
    history: pd.DataFrame           # year, tier, p_great, p_middle, p_small, percentile(_lo/_hi), gap(_lo/_hi)
    indicators: pd.DataFrame        # code, pillar, name, value, unit, source
    alignment: pd.DataFrame | None  # year, measure columns (None: alignment not available)
    corridor: pd.DataFrame          # corridor comparison table
    transit: pd.DataFrame           # year, transit_flow_teu, transit_centrality of this state
    sources: list[dict] = field(default_factory=list)  # bibliography: source, title, citation, licence, homepage
    replications: int = 0


def _registry_name(text: str) -> str:
    # Indicator sources read like "wdi (NY.GDP.MKTP.CD)" or "countries (mledoze borders) x cow_nmc (CINC)".
    return str(text).split(" ")[0].split("(")[0]


def _source_names(indicators: pd.DataFrame) -> list[str]:
    names: list[str] = []
    for text in indicators["source"].dropna():
        for part in str(text).split(" x "):
            name = _registry_name(part.strip())
            if name and name not in names:
                names.append(name)
    return names


def _bibliography(names: list[str], db: Path | str | None) -> list[dict]:
    from middlepower import sources as registry
    from middlepower.warehouse import open_store

    with open_store(db) as store:
        stored = {r["source"]: r for r in store.query(
            "SELECT source, title, citation, licence, homepage FROM _sources").to_dict("records")}
    out = []
    for name in names:
        if name in stored:
            out.append(stored[name])
            continue
        try:
            source = registry.get(name)
        except Exception:  # a free-text source (a typed list shipped with the package): cite as written
            out.append({"source": name, "title": name, "citation": "shipped with middlepower (see docs)",
                        "licence": "", "homepage": ""})
            continue
        out.append({"source": name, "title": source.title, "citation": source.citation,
                    "licence": source.licence, "homepage": source.homepage})
    out.append({"source": "corridor", "title": "middlepower corridor network (typed facts, each with its source)",
                "citation": "Node, edge, capacity and volume figures with the source of each in "
                            "src/middlepower/data/corridor/*.csv; method in docs/corridor.md.",
                "licence": "project data", "homepage": ""})
    return out


def _alignment(iso3: str, year: int, db) -> pd.DataFrame | None:
    from middlepower import panel
    from middlepower.web.alignment_data import SERIES, call_verb, verbs

    found = verbs()
    if found is None:
        return None
    add_alignment, add_balance = found
    frame = panel.state_years(max(1946, year - 30), year, db=db)
    frame = call_verb(add_alignment, frame[frame["iso3"] == iso3].reset_index(drop=True), db)
    if add_balance is not None:
        frame = call_verb(add_balance, frame, db)
    columns = [c for c in SERIES if c in frame.columns]
    return frame[["year", *columns]].rename(columns=SERIES).reset_index(drop=True)


def gather(iso3: str, year: int | None = None, db: Path | str | None = None) -> ReportData:
    """Return the report's figures for ``iso3`` in ``year`` (default: the model's latest year)."""
    from middlepower import corridor, power
    from middlepower.codes import check_iso3
    from middlepower.web.power_data import rank_interval

    code = check_iso3(iso3, db)
    result = power.model(db)
    if year is None:
        year = int(result.tiers["year"].max())
    profile = power.profile(code, year, db=db)
    ranking = power.rank(year, db=db)
    pillar = result.spec.settings.tier_pillar
    scores = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == pillar)]
    n = int(scores["score"].notna().sum())
    best, worst = rank_interval(scores["percentile_lo"], scores["percentile_hi"], n)
    bounds = pd.DataFrame({"iso3": scores["iso3"].to_numpy(), "rank_lo": best, "rank_hi": worst})
    ranking = ranking[ranking["score"].notna()].merge(bounds, on="iso3", how="left")
    mine = ranking[ranking["iso3"] == code]
    if mine.empty:
        raise DataError(f"{code} {year}: no score on the {pillar} pillar that year")
    position = int(mine["position"].iloc[0])
    neighbours = ranking[ranking["position"].between(position - 6, position + 6)].reset_index(drop=True)
    pick = lambda f: f[f["iso3"] == code].drop(columns="iso3")  # noqa: E731
    root = result.spec.index.root
    overall = pick(result.scores[result.scores["pillar"] == root])[["year", "percentile", "percentile_lo", "percentile_hi"]]
    history = pick(result.tiers)[["year", "tier", "p_great", "p_middle", "p_small"]].merge(
        overall, on="year", how="outer").merge(pick(result.gap)[["year", "gap", "gap_lo", "gap_hi"]], on="year",
                                               how="outer").sort_values("year").reset_index(drop=True)
    transit = pd.concat([corridor.transit_centrality(y) for y in range(2022, 2026)], ignore_index=True)
    transit = transit[transit["iso3"] == code].drop(columns="iso3").reset_index(drop=True)
    compare = corridor.compare()[["corridor", "distance_km", "time_days", "dwell_days", "gauge_changes",
                                  "published_days", "published_source"]]
    row = mine.iloc[0]
    alignment = _alignment(code, year, db)
    names = _source_names(profile.indicators) + (["un_votes"] if alignment is not None else [])
    return ReportData(
        iso3=code, name=profile.name, year=year, pillars=profile.pillars,
        tier=profile.tier.iloc[0].to_dict() if not profile.tier.empty else {},
        gap=profile.gap.iloc[0].to_dict() if not profile.gap.empty else {},
        rank={"position": position, "rank_lo": float(row["rank_lo"]), "rank_hi": float(row["rank_hi"]),
              "states_scored": n, "ranked_on": pillar},
        neighbours=neighbours, history=history, indicators=profile.indicators,
        alignment=alignment, corridor=compare, transit=transit,
        sources=_bibliography(list(dict.fromkeys(names)), db), replications=int(result.replications))


def _ordinal(n: float) -> str:
    n = int(round(n))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def explain(data: ReportData) -> dict[str, str]:
    """Plain-language paragraphs for each section of the report, built from its figures."""
    t, g, r = data.tier, data.gap, data.rank
    probs = ", ".join(f"{k} {100 * t.get('p_' + k, 0):.0f} %" for k in ("great", "middle", "small"))
    strongest = data.pillars[data.pillars["pillar"] != "power"].sort_values("percentile", ascending=False)
    best = strongest.iloc[0] if not strongest.empty else None
    text = {
        "summary": (
            f"In {data.year}, {data.name} ranks {_ordinal(r['position'])} of {r['states_scored']} states on the "
            f"{r['ranked_on']} pillar; across {data.replications:,} Monte Carlo replications of the index (different "
            f"weights, normalisations and imputations) its rank stays between {_ordinal(r['rank_lo'])} and "
            f"{_ordinal(r['rank_hi'])} in 90 % of them. The model classifies it as a {t.get('tier', 'unscored')} "
            f"power; the probability of each tier is {probs}."),
        "pillars": (
            "Each pillar's score is 0 to 100 within the year (the strongest state 100, the weakest 0); the bar "
            "shows the state's percentile among all states and the whisker its 90 % interval. "
            + (f"{data.name}'s strongest pillar is {best['name'].lower()} (percentile {best['percentile']:.0f}). "
               if best is not None else "")),
        "rank": ("The rank interval shows how far the ranking could move if the index were built with other "
                 "reasonable choices; neighbours whose intervals overlap cannot be told apart with confidence."),
        "tiers": ("Tier probabilities over time: the share of replications in which the state falls in each tier. "
                  "A state near a cut-off shows mixed probabilities rather than a confident label."),
        "gap": (f"The power gap compares influence (multilateralism and diplomatic reach) with material capability. "
                f"In {data.year} it is {g.get('gap', float('nan')):+.2f} standard deviations (90 % interval "
                f"{g.get('gap_lo', float('nan')):+.2f} to {g.get('gap_hi', float('nan')):+.2f}); above zero means the "
                f"state has more influence than its capabilities predict."),
        "alignment": ("UN General Assembly voting alignment and the balance index are not yet available in this "
                      "installation." if data.alignment is None else
                      "Agreement of the state's UN General Assembly votes with the major powers over time, and the "
                      "balance index (how evenly it aligns between them)."),
        "corridor": ("China to Europe westbound freight: the model's fastest route per corridor from Xi'an to "
                     "Duisburg, with published times beside it. "
                     + (f"{data.name} is crossed by a modelled corridor route (transit centrality "
                        f"{data.transit['transit_centrality'].iloc[-1]:.2f} in {int(data.transit['year'].iloc[-1])})."
                        if not data.transit.empty else f"{data.name} is not crossed by a modelled corridor route.")),
    }
    return text
