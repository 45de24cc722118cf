"""Computing the model once and keeping it: indicator frame -> nominal run -> replications -> frames.

Results are cached in memory per (store build, spec fingerprint, years, replications, seed), and
on disk under ``<data home>/power-cache/`` so that successive CLI commands do not redo the Monte
Carlo. A rebuilt store or an edited spec changes the key, so a stale cache is never read.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from middlepower import config, index
from middlepower.errors import DataError
from middlepower.power import spec as power_spec
from middlepower.power.indicators import indicator_frame
from middlepower.power.model import (
    ModelResult,
    classify,
    influence_score,
    interval,
    percentile_within_year,
    replicate,
    standardised_gap,
    tier_names,
)
from middlepower.warehouse import open_store

MODEL_VERSION = 8
"""Bumped whenever the model's computation changes, so that older disk caches are not read."""

FIRST_YEAR = 1990
"""First year the model covers by default: the post-Cold-War system, and where most series start."""

_MEMORY: dict[tuple, ModelResult] = {}


LATEST_YEAR_COVERAGE = 0.6
"""Share of states that must have most of the tier pillar's indicators for a year to be modelled."""


def latest_year(data: pd.DataFrame, spec: power_spec.PowerSpec) -> int:
    """The last year of ``data`` in which at least 60% of states have more than half of the tier
    pillar's indicators (so the tiers of the last years do not rest on one or two series)."""
    docs = spec.docs
    columns = list(docs.loc[docs["pillar"] == spec.settings.tier_pillar, "column"])
    enough = data[columns].notna().sum(axis=1) > len(columns) / 2
    share = enough.groupby(data["year"]).mean()
    covered = share[share >= LATEST_YEAR_COVERAGE]
    if covered.empty:
        raise DataError("the store has no year in which most states have capability data")
    return int(covered.index.max())


def _last_panel_year(db: Path | str | None) -> int:
    with open_store(db) as store:
        return int(store.query("SELECT max(year) AS y FROM state_years")["y"].iloc[0])


def _store_key(db: Path | str | None) -> str:
    with open_store(db) as store:
        return str(store.build_info()["fingerprint"])


def _tidy(units: np.ndarray, years: np.ndarray, present: np.ndarray, **columns: np.ndarray) -> pd.DataFrame:
    u, y = np.nonzero(present)
    return pd.DataFrame({"iso3": units[u], "year": years[y].astype(int),
                         **{name: values[u, y] for name, values in columns.items()}})


def _frames(spec: power_spec.PowerSpec, ctx: index.Context, draws: dict[str, np.ndarray]) -> tuple:
    nominal, settings = ctx.nominal, spec.settings
    units, years, present = nominal.panel.units, nominal.panel.years, nominal.panel.present
    nodes = [*spec.pillars, spec.index.root]
    score = {c: nominal.node_scores(c).to_numpy(dtype=float) for c in nodes}
    frames = []
    for code in nodes:
        lo, hi = interval(draws[f"pct:{code}"])
        pct = percentile_within_year(score[code])
        rank = pd.DataFrame(score[code]).rank(ascending=False, method="min").to_numpy()
        frames.append(_tidy(units, years, present, score=score[code], percentile=pct, percentile_lo=lo,
                            percentile_hi=hi, rank=rank).assign(pillar=code))
    scores = pd.concat(frames, ignore_index=True)
    scores = scores[["iso3", "year", "pillar", "score", "percentile", "percentile_lo", "percentile_hi", "rank"]]
    tier_pct = percentile_within_year(score[settings.tier_pillar])
    codes = draws["tier"]
    scored = (codes >= 0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = {t: np.where(scored > 0, (codes == k).sum(axis=0) / scored, np.nan) for k, t in enumerate(power_spec.TIERS)}
    tiers = _tidy(units, years, present, score=score[settings.tier_pillar], percentile=tier_pct,
                  tier=tier_names(classify(tier_pct, settings.great_percentile, settings.middle_percentile)),
                  p_great=p["great"], p_middle=p["middle"], p_small=p["small"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        influence = influence_score([score[c] for c in settings.influence_pillars])
        points, std = standardised_gap(score[settings.capability_pillar], influence)
        gap_lo, gap_hi = interval(draws["gap"])
        with_gap = (~np.isnan(draws["gap"])).sum(axis=0)  # NaN draws count neither way
        p_above = np.where(with_gap > 0, (draws["gap"] > 0).sum(axis=0) / np.maximum(with_gap, 1), np.nan)
    gap = _tidy(units, years, present, capability=score[settings.capability_pillar], influence=influence,
                gap_points=points, gap=std, gap_lo=gap_lo, gap_hi=gap_hi, p_above=p_above)
    return scores, tiers, gap


def compute(first: int | None = None, last: int | None = None, db: Path | str | None = None,
            spec: power_spec.PowerSpec | None = None, replications: int | None = None, seed: int | None = None,
            progress: Callable[[int, int], None] | None = None, cache: bool = True, scheduler=None) -> ModelResult:
    """Run the model for every state and year ``first``..``last`` (default 1990..latest) and summarise.

    ``progress(done, total)`` is called as replications complete. With ``cache`` the result is
    reused from memory or the disk cache when the store, spec and settings are unchanged.
    ``scheduler`` runs the replications on a Dask cluster (default ``$MIDDLEPOWER_SCHEDULER``,
    else this process's threads; see :func:`middlepower.index.block_mapper`), with the
    same result.
    """
    spec = spec or power_spec.load()
    first = FIRST_YEAR if first is None else int(first)
    if last is not None and int(last) < first:
        raise DataError(f"years {first}-{last}: the range ends before it starts")
    n = spec.settings.replications if replications is None else int(replications)
    seed = spec.settings.seed if seed is None else int(seed)
    until = "latest" if last is None else int(last)
    key = (f"v{MODEL_VERSION}", _store_key(db), spec.fingerprint, first, until, n, seed)
    if cache and key in _MEMORY:
        return _MEMORY[key]
    if cache and (hit := _read_disk(key, spec)) is not None:
        _MEMORY[key] = hit
        return hit
    started = time.perf_counter()
    data = indicator_frame(first, _last_panel_year(db) if last is None else int(last), db=db)
    if last is None:
        data = data[data["year"] <= latest_year(data, spec)].reset_index(drop=True)
    columns = ["iso3", "year", *spec.docs["column"]]
    ctx = index.make_context(spec.index, data[list(dict.fromkeys(columns))])
    done = [0]

    def tick(k: int) -> None:
        done[0] += k
        if progress is not None:
            progress(done[0], n)

    with index.block_mapper(scheduler) as (mapper, _):
        draws = replicate(spec, ctx, n, seed, tick, mapper)
    scores, tiers, gap = _frames(spec, ctx, draws)
    result = ModelResult(spec, data, scores, tiers, gap, n, time.perf_counter() - started)
    if cache:
        _MEMORY[key] = result
        _write_disk(key, result)
    return result


def _cache_dir(key: tuple) -> Path:
    return config.data_home() / "power-cache" / "-".join(str(k) for k in key)


def _read_disk(key: tuple, spec: power_spec.PowerSpec) -> ModelResult | None:
    folder = _cache_dir(key)
    names = ("indicators", "scores", "tiers", "gap")
    if not all((folder / f"{name}.parquet").is_file() for name in names):
        return None
    try:
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in names}
    except Exception:  # a damaged cache is recomputed, never trusted
        return None
    return ModelResult(spec, frames["indicators"], frames["scores"], frames["tiers"], frames["gap"], key[5])


def _write_disk(key: tuple, result: ModelResult) -> None:
    folder = _cache_dir(key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("indicators", "scores", "tiers", "gap"):
            tmp = folder / f".{name}.parquet.partial"
            getattr(result, name).to_parquet(tmp, index=False)
            tmp.replace(folder / f"{name}.parquet")
    except OSError:
        pass  # the cache is an optimisation; an unwritable data home only costs time
