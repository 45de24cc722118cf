"""The power model's frames as the dashboard serves them (selections of :mod:`middlepower.power`).

Everything here is a selection or reshaping of the model's public frames; the one conversion is
the rank interval: the model reports each state's 90 % interval of its *percentile* within the
year (``percentile_lo``/``percentile_hi``, 0-100, 100 = top) and the table shows it as positions:
``rank = 1 + (100 - percentile) * (n - 1) / 100`` with ``n`` the states scored that year (the
inverse of the model's own percentile definition), so rank_lo (best) comes from percentile_hi.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from middlepower.errors import DataError
from middlepower.web.data import WebData, dumps, power_module, records


class PowerUnavailable(DataError):
    """This installation has no power model (the API answers 422 naming it)."""


def _power():
    power = power_module()
    if power is None:
        raise PowerUnavailable("the power model is not available in this installation")
    return power


@lru_cache(maxsize=4)
def model(data: WebData):
    """Return the power model computed on ``data``'s store (computed once, then cached)."""
    return _power().model(db=data.db)


def meta(data: WebData) -> dict:
    """Years covered, pillars (code and name) and tiers of the power model."""
    result = model(data)
    years = result.tiers["year"]
    spec = result.spec
    pillars = [{"code": p, "name": spec.pillar_name(p)} for p in spec.pillars]
    return {"first": int(years.min()), "last": int(years.max()), "root": spec.index.root,
            "tier_pillar": spec.settings.tier_pillar, "pillars": pillars, "tiers": ["great", "middle", "small"],
            "replications": int(result.replications) if hasattr(result, "replications") else None}


def check_year(data: WebData, year: int) -> int:
    info = meta(data)
    if not info["first"] <= year <= info["last"]:
        raise DataError(f"year {year}: the power model covers {info['first']}-{info['last']}")
    return year


def rank_interval(percentile_lo: pd.Series, percentile_hi: pd.Series, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (best, worst) positions (1 = top) from a percentile interval among ``n`` states."""
    best = 1 + (100 - percentile_hi.to_numpy(dtype=float)) * (n - 1) / 100
    worst = 1 + (100 - percentile_lo.to_numpy(dtype=float)) * (n - 1) / 100
    return np.round(best, 1), np.round(worst, 1)


@lru_cache(maxsize=64)
def rank_bytes(data: WebData, year: int, tier: str | None) -> bytes:
    """The ranking of ``year`` (power.rank) with each state's rank interval, as JSON bytes."""
    result = model(data)
    table = _power().rank(check_year(data, year), tier=tier, db=data.db)
    pillar = result.spec.settings.tier_pillar
    scores = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == pillar)]
    n = int(scores["score"].notna().sum())
    best, worst = rank_interval(scores["percentile_lo"], scores["percentile_hi"], n)
    bounds = pd.DataFrame({"iso3": scores["iso3"].to_numpy(), "rank_lo": best, "rank_hi": worst,
                           "percentile_lo": scores["percentile_lo"].to_numpy(),
                           "percentile_hi": scores["percentile_hi"].to_numpy()})
    table = table.merge(bounds, on="iso3", how="left")
    return dumps({"year": year, "tier": tier, "ranked_on": pillar, "states_scored": n,
                  "source": "middlepower power model (sources per indicator: /api/power/indicators)",
                  "rows": records(table)})


@lru_cache(maxsize=512)
def map_bytes(data: WebData, year: int, layer: str) -> bytes:
    """One value per state for the world map: tier (with p_middle) or a pillar's percentile."""
    result = model(data)
    check_year(data, year)
    layers = ["tier", result.spec.index.root, *result.spec.pillars]
    if layer not in layers:
        shown = layer if len(layer) <= 40 else layer[:40] + "…"
        raise DataError(f"layer {shown!r}: expected one of {', '.join(layers)}")
    if layer == "tier":
        frame = result.tiers[result.tiers["year"] == year][["iso3", "tier", "p_great", "p_middle", "p_small"]]
        values = {row["iso3"]: row for row in records(frame)}
    else:
        frame = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == layer)]
        frame = frame[["iso3", "percentile", "percentile_lo", "percentile_hi", "score"]]
        values = {row["iso3"]: row for row in records(frame)}
    return dumps({"year": year, "layer": layer, "layers": layers, "values": values})


def profile(data: WebData, iso3: str, year: int) -> dict | None:
    """The power model's profile of one state-year as JSON-safe dicts, or None outside its years."""
    if power_module() is None:
        return None
    info = meta(data)
    if not info["first"] <= year <= info["last"]:
        return None
    try:
        p = _power().profile(iso3, year, db=data.db)
    except DataError:
        return None  # not a member of the state system that year
    return {"pillars": records(p.pillars), "tier": (records(p.tier) or [None])[0],
            "classes": (records(p.classes) or [None])[0], "gap": (records(p.gap) or [None])[0],
            "criteria": records(p.criteria), "similar": records(p.similar), "indicators": records(p.indicators),
            "default_last_year": int(p.default_last_year), "source": "middlepower power model"}


@lru_cache(maxsize=512)
def history_bytes(data: WebData, iso3: str) -> bytes:
    """One state over the model's years: tier probabilities, power-index percentile and the power gap."""
    result = model(data)
    pick = lambda f: f[f["iso3"] == iso3].drop(columns="iso3")  # noqa: E731
    tiers = pick(result.tiers)[["year", "tier", "p_great", "p_middle", "p_small"]]
    root = result.spec.index.root
    overall = pick(result.scores[result.scores["pillar"] == root])[["year", "percentile", "percentile_lo",
                                                                     "percentile_hi"]]
    gap = pick(result.gap)[["year", "gap", "gap_lo", "gap_hi", "p_above"]]
    frame = tiers.merge(overall, on="year", how="outer").merge(gap, on="year", how="outer").sort_values("year")
    return dumps({"iso3": iso3, "source": "middlepower power model", "rows": records(frame)})


def compare_bytes(data: WebData, iso3s: list[str], first: int, last: int) -> bytes:
    frame = _power().compare(iso3s, check_year(data, first), check_year(data, last), db=data.db)
    return dumps({"countries": iso3s, "first": first, "last": last, "source": "middlepower power model",
                  "rows": records(frame)})


@lru_cache(maxsize=1)
def indicators_bytes(data: WebData) -> bytes:
    return dumps({"rows": records(_power().indicators_doc())})
