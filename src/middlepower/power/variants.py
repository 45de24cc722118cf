"""Two model variants side by side: ranks, tiers, classes and gaps of every state in one year.

A variant is a spec (COINr's "change one method on a copy of the coin and regenerate"); both
results come from :func:`middlepower.power.compute.compute`, i.e. the same engine path and the same
Monte Carlo, so the comparison shows what the change of spec does and nothing else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from middlepower.errors import DataError
from middlepower.power.model import ModelResult
from middlepower.power.views import check_year, names

COMPARED = ("tier", "class", "percentile", "p_middle", "power_rank", "gap")


def _one(result: ModelResult, year: int) -> pd.DataFrame:
    tiers = result.tiers[result.tiers["year"] == year][["iso3", "tier", "percentile", "p_middle"]]
    root = result.spec.index.root
    overall = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == root)]
    overall = overall[["iso3", "rank"]].rename(columns={"rank": "power_rank"})
    classes = result.classes[result.classes["year"] == year][["iso3", "class"]]
    gap = result.gap[result.gap["year"] == year][["iso3", "gap"]]
    return tiers.merge(classes, on="iso3", how="outer").merge(overall, on="iso3", how="outer").merge(
        gap, on="iso3", how="outer")


def side_by_side(a: ModelResult, b: ModelResult, year: int | None = None) -> pd.DataFrame:
    """One row per state: iso3, name, then ``<column>_a`` and ``<column>_b`` for tier, class,
    capability percentile, p_middle, overall-index rank and gap, and ``rank_shift`` (b - a, overall
    index), ``tier_changed``, ``class_changed``; tier changes first, then class changes, then by the
    size of the rank shift.

    ``year`` defaults to the later of the two variants' default last years that both cover.
    """
    if year is None:
        year = min(a.default_last_year, b.default_last_year)
    year = check_year(b, check_year(a, int(year)))
    merged = _one(a, year).merge(_one(b, year), on="iso3", how="outer", suffixes=("_a", "_b"))
    if merged.empty:
        raise DataError(f"year {year}: neither variant scores any state")
    merged = merged.merge(names(a), on="iso3", how="left")
    merged["rank_shift"] = merged["power_rank_b"] - merged["power_rank_a"]
    merged["tier_changed"] = merged["tier_a"].fillna("none") != merged["tier_b"].fillna("none")
    merged["class_changed"] = merged["class_a"].fillna("none") != merged["class_b"].fillna("none")
    merged["year"] = year
    key = (merged["tier_changed"].astype(int) * 1e6 + merged["class_changed"].astype(int) * 1e3
           + merged["rank_shift"].abs().fillna(-1))
    order = np.argsort(-key.to_numpy(), kind="stable")
    columns = ["iso3", "name", "year", *[f"{c}_{s}" for c in COMPARED for s in ("a", "b")], "rank_shift",
               "tier_changed", "class_changed"]
    return merged.iloc[order][columns].reset_index(drop=True)


def summary(frame: pd.DataFrame) -> dict[str, float]:
    """Headline numbers of a comparison: states compared, tier and class changes, Spearman of the
    overall-index ranks, largest rank shift."""
    both = frame.dropna(subset=["power_rank_a", "power_rank_b"])
    rho = both["power_rank_a"].corr(both["power_rank_b"], method="spearman") if len(both) > 2 else np.nan
    return {"states": int(len(frame)), "tier_changes": int(frame["tier_changed"].sum()),
            "class_changes": int(frame["class_changed"].sum()), "rank_spearman": float(rho),
            "largest_rank_shift": float(frame["rank_shift"].abs().max())}
