"""Computing the model once and keeping it: inputs -> imputation -> nominal run -> replications -> frames.

Results are cached in memory per (store build, spec fingerprint, years, replications, seed), and
on disk under the build's cache folder (``<data home>/builds/<build id>/power/``) so that
successive CLI commands do not redo the Monte Carlo. The key starts with the id of a store build
that passed its integrity check on open; an edited spec changes the key, and the build that
replaces a store removes its predecessor's folder, so a stale cache is never read.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from middlepower import config, limits
from middlepower.errors import DataError
from middlepower.power import engine
from middlepower.power import spec as power_spec
from middlepower.power.imputation import (
    ALTERNATIVE,
    CARRIED,
    IMPUTED,
    MISSING,
    STRUCTURAL,
    Imputed,
    bridge_holdout,
    holdout,
)
from middlepower.power.indicators import derive, imputed_inputs
from middlepower.power.model import (
    Draws,
    ModelResult,
    class_codes,
    class_names,
    classify,
    interval,
    percentile_interval,
    percentile_within_year,
    standardised_gap,
    tier_names,
)
from middlepower.warehouse import open_store

MODEL_VERSION = 39
"""Bumped whenever the model's computation changes, so that older disk caches are not read."""

FIRST_YEAR = 1990
"""First year the model covers by default: the post-Cold-War system, and where most series start."""

LATEST_YEAR_COVERAGE = 0.6
"""Share of states that must have every input of the tier pillar real for a year to be computed."""

REAL_MAJORITY = 0.5
"""A node is real for a state-year when at least this share of its inputs is real; a year is in the
default range when, for every pillar, more than this share of states have it real."""

FRAMES = ("indicators", "scores", "tiers", "classes", "gap", "vintage", "imputation", "bridge")
_MEMORY: dict[tuple, ModelResult] = {}
_INPUTS: dict[tuple, Imputed] = {}


def _store_key(db: Path | str | None) -> str:
    with open_store(db) as store:  # the open checks the store; a damaged one fails here
        return str(store.build_info()["build_id"])


def _last_panel_year(db: Path | str | None) -> int:
    with open_store(db) as store:
        return int(store.query("SELECT max(year) AS y FROM state_years")["y"].iloc[0])


def inputs_for(db: Path | str | None, last: int) -> Imputed:
    """The imputed inputs of the store (memoised per store build)."""
    key = (_store_key(db), last)
    if key not in _INPUTS:
        _INPUTS[key] = imputed_inputs(last, db=db)
    return _INPUTS[key]


def node_real_share(spec: power_spec.PowerSpec, imputed: Imputed, code: str) -> np.ndarray:
    return imputed.real_share(spec.inputs_under(code))


def year_span(spec: power_spec.PowerSpec, imputed: Imputed, first: int, last: int | None) -> tuple[int, int, int]:
    """(first, last computed year, default last year) — see ``LATEST_YEAR_COVERAGE`` and ``REAL_MAJORITY``."""
    years = imputed.years
    tier_real = node_real_share(spec, imputed, spec.settings.tier_pillar)
    member = imputed.members()
    share = ((tier_real >= 1.0) & member).sum(axis=0) / np.maximum(member.sum(axis=0), 1)
    covered = years[(share >= LATEST_YEAR_COVERAGE) & (years >= first)]
    if covered.size == 0:
        raise DataError("the store has no year in which most states have capability data")
    computed = int(covered.max()) if last is None else int(last)
    ok = np.ones(years.size, dtype=bool)
    for pillar in spec.pillars:
        real = (node_real_share(spec, imputed, pillar) >= REAL_MAJORITY) & member
        ok &= real.sum(axis=0) / np.maximum(member.sum(axis=0), 1) > REAL_MAJORITY
    good = years[ok & (years >= first) & (years <= computed)]
    default_last = int(good.max()) if good.size else computed
    return first, computed, default_last


def _engine_frame(spec: power_spec.PowerSpec, inputs: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    derived = derive(inputs, spec.docs)
    derived = derived[derived["year"].between(first, last)]
    return derived[["iso3", "year", *dict.fromkeys(spec.docs["engine_column"])]].reset_index(drop=True)


def compute(
    first: int | None = None,
    last: int | None = None,
    db: Path | str | None = None,
    spec: power_spec.PowerSpec | None = None,
    replications: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = True,
    scheduler=None,
) -> ModelResult:
    """Run the model for every state and year ``first``..``last`` (default 1990..latest) and summarise.

    ``progress(done, total)`` is called as replications complete. With ``cache`` the result is
    reused from memory or the disk cache when the store, spec and settings are unchanged.
    ``scheduler`` runs the replications on a Dask cluster (default ``$MIDDLEPOWER_SCHEDULER``,
    else this process's threads; see :func:`middlepower.power.engine.node_replications`), with
    the same result, so it is not part of the cache key.
    """
    spec = spec or power_spec.load()
    first = FIRST_YEAR if first is None else int(first)
    if last is not None and int(last) < first:
        raise DataError(f"years {first}-{last}: the range ends before it starts")
    n = limits.check_count("replications", spec.settings.replications if replications is None else replications,
                           limits.REPLICATIONS)
    seed = spec.settings.seed if seed is None else int(seed)
    key = _cache_key(db, spec, first, last, n, seed)
    if cache and (hit := _cached(key, spec)) is not None:
        return hit
    started = time.perf_counter()
    imputed = inputs_for(db, _last_panel_year(db))
    first, computed, default_last = year_span(spec, imputed, first, last)
    result = _run(spec, imputed, first, computed, default_last, n, seed, progress, scheduler)
    result.seconds = time.perf_counter() - started
    if cache:
        _MEMORY[key] = result
        _write_disk(key, result)
    return result


def span(db: Path | str | None = None, spec: power_spec.PowerSpec | None = None) -> tuple[int, int]:
    """Return (first, last) calendar years the model of ``spec`` (default: the shipped one) covers on the
    store at ``db``, without running it: from the cached result when there is one, else from the
    imputed inputs alone (about 9 s, which the run then reuses), so a year outside the model is
    refused before any Monte Carlo."""
    spec = spec or power_spec.load()
    key = _cache_key(db, spec, FIRST_YEAR, None, spec.settings.replications, spec.settings.seed)
    if (hit := _cached(key, spec)) is not None:
        years = hit.tiers["year"]
        return int(years.min()), int(years.max())
    first, computed, _ = year_span(spec, inputs_for(db, _last_panel_year(db)), FIRST_YEAR, None)
    return first, computed


def _cache_key(db: Path | str | None, spec: power_spec.PowerSpec, first: int, last: int | None, n: int,
               seed: int) -> tuple:
    return (f"v{MODEL_VERSION}", _store_key(db), spec.fingerprint, first, "latest" if last is None else int(last),
            n, seed)


def _cached(key: tuple, spec: power_spec.PowerSpec) -> ModelResult | None:
    """The result under ``key`` from memory, else from the disk cache (then kept in memory); None if neither."""
    if key in _MEMORY:
        return _MEMORY[key]
    if (hit := _read_disk(key, spec)) is not None:
        _MEMORY[key] = hit
    return hit


def _run(
    spec: power_spec.PowerSpec,
    imputed: Imputed,
    first: int,
    last: int,
    default_last: int,
    n: int,
    seed: int,
    progress: Callable[[int, int], None] | None,
    scheduler=None,
) -> ModelResult:
    settings = spec.settings
    nodes = spec.nodes
    point = imputed.point()
    nominal_frame = _engine_frame(spec, point, first, last)
    nominal = engine.nominal(spec.index, nominal_frame, nodes)
    rng = np.random.default_rng([seed, 0xD1CE])
    k = min(settings.imputation_draws, n)
    frames = [_engine_frame(spec, imputed.draw(rng), first, last) for _ in range(k)]
    window = slice(nominal.years[0] - imputed.years[0], nominal.years[-1] - imputed.years[0] + 1)
    unit_rows = np.searchsorted(imputed.units, nominal.units)
    sub = lambda a: a[unit_rows][:, window]  # noqa: E731  imputation arrays -> the model's grid
    tiered = sub(node_real_share(spec, imputed, settings.tier_pillar)) >= settings.min_real_inputs
    draws = Draws(nodes, n, nominal.present.shape, settings, tiered)
    done = 0
    for rows, scores in engine.node_replications(spec.index, frames, nodes, n, seed, nominal.units,
                                                     scheduler=scheduler):
        draws.add(rows, scores)
        done += rows.size
        if progress is not None:
            progress(done, n)
    vintage = _vintage(spec, imputed, nominal, sub)
    frames_out = _frames(spec, nominal, draws, tiered, vintage, sub, imputed)
    indicators = derive(point, spec.docs)
    indicators = indicators[indicators["year"].between(first, last)].reset_index(drop=True)
    status = imputed.status_frame()
    status = status[status["year"].between(first, last)].reset_index(drop=True)
    return ModelResult(spec, indicators, *frames_out, status, n, default_last, imputation=holdout(imputed),
                       bridge=bridge_holdout(imputed))


def _tidy(units: np.ndarray, years: np.ndarray, present: np.ndarray, **columns: np.ndarray) -> pd.DataFrame:
    u, y = np.nonzero(present)
    return pd.DataFrame(
        {"iso3": units[u], "year": years[y].astype(int), **{name: values[u, y] for name, values in columns.items()}}
    )


def _vintage(spec, imputed: Imputed, nominal: engine.Nominal, sub) -> dict[str, dict[str, np.ndarray]]:
    """Per node: real_share, data_year (oldest real year behind it) and text lists of carried / imputed inputs."""
    out = {}
    for code in spec.nodes:
        names = spec.inputs_under(code)
        panels = [imputed.inputs[name] for name in names]
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN: nothing real behind the cell
            oldest = np.nanmin(np.stack([sub(p.data_year) for p in panels]), axis=0)
        carried, guessed, absent = (np.full(nominal.present.shape, "", dtype=object) for _ in range(3))
        for name, p in zip(names, panels, strict=True):
            status, year = sub(p.status), sub(p.data_year)
            label = np.char.add(f"{name} from ", np.where(np.isnan(year), 0, year).astype(int).astype(str))
            carried = _listed(carried, status == CARRIED, label)
            guessed = _listed(guessed, status == IMPUTED, name)
            absent = _listed(absent, status == MISSING, name)
            absent = _listed(absent, status == STRUCTURAL, f"{name} (does not apply)")
        share = sub(imputed.real_share(names))
        out[code] = {"real_share": share, "data_year": oldest, "carried": carried, "imputed": guessed,
                     "missing": absent}
    return out


def _listed(text: np.ndarray, where: np.ndarray, label) -> np.ndarray:
    """``text`` with ``label`` appended ("; "-separated) where ``where`` holds."""
    return np.where(where, np.where(text == "", label, text + "; " + label), text)


def _frames(spec, nominal: engine.Nominal, draws: Draws, tiered: np.ndarray, vintage: dict, sub, imputed: Imputed):
    settings = spec.settings
    units, years, present = nominal.units, nominal.years, nominal.present
    pct = {code: percentile_within_year(nominal.scores[code]) for code in spec.nodes}
    frames = []
    for code in spec.nodes:
        lo, hi = percentile_interval(pct[code], draws.pct[code])
        rank = pd.DataFrame(nominal.scores[code]).rank(ascending=False, method="min").to_numpy()
        frames.append(
            _tidy(
                units,
                years,
                present,
                score=nominal.scores[code],
                percentile=pct[code],
                percentile_lo=lo,
                percentile_hi=hi,
                rank=rank,
                **vintage[code],
            ).assign(pillar=code)
        )
    scores = pd.concat(frames, ignore_index=True)
    scores = scores[
        [
            "iso3",
            "year",
            "pillar",
            "score",
            "percentile",
            "percentile_lo",
            "percentile_hi",
            "rank",
            "real_share",
            "data_year",
            "carried",
            "imputed",
            "missing",
        ]
    ]
    tier_code = classify(pct[settings.tier_pillar], settings.great_percentile, settings.middle_percentile, tiered)
    p_tier = draws.shares(draws.tier, power_spec.TIERS)
    real = sub(
        np.sum([imputed.inputs[x].status <= ALTERNATIVE for x in spec.inputs_under(settings.tier_pillar)], axis=0)
    )
    tier_lo, tier_hi = percentile_interval(pct[settings.tier_pillar], draws.pct[settings.tier_pillar])
    tiers = _tidy(
        units,
        years,
        present,
        score=nominal.scores[settings.tier_pillar],
        percentile=pct[settings.tier_pillar],
        percentile_lo=tier_lo,
        percentile_hi=tier_hi,
        tier=tier_names(tier_code),
        p_great=p_tier["great"],
        p_middle=p_tier["middle"],
        p_small=p_tier["small"],
        real_inputs=real.astype(float),
        inputs=np.full(real.shape, float(len(spec.inputs_under(settings.tier_pillar)))),
        data_year=vintage[settings.tier_pillar]["data_year"],
    )
    behaviour = pct[settings.behaviour_pillar]
    cls_code = class_codes(tier_code, behaviour, settings.conduct_percentile)
    p_cls = draws.shares(draws.cls, power_spec.CLASSES)
    conduct_draws = draws.pct[settings.behaviour_pillar].astype(np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        scored = (~np.isnan(conduct_draws)).sum(axis=0)
        p_conduct = np.where(scored > 0, (conduct_draws >= settings.conduct_percentile).sum(axis=0) / scored, np.nan)
    classes = _tidy(
        units,
        years,
        present,
        **{"class": class_names(cls_code)},
        **{power_spec.probability_column(name): p_cls[name] for name in power_spec.CLASSES},
        behaviour_percentile=behaviour,
        p_conduct=p_conduct,
        conduct=np.where(np.isnan(behaviour), None, behaviour >= settings.conduct_percentile).astype(object),
    )
    capability = np.where(tiered, nominal.scores[settings.capability_pillar], np.nan)
    influence = nominal.scores[settings.influence_pillar]
    points, std = standardised_gap(capability, influence)
    gap_lo, gap_hi = interval(draws.gap)
    with np.errstate(invalid="ignore", divide="ignore"):
        with_gap = (~np.isnan(draws.gap)).sum(axis=0)
        p_above = np.where(with_gap > 0, (draws.gap > 0).sum(axis=0) / np.maximum(with_gap, 1), np.nan)
    gap = _tidy(
        units,
        years,
        present,
        capability=capability,
        influence=influence,
        expected_influence=influence - points,
        gap_points=points,
        gap=std,
        gap_lo=gap_lo,
        gap_hi=gap_hi,
        p_above=p_above,
        data_year=np.where(
            np.isnan(std),
            np.nan,
            np.fmin(vintage[settings.capability_pillar]["data_year"], vintage[settings.influence_pillar]["data_year"]),
        ),
        no_gap=_no_gap_reasons(tiered, influence, std, settings.min_real_inputs, settings.tier_pillar),
    )
    return scores, tiers, classes, gap


def _no_gap_reasons(tiered: np.ndarray, influence: np.ndarray, gap: np.ndarray, min_real: float,
                    tier_pillar: str) -> np.ndarray:
    """Why a state-year has no power gap, in words (None where it has one): the gap needs a tier
    (at least the share ``min_real`` of the inputs of ``tier_pillar``, the pillar tiers are cut on,
    real), an influence score, and at least three states in the year with both."""
    untiered = f"no tier: less than {min_real:.0%} of its {tier_pillar} inputs real"
    reasons = np.where(tiered, "no influence score", untiered)
    reasons = np.where(tiered & ~np.isnan(influence), "fewer than three states with both scores in the year", reasons)
    return np.where(np.isnan(gap), reasons, None).astype(object)


def _cache_dir(key: tuple) -> Path:
    build_id = key[1]
    rest = [key[0], *key[2:]]
    return config.build_cache_dir(str(build_id)) / "power" / "-".join(str(k) for k in rest)


def _read_disk(key: tuple, spec: power_spec.PowerSpec) -> ModelResult | None:
    folder = _cache_dir(key)
    if not all((folder / f"{name}.parquet").is_file() for name in FRAMES) or not (folder / "meta.json").is_file():
        return None
    try:
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in FRAMES}
        meta = json.loads((folder / "meta.json").read_text())
    except Exception:  # a damaged cache is recomputed, never trusted
        return None
    return ModelResult(
        spec,
        frames["indicators"],
        frames["scores"],
        frames["tiers"],
        frames["classes"],
        frames["gap"],
        frames["vintage"],
        int(meta["replications"]),
        int(meta["default_last_year"]),
        imputation=frames["imputation"],
        bridge=frames["bridge"],
    )


def _write_disk(key: tuple, result: ModelResult) -> None:
    folder = _cache_dir(key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in FRAMES:
            tmp = folder / f".{name}.parquet.partial"
            getattr(result, name).to_parquet(tmp, index=False)
            tmp.replace(folder / f"{name}.parquet")
        (folder / "meta.json").write_text(
            json.dumps({"replications": result.replications, "default_last_year": result.default_last_year})
        )
    except OSError:
        pass  # the cache is an optimisation; an unwritable data home only costs time
