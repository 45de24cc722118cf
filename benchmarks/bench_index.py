"""Benchmark of the index engine's Monte Carlo uncertainty analysis.

Two runs, each with four uncertain inputs (treatment parameter, normalisation method, noisy
weights at two levels, aggregation method):

1. a COINr-sized framework: 51 units x 49 indicators, 4 levels (indicators -> 8 pillars ->
   2 sub-indices -> index), one year, 10,000 replications;
2. a full country-year panel: 190 units x 75 years x 30 indicators, 4 levels, 10,000 replications.

Each is compared with a baseline in the same process: a plain loop that rebuilds the index once
per replication with ``run`` (what COINr does per replication), on a few replications.
Data are synthetic (log-normal, some skewed, a share missing) from a fixed seed.

    PYTHONPATH=src python benchmarks/bench_index.py [--quick]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

import numpy as np
import pandas as pd

from middlepower.index import run, spec_from_dict, uncertainty
from middlepower.index.spec import Spec


def framework(n_ind: int, pillars: int, subs: int, panel: bool) -> dict:
    uncertain = [
        {"input": "treatment", "alternatives": [{"method": "winsorise", "winmax": w} for w in (1, 3, 5)]},
        {"input": "normalisation", "alternatives": [{"method": "minmax", "low": 1, "high": 100},
                                                     {"method": "zscore", "mean": 10, "sd": 2}]},
        {"input": "weights", "level": 2, "noise": 0.25},
        {"input": "weights", "level": 3, "noise": 0.25},
        {"input": "aggregation", "alternatives": ["arithmetic", "geometric"]},
    ]
    return {
        "name": "benchmark", "unit": "u", "time": "t" if panel else None,
        "indicators": [{"code": f"i{k}", "parent": f"P{k % pillars}", "weight": 1 + k % 3} for k in range(n_ind)],
        "aggregates": [{"code": f"P{p}", "parent": f"S{p % subs}"} for p in range(pillars)]
        + [{"code": f"S{s}", "parent": "I"} for s in range(subs)] + [{"code": "I"}],
        "methods": {"imputation": "forward_backward" if panel else "none", "treatment": "winsorise",
                    "normalisation": {"method": "minmax", "low": 1, "high": 100}},
        "uncertainty": uncertain,
    }


def synthetic(n_units: int, n_years: int, n_ind: int, missing: float, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sigma = rng.uniform(0.2, 1.5, size=n_ind)  # some indicators strongly skewed
    X = rng.lognormal(0.0, sigma, size=(n_units * n_years, n_ind))
    X[rng.random(X.shape) < missing] = np.nan
    frame = pd.DataFrame(X, columns=[f"i{k}" for k in range(n_ind)])
    frame.insert(0, "t", np.tile(np.arange(1950, 1950 + n_years), n_units))
    frame.insert(0, "u", np.repeat([f"u{k:03d}" for k in range(n_units)], n_years))
    return frame


def baseline_ms_per_replication(spec: Spec, data: pd.DataFrame, n: int, seed: int = 0) -> float:
    """A straightforward loop: draw the inputs, rebuild the spec, run the whole index, rank."""
    rng = np.random.default_rng(seed)
    inputs = {u.label: u for u in spec.uncertainty}
    start = time.perf_counter()
    for _ in range(n):
        def pick(kind):
            options = inputs[kind].alternatives
            return options[rng.integers(len(options))]
        aggregation = pick("aggregation")
        levels = tuple((lvl, dataclasses.replace(lm, aggregation=aggregation)) for lvl, lm in spec.levels)
        depth = {i.code: 1 for i in spec.indicators}
        noisy_ind = tuple(dataclasses.replace(i, weight=i.weight * (1 + rng.uniform(-0.25, 0.25)))
                          for i in spec.indicators)
        noisy_agg = tuple(dataclasses.replace(a, weight=a.weight * (1 + rng.uniform(-0.25, 0.25)))
                          if a.parent and a.code not in depth else a for a in spec.aggregates)
        variant = dataclasses.replace(spec, treatment=pick("treatment"), normalisation=pick("normalisation"),
                                      levels=levels, indicators=noisy_ind, aggregates=noisy_agg)
        scores = run(variant, data).scores
        scores[scores.node == "I"].groupby("year", dropna=False)["score"].rank(ascending=False)
    return (time.perf_counter() - start) / n * 1e3


def timed(fn, repeat: int = 2) -> tuple[float, float]:
    """Best (wall seconds, CPU seconds of this process, all threads) over ``repeat`` runs.

    CPU time is reported too because the benchmark machine is shared: wall time grows with
    other processes' load, CPU time much less.
    """
    best = (np.inf, np.inf)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


def scenario(label: str, spec: Spec, data: pd.DataFrame, n: int, n_small: int, n_baseline: int) -> dict:
    total, cpu = timed(lambda: uncertainty(spec, data, n=n, seed=1))
    small, _ = timed(lambda: uncertainty(spec, data, n=n_small, seed=1))
    marginal_ms = (total - small) / (n - n_small) * 1e3
    base_ms = baseline_ms_per_replication(spec, data, n_baseline)
    return {"scenario": label, "replications": n, "wall_s": total, "cpu_s": cpu,
            "ms_per_rep_all_in": total / n * 1e3, "ms_per_rep_marginal": marginal_ms,
            "baseline_ms_per_rep": base_ms, "speedup_all_in": base_ms / (total / n * 1e3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer replications (smoke run)")
    args = parser.parse_args()
    n = 1000 if args.quick else 10_000
    rows = [
        scenario("51 units x 49 ind, 4 levels, 1 year", spec_from_dict(framework(49, 8, 2, panel=False)),
                 synthetic(51, 1, 49, missing=0.05).drop(columns="t"), n, n // 10, 50),
        scenario("190 units x 75 years x 30 ind, 4 levels", spec_from_dict(framework(30, 6, 2, panel=True)),
                 synthetic(190, 75, 30, missing=0.10), n, n // 10, 3),
    ]
    frame = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}")
    print(frame.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
