"""Benchmark: a full corridor scenario run with 10,000 Monte Carlo draws, and the vectorised
Monte Carlo against a per-draw Python loop (the baseline) in the same process.

Run: MIDDLEPOWER_MIRROR=../shared/data PYTHONPATH=src python benchmarks/bench_corridor.py
"""

from __future__ import annotations

import random
import time

import numpy as np

from middlepower.corridor.montecarlo import route_time_triples, sample_days
from middlepower.corridor.network import load_network
from middlepower.corridor.routes import route
from middlepower.corridor.scenario import load_scenario, run_scenario

DRAWS = 10_000


def _best_of(function, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def per_draw_loop(triples, draws: int, seed: int) -> np.ndarray:
    """Baseline: one Python-level triangular draw per item per draw."""
    rng = random.Random(seed)
    rows = list(triples[["low_h", "typical_h", "high_h"]].itertuples(index=False))
    totals = []
    for _ in range(draws):
        total = 0.0
        for low, mode, high in rows:
            total += rng.triangular(low, high, mode) if high > low else mode
        totals.append(total / 24.0)
    return np.array(totals)


def main() -> None:
    start = time.perf_counter()
    net = load_network()
    scenario = load_scenario("roadmap")
    table = run_scenario(net, scenario)
    cold = time.perf_counter() - start
    warm = _best_of(lambda: run_scenario(net, scenario))
    print(f"full scenario run 'roadmap', {DRAWS:,} draws x 4 corridors x before/after: "
          f"cold {cold:.2f} s (incl. loading the network), warm {warm:.2f} s  [target <= 5 s]")

    triples = route_time_triples(net, route(net, "CN_XIAN", "DE_DUISBURG", "middle"))
    vectorised = _best_of(lambda: sample_days(triples, DRAWS, np.random.default_rng(0)))
    loop = _best_of(lambda: per_draw_loop(triples, DRAWS, 0))
    fast, slow = sample_days(triples, DRAWS, np.random.default_rng(0)), per_draw_loop(triples, DRAWS, 0)
    print(f"Monte Carlo, Middle Corridor route ({len(triples)} items), {DRAWS:,} draws: "
          f"vectorised {vectorised * 1e3:.2f} ms, per-draw loop {loop * 1e3:.2f} ms, ratio {loop / vectorised:.0f}x; "
          f"means {fast.mean():.2f} vs {slow.mean():.2f} days")
    print(table[["corridor", "max_flow_teu_per_year_after", "bottleneck_after"]].to_string(index=False))


if __name__ == "__main__":
    main()
