"""The power model's frames as the dashboard serves them (selections of :mod:`middlepower.power`).

Everything here is a selection of the model's public frames (:mod:`middlepower.power`, including
the rank interval and a state's history, which the reports show too), serialised once and cached.
"""

from __future__ import annotations

from functools import lru_cache

from middlepower import power
from middlepower.errors import DataError
from middlepower.web.data import WebData, dumps, records


@lru_cache(maxsize=4)
def model(data: WebData):
    """Return the power model computed on ``data``'s store (computed once, then cached)."""
    return power.model(db=data.db)


def complete_last_year(result) -> int:
    """The last year in which the overall index and every pillar have a percentile for some state.

    The dashboard opens on it: a later year with one layer empty for every state would show
    missing data as if it were complete."""
    layers = [result.spec.index.root, *result.spec.pillars]
    scored = result.scores[result.scores["pillar"].isin(layers) & result.scores["percentile"].notna()]
    per_year = scored.groupby("year")["pillar"].nunique()
    complete = per_year[per_year == len(layers)]
    return int(complete.index.max()) if len(complete) else int(result.tiers["year"].max())


@lru_cache(maxsize=4)
def meta(data: WebData) -> dict:
    """Years covered (``last``; ``complete_last``: see :func:`complete_last_year`), pillars (code
    and name) and tiers of the power model."""
    result = model(data)
    years = result.tiers["year"]
    spec = result.spec
    pillars = [{"code": p, "name": spec.pillar_name(p)} for p in spec.pillars]
    return {"first": int(years.min()), "last": int(years.max()), "complete_last": complete_last_year(result),
            "root": spec.index.root,
            "tier_pillar": spec.settings.tier_pillar, "pillars": pillars, "tiers": ["great", "middle", "small"],
            "replications": int(result.replications) if hasattr(result, "replications") else None}


def check_year(data: WebData, year: int) -> int:
    info = meta(data)
    if not info["first"] <= year <= info["last"]:
        raise DataError(f"year {year}: the power model covers {info['first']}-{info['last']}")
    return year


@lru_cache(maxsize=64)
def rank_table(data: WebData, year: int, tier: str | None):
    """The ranking of ``year`` with each state's rank interval (power.rank_with_intervals) and the
    number of states scored."""
    model(data)
    return power.rank_with_intervals(check_year(data, year), tier=tier, db=data.db)


@lru_cache(maxsize=64)
def rank_bytes(data: WebData, year: int, tier: str | None) -> bytes:
    """:func:`rank_table` as JSON bytes."""
    table, n = rank_table(data, year, tier)
    return dumps({"year": year, "tier": tier, "ranked_on": model(data).spec.settings.tier_pillar, "states_scored": n,
                  "source": "middlepower power model (sources per indicator: /api/power/indicators)",
                  "rows": records(table)})


@lru_cache(maxsize=64)
def rank_csv(data: WebData, year: int, tier: str | None) -> bytes:
    """:func:`rank_table` as CSV bytes (UTF-8, the JSON rows' columns and values)."""
    table, _ = rank_table(data, year, tier)
    return table.to_csv(index=False).encode()


@lru_cache(maxsize=512)
def map_bytes(data: WebData, year: int, layer: str) -> bytes:
    """One value per state for the world map: tier (with its probabilities) or a pillar's percentile, each
    with data_year (the oldest year of real data behind it; a pillar's also names carried and imputed inputs)."""
    result = model(data)
    check_year(data, year)
    layers = ["tier", result.spec.index.root, *result.spec.pillars]
    if layer not in layers:
        shown = layer if len(layer) <= 40 else layer[:40] + "…"
        raise DataError(f"layer {shown!r}: expected one of {', '.join(layers)}")
    if layer == "tier":
        frame = result.tiers[result.tiers["year"] == year]
        frame = frame[["iso3", "tier", "p_great", "p_middle", "p_small", "data_year"]]
        values = {row["iso3"]: row for row in records(frame)}
    else:
        frame = result.scores[(result.scores["year"] == year) & (result.scores["pillar"] == layer)]
        frame = frame[["iso3", "percentile", "percentile_lo", "percentile_hi", "score", "real_share", "data_year",
                       "carried", "imputed"]]
        values = {row["iso3"]: row for row in records(frame)}
    members = result.tiers[result.tiers["year"] == year]
    scored = [v for v in values.values() if v.get("percentile") is not None or v.get("tier") is not None]
    coverage = {"states": len(members), "scored": len(scored),
                "real_share": (None if layer == "tier" or not scored else
                               round(sum(v.get("real_share") or 0 for v in scored) / len(scored), 3))}
    return dumps({"year": year, "layer": layer, "layers": layers, "values": values, "coverage": coverage})


def profile(data: WebData, iso3: str, year: int, batch: bool = True) -> dict | None:
    """The power model's profile of one state-year as JSON-safe dicts (:func:`profile_dict`), or None
    outside its years or when the state was not a member of the state system that year.

    ``batch``: taken from the year's batch (:func:`year_profiles`, computed once); else computed for
    this state alone (the load benchmark's uncached baseline)."""
    info = meta(data)
    if not info["first"] <= year <= info["last"]:
        return None
    if batch:
        return year_profiles(data, year).get(iso3)
    model(data)
    try:
        return profile_dict(power.profiles(year, db=data.db, iso3s=[iso3])[iso3])
    except DataError:
        return None  # not a member of the state system that year


@lru_cache(maxsize=2)
def year_profiles(data: WebData, year: int) -> dict[str, dict]:
    """Every member's power profile of ``year`` (``power.profiles``, one batch) as :func:`profile_dict`
    by ISO3. Two years are kept: the warm-up walks year by year."""
    model(data)
    return {iso3: profile_dict(p) for iso3, p in power.profiles(year, db=data.db).items()}


def profile_dict(p: power.Profile) -> dict:
    """A :class:`middlepower.power.Profile` as JSON-safe dicts (one-row frames as one dict or None)."""
    return {"pillars": records(p.pillars), "tier": (records(p.tier) or [None])[0],
            "classes": (records(p.classes) or [None])[0], "gap": (records(p.gap) or [None])[0],
            "criteria": records(p.criteria), "similar": records(p.similar), "indicators": records(p.indicators),
            "default_last_year": int(p.default_last_year), "source": "middlepower power model"}


@lru_cache(maxsize=512)
def history_bytes(data: WebData, iso3: str) -> bytes:
    """One state over the model's years: tier probabilities, power-index percentile and the power gap."""
    model(data)
    return dumps({"iso3": iso3, "source": "middlepower power model", "rows": records(power.history(iso3, db=data.db))})


def compare_bytes(data: WebData, iso3s: list[str], first: int, last: int) -> bytes:
    """The states side by side (power.compare) with the overall index's 90 % interval as ``<root>_lo``
    and ``<root>_hi``."""
    frame = power.compare(iso3s, check_year(data, first), check_year(data, last), db=data.db)
    result = model(data)
    root = result.spec.index.root
    scores = result.scores[(result.scores["pillar"] == root) & result.scores["iso3"].isin(iso3s)]
    bounds = scores[["iso3", "year", "percentile_lo", "percentile_hi"]].rename(
        columns={"percentile_lo": f"{root}_lo", "percentile_hi": f"{root}_hi"})
    frame = frame.merge(bounds, on=["iso3", "year"], how="left")
    return dumps({"countries": iso3s, "first": first, "last": last, "source": "middlepower power model",
                  "rows": records(frame)})


@lru_cache(maxsize=1)
def indicators_bytes(data: WebData) -> bytes:
    return dumps({"rows": records(power.indicators_doc().drop(columns="sources"))})
