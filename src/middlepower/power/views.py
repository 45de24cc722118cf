"""Selections from a computed model: the frames behind ``profile``, ``rank`` and ``compare``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower.errors import DataError
from middlepower.power.criteria import criteria
from middlepower.power.model import ModelResult
from middlepower.power.spec import TIERS

SIMILAR_MIN_SHARED_PILLARS = 3
"""Two states are compared for similarity only on pillars both have, and only if they share this many."""


def year_range(result: ModelResult) -> tuple[int, int]:
    years = result.tiers["year"]
    return int(years.min()), int(years.max())


def check_year(result: ModelResult, year: int) -> int:
    first, last = year_range(result)
    if not first <= int(year) <= last:
        raise DataError(f"year {year}: the power model covers {first}-{last}")
    return int(year)


def pillar_table(result: ModelResult, year: int) -> pd.DataFrame:
    """Wide nominal pillar percentiles for one year: one row per state, one column per pillar."""
    pillars = [p for p in result.spec.pillars if p != result.spec.index.root]
    rows = result.scores[(result.scores["year"] == year) & result.scores["pillar"].isin(pillars)]
    return rows.pivot(index="iso3", columns="pillar", values="percentile").reindex(columns=pillars)


def similar_states(result: ModelResult, iso3: str, year: int, k: int = 5) -> pd.DataFrame:
    """The ``k`` states nearest to ``iso3`` in pillar-percentile space in ``year``.

    Distance = root mean squared difference of pillar percentiles (0-100) over the pillars both
    states have (at least ``SIMILAR_MIN_SHARED_PILLARS``), so it reads as "typically N percentile
    points apart". Columns: iso3, name, distance, shared_pillars.
    """
    table = pillar_table(result, year)
    if iso3 not in table.index:
        return pd.DataFrame(columns=["iso3", "name", "distance", "shared_pillars"])
    me = table.loc[iso3].to_numpy(dtype=float)
    others = table.drop(index=iso3)
    diff = others.to_numpy(dtype=float) - me
    shared = (~np.isnan(diff)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.sqrt(np.nansum(diff**2, axis=1) / shared)
    out = pd.DataFrame({"iso3": others.index, "distance": distance, "shared_pillars": shared})
    out = out[out["shared_pillars"] >= SIMILAR_MIN_SHARED_PILLARS].nsmallest(k, "distance")
    return out.merge(names(result), on="iso3", how="left")[["iso3", "name", "distance", "shared_pillars"]]


def names(result: ModelResult) -> pd.DataFrame:
    return result.indicators[["iso3", "name"]].drop_duplicates("iso3", keep="last")


@dataclass
class Profile:
    """One state in one year.

    ``pillars``: pillar (every node: pillars, behaviour components, the overall index), name, score
    (0-100 nominal), percentile, percentile_lo, percentile_hi, rank, real_share (share of its inputs
    real), data_year (oldest real data behind it), carried, imputed. ``tier``: one-row frame (tier,
    p_great, p_middle, p_small, score, percentile, real_inputs, inputs, data_year, likeliest_tier). ``classes``:
    one-row frame (class, its probabilities, behaviour_percentile, p_conduct, conduct). ``gap``:
    one-row frame (capability, influence, gap_points, gap, gap_lo, gap_hi, p_above, data_year).
    ``criteria``: the six criteria (:func:`middlepower.power.criteria.criteria`). ``similar``: the
    five nearest states. ``indicators``: code, pillar, name, value, unit, sources, status, data_year.
    ``default_last_year``: the model's last year with real data in every pillar for most states; a
    later ``year`` rests partly on carried data, which ``pillars.carried`` names.
    """

    iso3: str
    name: str
    year: int
    pillars: pd.DataFrame
    tier: pd.DataFrame
    classes: pd.DataFrame
    gap: pd.DataFrame
    criteria: pd.DataFrame
    similar: pd.DataFrame
    indicators: pd.DataFrame
    default_last_year: int


def indicator_table(result: ModelResult, iso3: str, year: int) -> pd.DataFrame:
    """The spec's indicators for one state-year: code, pillar, name, value (untransformed), unit,
    sources, status (of its first input: real, carried, imputed...), data_year."""
    row = result.indicators[(result.indicators["iso3"] == iso3) & (result.indicators["year"] == year)]
    if row.empty:
        raise DataError(f"{iso3} {year}: not a member of the state system that year")
    values = row.iloc[0]
    status = result.vintage[(result.vintage["iso3"] == iso3) & (result.vintage["year"] == year)].set_index("input")
    docs = result.spec.docs
    first = [names[0] for names in docs["inputs"]]
    return pd.DataFrame({
        "code": docs["code"], "pillar": docs["pillar"], "name": docs["name"],
        "value": [values.get(c) for c in docs["column"]], "unit": docs["unit"],
        "sources": [", ".join(s) for s in docs["sources"]],
        "status": [status["status"].get(name) for name in first],
        "data_year": [status["data_year"].get(name) for name in first],
    })


def profile(result: ModelResult, iso3: str, year: int) -> Profile:
    year = check_year(result, year)
    indicators = indicator_table(result, iso3, year)
    scores = result.scores[(result.scores["iso3"] == iso3) & (result.scores["year"] == year)]
    pillars = scores.drop(columns=["iso3", "year"]).copy()
    pillars.insert(1, "name", [result.spec.pillar_name(p) for p in pillars["pillar"]])
    pick = lambda frame: frame[(frame["iso3"] == iso3) & (frame["year"] == year)].drop(columns=["iso3", "year"])  # noqa: E731
    name = names(result).set_index("iso3")["name"].get(iso3, iso3)
    tier = pick(result.tiers).reset_index(drop=True)
    tier["likeliest_tier"] = likeliest_tier(tier)
    return Profile(iso3, str(name), year, pillars.reset_index(drop=True), tier,
                   pick(result.classes).reset_index(drop=True), pick(result.gap).reset_index(drop=True),
                   criteria(result, iso3, year), similar_states(result, iso3, year), indicators,
                   result.default_last_year)


def rank(result: ModelResult, year: int, tier: str | None = None) -> pd.DataFrame:
    """States of ``year`` ordered by the tier pillar's score: position (among all states of the year,
    also when ``tier`` keeps one tier), iso3, name, tier, likeliest_tier (:func:`likeliest_tier`), p_great,
    p_middle, p_small, score, percentile (with its interval), data_year (oldest real capability data),
    class, p_middle_power, power (overall index score), power_rank, gap, gap_lo, gap_hi."""
    year = check_year(result, year)
    tiers = result.tiers[result.tiers["year"] == year].drop(columns="year")
    root = result.spec.index.root
    overall = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == root)]
    overall = overall[["iso3", "score", "rank"]].rename(columns={"score": "power", "rank": "power_rank"})
    gap = result.gap[result.gap["year"] == year][["iso3", "gap", "gap_lo", "gap_hi"]]
    classes = result.classes[result.classes["year"] == year][["iso3", "class", "p_middle_power"]]
    out = tiers.merge(names(result), on="iso3", how="left").merge(overall, on="iso3", how="left").merge(
        gap, on="iso3", how="left").merge(classes, on="iso3", how="left")
    out = out.sort_values(["score", "iso3"], ascending=[False, True], na_position="last").reset_index(drop=True)
    out.insert(0, "position", np.arange(1, len(out) + 1))  # the overall position, kept when one tier is picked
    out["likeliest_tier"] = likeliest_tier(out)
    if tier is not None:
        out = out[out["tier"] == tier].reset_index(drop=True)
    return out[["position", "iso3", "name", "tier", "likeliest_tier", "p_great", "p_middle", "p_small", "score",
                "percentile", "percentile_lo", "percentile_hi", "data_year", "class", "p_middle_power", "power",
                "power_rank", "gap", "gap_lo", "gap_hi"]]


def likeliest_tier(frame: pd.DataFrame) -> pd.Series:
    """The tier with the highest probability over the replications (None where no tier was drawn).

    The nominal ``tier`` comes from the nominal run (nominal weights and normalisation, the imputed
    inputs at their central values); near a cut-off most replications can fall on the other side, and
    then the two differ: show both.
    """
    probs = frame[[f"p_{t}" for t in TIERS]].astype(float)
    known = probs.notna().all(axis=1) & (probs.sum(axis=1) > 0)
    out = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    out[known] = [TIERS[i] for i in probs[known].to_numpy().argmax(axis=1)]
    return out


def compare(result: ModelResult, iso3s: list[str], first: int, last: int) -> pd.DataFrame:
    """One row per state and year: iso3, year, name, tier, p_middle, each pillar's percentile and
    the overall index's, and the power gap (standardised) with its interval."""
    first, last = check_year(result, first), check_year(result, last)
    keep = lambda frame: frame[frame["iso3"].isin(iso3s) & frame["year"].between(first, last)]  # noqa: E731
    wide = keep(result.scores).pivot_table(index=["iso3", "year"], columns="pillar", values="percentile")
    wide = wide.reindex(columns=[p for p in result.spec.nodes if p in wide.columns]).reset_index()
    tiers = keep(result.tiers)[["iso3", "year", "tier", "p_great", "p_middle", "p_small"]].merge(
        keep(result.classes)[["iso3", "year", "class"]], on=["iso3", "year"], how="left")
    gap = keep(result.gap)[["iso3", "year", "gap", "gap_lo", "gap_hi"]]
    out = tiers.merge(wide, on=["iso3", "year"], how="left").merge(gap, on=["iso3", "year"], how="left")
    out = out.merge(names(result), on="iso3", how="left")
    order = {code: i for i, code in enumerate(iso3s)}
    out = out.sort_values(["iso3", "year"], key=lambda s: s.map(order) if s.name == "iso3" else s)
    front = ["iso3", "year", "name", "tier", "class"]
    return out[front + [c for c in out.columns if c not in front]].reset_index(drop=True)


def rank_interval(percentile_lo: pd.Series, percentile_hi: pd.Series, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (best, worst) positions (1 = top) from a percentile interval among ``n`` states.

    The inverse of the model's percentile definition: ``rank = 1 + (100 - percentile) * (n - 1) / 100``,
    so the best position comes from ``percentile_hi``.
    """
    best = 1 + (100 - percentile_hi.to_numpy(dtype=float)) * (n - 1) / 100
    worst = 1 + (100 - percentile_lo.to_numpy(dtype=float)) * (n - 1) / 100
    return np.round(best, 1), np.round(worst, 1)


def rank_with_intervals(result: ModelResult, year: int, tier: str | None = None) -> tuple[pd.DataFrame, int]:
    """:func:`rank` of ``year`` with each state's ``rank_lo``/``rank_hi`` (positions from the 90 % interval
    of its tier-pillar percentile) and ``percentile_lo``/``percentile_hi``; and the number of states scored."""
    table = rank(result, year, tier)
    pillar = result.spec.settings.tier_pillar
    scores = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == pillar)]
    n = int(scores["score"].notna().sum())
    best, worst = rank_interval(scores["percentile_lo"], scores["percentile_hi"], n)
    bounds = pd.DataFrame({"iso3": scores["iso3"].to_numpy(), "rank_lo": best, "rank_hi": worst,
                           "percentile_lo": scores["percentile_lo"].to_numpy(),
                           "percentile_hi": scores["percentile_hi"].to_numpy()})
    return table.drop(columns=["percentile_lo", "percentile_hi"], errors="ignore").merge(
        bounds, on="iso3", how="left"), n


def history(result: ModelResult, iso3: str) -> pd.DataFrame:
    """One state over the model's years: year, tier, likeliest_tier, p_great, p_middle, p_small, class,
    p_middle_power,
    the overall index's percentile with its interval (percentile_lo/hi), gap, gap_lo, gap_hi, p_above
    and data_year (oldest real capability data)."""
    pick = lambda frame: frame[frame["iso3"] == iso3].drop(columns="iso3")  # noqa: E731
    tiers = pick(result.tiers)[["year", "tier", "p_great", "p_middle", "p_small", "data_year"]]
    classes = pick(result.classes)[["year", "class", "p_middle_power"]]
    root = result.spec.index.root
    overall = pick(result.scores[result.scores["pillar"] == root])[["year", "percentile", "percentile_lo",
                                                                    "percentile_hi"]]
    gap = pick(result.gap)[["year", "gap", "gap_lo", "gap_hi", "p_above"]]
    frame = tiers.merge(classes, on="year", how="outer").merge(overall, on="year", how="outer").merge(
        gap, on="year", how="outer")
    frame.insert(2, "likeliest_tier", likeliest_tier(frame))
    return frame.sort_values("year").reset_index(drop=True)
