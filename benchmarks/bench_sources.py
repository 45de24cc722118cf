"""Benchmark loading the two largest IR sources, which used to be a wall-clock assertion in the tests.

For each source: seconds to load it (checksum + read + reshape into the tidy frame) and the ratio to
a baseline measured in the same process: parsing its R data file with pyreadr, the least any load
must do. Run:

    MIDDLEPOWER_MIRROR=../shared/data python benchmarks/bench_sources.py
"""

from __future__ import annotations

import statistics
import time

from middlepower import sources
from middlepower.sources._readers import read_rda

NAMES = ("atop_alliances", "cow_igo_membership")
RUNS = 3


def _seconds(action) -> float:
    times = []
    for _ in range(RUNS):
        sources.files._HASH_CACHE.clear()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    for name in NAMES:
        source = sources.get(name)
        baseline = _seconds(lambda files=source.files: [read_rda(sources.locate(f)[1]) for f in files])
        load = _seconds(lambda name=name: sources.load(name, download=False))
        print(f"{name}: load {load:.2f} s (median of {RUNS}); parse only {baseline:.2f} s; "
              f"ratio {load / baseline:.2f}")


if __name__ == "__main__":
    main()
