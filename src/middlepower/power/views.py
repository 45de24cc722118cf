"""Selections from a computed model: the frames behind ``profile``, ``rank`` and ``compare``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower.errors import DataError
from middlepower.power.criteria import criteria_by_state
from middlepower.power.model import ModelResult
from middlepower.power.spec import CLASSES, TIERS, probability_column

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
    """The ``k`` states nearest to ``iso3`` in pillar-percentile space in ``year``
    (:func:`similar_by_state` of one state)."""
    return similar_by_state(result, year, [iso3], k)[iso3]


def similar_by_state(result: ModelResult, year: int, iso3s: list[str], k: int = 5) -> dict[str, pd.DataFrame]:
    """For each state in ``iso3s``, the ``k`` states nearest to it in pillar-percentile space in ``year``,
    among every state of the year.

    Distance = root mean squared difference of pillar percentiles (0-100) over the pillars both
    states have (at least ``SIMILAR_MIN_SHARED_PILLARS``), so it reads as "typically N percentile
    points apart"; ties keep the ISO3 order. Columns: iso3, name, distance (percentile points),
    shared_pillars. A state without pillar scores that year gets an empty frame.
    """
    table = pillar_table(result, year)
    values = table.to_numpy(dtype=float)
    position = {code: i for i, code in enumerate(table.index)}
    labels = names(result).set_index("iso3")["name"]
    out = {}
    for iso3 in iso3s:
        if iso3 not in position:
            out[iso3] = pd.DataFrame(columns=["iso3", "name", "distance", "shared_pillars"])
            continue
        me = position[iso3]
        others = np.delete(np.arange(len(values)), me)
        diff = values[others] - values[me]
        shared = (~np.isnan(diff)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            distance = np.sqrt(np.nansum(diff**2, axis=1) / shared)
        keep = np.flatnonzero(shared >= SIMILAR_MIN_SHARED_PILLARS)
        nearest = keep[np.argsort(distance[keep], kind="stable")[:k]]
        codes = table.index[others[nearest]]
        out[iso3] = pd.DataFrame({"iso3": codes, "name": labels.reindex(codes).array,
                                  "distance": distance[nearest], "shared_pillars": shared[nearest]})
    return out


def names(result: ModelResult) -> pd.DataFrame:
    return result.indicators[["iso3", "name"]].drop_duplicates("iso3", keep="last")


@dataclass
class Profile:
    """One state in one year.

    ``pillars``: pillar (every node: pillars, behaviour components, the overall index), name, score
    (0-100 nominal), percentile, percentile_lo, percentile_hi, rank, real_share (share of its inputs
    real), data_year (oldest real data behind it), carried, imputed, missing. ``tier``: one-row frame (tier,
    p_great, p_middle, p_small, score, percentile, real_inputs, inputs, data_year, likeliest_tier). ``classes``:
    one-row frame (class, its probabilities, behaviour_percentile, p_conduct, conduct, likeliest_class). ``gap``:
    one-row frame (capability, influence, expected_influence, gap_points, gap, gap_lo, gap_hi,
    p_above, data_year, no_gap).
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


def _by_state(frame: pd.DataFrame, iso3s: list[str]) -> dict[str, pd.DataFrame]:
    """``frame``'s rows of each state in ``iso3s`` (without the iso3 and year columns, index reset);
    an empty frame with the same columns for a state without rows."""
    rest = frame.drop(columns=["iso3", "year"])
    groups = {code: rest.loc[index] for code, index in frame.groupby("iso3", sort=False, observed=True).groups.items()}
    empty = rest.iloc[0:0]
    return {code: groups.get(code, empty).reset_index(drop=True) for code in iso3s}


def _indicators_by_state(result: ModelResult, year: int, iso3s: list[str]) -> dict[str, pd.DataFrame]:
    """The spec's indicators of each state in ``year``: code, pillar, name, value (untransformed, in
    ``unit``), unit, sources, status (of its first input: real, carried, imputed...), data_year."""
    rows = result.indicators[result.indicators["year"] == year].drop_duplicates("iso3")
    row_at = {code: i for i, code in enumerate(rows["iso3"])}
    missing = [code for code in iso3s if code not in row_at]
    if missing:
        raise DataError(f"{missing[0]} {year}: not a member of the state system that year")
    vintage = result.vintage[result.vintage["year"] == year]
    status_of = {code: (dict(zip(group["input"], group["status"], strict=True)),
                        dict(zip(group["input"], group["data_year"], strict=True)))
                 for code, group in vintage.groupby("iso3", sort=False, observed=True)}
    docs = result.spec.docs
    first = [names[0] for names in docs["inputs"]]
    sources = [", ".join(s) for s in docs["sources"]]
    out = {}
    for iso3 in iso3s:
        values = rows.iloc[row_at[iso3]]
        status, data_year = status_of.get(iso3, ({}, {}))
        out[iso3] = pd.DataFrame({
            "code": docs["code"], "pillar": docs["pillar"], "name": docs["name"],
            "value": [values.get(c) for c in docs["column"]], "unit": docs["unit"],
            "sources": sources,
            "status": [status.get(name) for name in first],
            "data_year": [data_year.get(name) for name in first],
        })
    return out


def profile(result: ModelResult, iso3: str, year: int) -> Profile:
    """One state in one year (:func:`profiles` of one state); DataError if it was not a member then."""
    return profiles(result, year, [iso3])[iso3]


def profiles(result: ModelResult, year: int, iso3s: list[str] | None = None) -> dict[str, Profile]:
    """The :class:`Profile` of every state in ``iso3s`` (default: every member of the state system
    in ``year``) in ``year``: ISO3 -> Profile, in the order asked. Each year-level table (scores,
    tiers, classes, gap, indicators, vintages, pillar percentiles for similarity) is selected once
    for all states, so all ~195 profiles of a year cost about as much as a few single ones.
    DataError if ``year`` is outside the model or a state asked for was not a member that year."""
    year = check_year(result, year)
    if iso3s is None:
        iso3s = list(result.indicators.loc[result.indicators["year"] == year, "iso3"].drop_duplicates())
    iso3s = list(dict.fromkeys(iso3s))
    indicators = _indicators_by_state(result, year, iso3s)
    at = lambda frame: frame[(frame["year"] == year) & frame["iso3"].isin(iso3s)]  # noqa: E731
    scores = at(result.scores).copy()
    scores.insert(scores.columns.get_loc("pillar") + 1, "name", [result.spec.pillar_name(p) for p in scores["pillar"]])
    pillars = _by_state(scores, iso3s)
    tier_rows = at(result.tiers).copy()
    tier_rows["likeliest_tier"] = likeliest_tier(tier_rows)
    class_rows = at(result.classes).copy()
    class_rows["likeliest_class"] = likeliest_class(class_rows)
    tiers, classes, gap = _by_state(tier_rows, iso3s), _by_state(class_rows, iso3s), _by_state(at(result.gap), iso3s)
    verdicts = criteria_by_state(result, year, iso3s)
    similar = similar_by_state(result, year, iso3s)
    labels = names(result).set_index("iso3")["name"]
    return {iso3: Profile(iso3, str(labels.get(iso3, iso3)), year, pillars[iso3], tiers[iso3], classes[iso3],
                          gap[iso3], verdicts[iso3], similar[iso3], indicators[iso3], result.default_last_year)
            for iso3 in iso3s}


def rank(result: ModelResult, year: int, tier: str | None = None) -> pd.DataFrame:
    """States of ``year`` ordered by the tier pillar's score: position (among all states of the year,
    also when ``tier`` keeps one tier), iso3, name, tier, likeliest_tier (:func:`likeliest_tier`), p_great,
    p_middle, p_small, score, percentile (with its interval), data_year (oldest real capability data),
    class, likeliest_class (:func:`likeliest_class`), p_middle_power, power (overall index score), power_rank,
    gap, gap_lo, gap_hi."""
    year = check_year(result, year)
    tiers = result.tiers[result.tiers["year"] == year].drop(columns="year")
    root = result.spec.index.root
    overall = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == root)]
    overall = overall[["iso3", "score", "rank"]].rename(columns={"score": "power", "rank": "power_rank"})
    gap = result.gap[result.gap["year"] == year][["iso3", "gap", "gap_lo", "gap_hi"]]
    classes = result.classes[result.classes["year"] == year]
    classes = classes.assign(likeliest_class=likeliest_class(classes))[["iso3", "class", "likeliest_class",
                                                                         "p_middle_power"]]
    out = tiers.merge(names(result), on="iso3", how="left").merge(overall, on="iso3", how="left").merge(
        gap, on="iso3", how="left").merge(classes, on="iso3", how="left")
    out = out.sort_values(["score", "iso3"], ascending=[False, True], na_position="last").reset_index(drop=True)
    out.insert(0, "position", np.arange(1, len(out) + 1))  # the overall position, kept when one tier is picked
    out["likeliest_tier"] = likeliest_tier(out)
    if tier is not None:
        out = out[out["tier"] == tier].reset_index(drop=True)
    return out[["position", "iso3", "name", "tier", "likeliest_tier", "p_great", "p_middle", "p_small", "score",
                "percentile", "percentile_lo", "percentile_hi", "data_year", "class", "likeliest_class",
                "p_middle_power", "power",
                "power_rank", "gap", "gap_lo", "gap_hi"]]


def likeliest_tier(frame: pd.DataFrame) -> pd.Series:
    """The tier with the highest probability over the replications (None where no tier was drawn).

    The nominal ``tier`` comes from the nominal run (nominal weights and normalisation, the imputed
    inputs at their central values); near a cut-off most replications can fall on the other side, and
    then the two differ: show both.
    """
    return _likeliest(frame, TIERS)


def likeliest_class(frame: pd.DataFrame) -> pd.Series:
    """The class with the highest probability over the replications (None where no class was drawn);
    like :func:`likeliest_tier`, it can differ from the nominal ``class``."""
    return _likeliest(frame, CLASSES)


def _likeliest(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    probs = frame[[probability_column(name) for name in names]].astype(float)
    known = probs.notna().all(axis=1) & (probs.sum(axis=1) > 0)
    out = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    out[known] = [names[i] for i in probs[known].to_numpy().argmax(axis=1)]
    return out


def compare(result: ModelResult, iso3s: list[str], first: int, last: int) -> pd.DataFrame:
    """One row per state and year: iso3, year, name, tier, p_middle, each pillar's percentile and
    the overall index's, the power gap (standardised) with its interval, and ``data_year``: the oldest
    year of real data behind any of the row's nodes (an input carried from 2014 makes it 2014). DataError naming the
    first state asked for that was a member of the state system in none of the years."""
    first, last = check_year(result, first), check_year(result, last)
    keep = lambda frame: frame[frame["iso3"].isin(iso3s) & frame["year"].between(first, last)]  # noqa: E731
    members = keep(result.tiers)
    for code in iso3s:
        if not (members["iso3"] == code).any():
            years = result.tiers.loc[result.tiers["iso3"] == code, "year"]
            held = f"in the model {int(years.min())}-{int(years.max())}" if len(years) else "in no year of the model"
            raise DataError(f"{code}: not a member of the state system in {first}-{last} ({held})")
    wide = keep(result.scores).pivot_table(index=["iso3", "year"], columns="pillar", values="percentile")
    wide = wide.reindex(columns=[p for p in result.spec.nodes if p in wide.columns]).reset_index()
    tiers = keep(result.tiers)[["iso3", "year", "tier", "p_great", "p_middle", "p_small"]].merge(
        keep(result.classes)[["iso3", "year", "class"]], on=["iso3", "year"], how="left")
    gap = keep(result.gap)[["iso3", "year", "gap", "gap_lo", "gap_hi"]]
    vintage = keep(result.scores).groupby(["iso3", "year"], as_index=False)["data_year"].min()
    out = tiers.merge(wide, on=["iso3", "year"], how="left").merge(gap, on=["iso3", "year"], how="left")
    out = out.merge(vintage, on=["iso3", "year"], how="left")
    out = out.merge(names(result), on="iso3", how="left")
    order = {code: i for i, code in enumerate(iso3s)}
    out = out.sort_values(["iso3", "year"], key=lambda s: s.map(order) if s.name == "iso3" else s)
    front = ["iso3", "year", "name", "tier", "class"]
    return out[front + [c for c in out.columns if c not in front]].reset_index(drop=True)


def rank_interval(percentile_lo: pd.Series, percentile_hi: pd.Series, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (best, worst) positions (1 = top) from a percentile interval among ``n`` states.

    The inverse of the model's percentile definition: ``rank = 1 + (100 - percentile) * (n - 1) / 100``,
    so the best position comes from ``percentile_hi``. Tied states get their average position here (the
    percentile's convention), not the shared best position of the ``rank`` column of ``scores``.
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


def input_years(result: ModelResult) -> pd.DataFrame:
    """input, first_year, last_year, states_last: the first and last year of the model in which at least
    one state has the input real (from its own source or another; never carried or imputed), and how
    many states have it real in that last year. One row per input of the model's vintage table."""
    from middlepower.power.imputation import ALTERNATIVE, STATUS_NAMES

    vintage = result.vintage
    real = vintage[vintage["status"].isin(STATUS_NAMES[: ALTERNATIVE + 1])]
    spans = real.groupby("input")["year"].agg(first_year="min", last_year="max")
    last = real.merge(spans["last_year"].rename("year").reset_index(), on=["input", "year"])
    spans["states_last"] = last.groupby("input")["iso3"].nunique()
    inputs = pd.Index(vintage["input"].unique(), name="input")
    return spans.reindex(inputs).reset_index().astype(
        {"first_year": "Int64", "last_year": "Int64", "states_last": "Int64"})


def history(result: ModelResult, iso3: str) -> pd.DataFrame:
    """One state over the model's years: year, tier, likeliest_tier, p_great, p_middle, p_small, class,
    p_middle_power,
    the overall index's percentile with its interval (percentile_lo/hi), gap, gap_lo, gap_hi, p_above,
    data_year (oldest real capability data), and index_data_year and gap_data_year (the oldest real
    data behind the overall index and behind the gap)."""
    pick = lambda frame: frame[frame["iso3"] == iso3].drop(columns="iso3")  # noqa: E731
    tiers = pick(result.tiers)[["year", "tier", "p_great", "p_middle", "p_small", "data_year"]]
    classes = pick(result.classes)[["year", "class", "p_middle_power"]]
    root = result.spec.index.root
    overall = pick(result.scores[result.scores["pillar"] == root])[["year", "percentile", "percentile_lo",
                                                                    "percentile_hi", "data_year"]]
    overall = overall.rename(columns={"data_year": "index_data_year"})
    gap = pick(result.gap)[["year", "gap", "gap_lo", "gap_hi", "p_above", "data_year"]].rename(
        columns={"data_year": "gap_data_year"})
    frame = tiers.merge(classes, on="year", how="outer").merge(overall, on="year", how="outer").merge(
        gap, on="year", how="outer")
    frame.insert(2, "likeliest_tier", likeliest_tier(frame))
    for column in ("data_year", "index_data_year", "gap_data_year"):  # years, whole (NA where none)
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values("year").reset_index(drop=True)
