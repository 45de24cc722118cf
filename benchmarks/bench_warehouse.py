"""Benchmark the store build on this machine: a cold build and a no-op rebuild.

Prints wall-clock seconds and ratios against a baseline measured in the same process: reading and
checksumming every input file once (the least any build must do). Run with the mirror set:

    MIDDLEPOWER_MIRROR=../shared/data python benchmarks/bench_warehouse.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from middlepower import sources, warehouse


def checksum_every_input() -> float:
    started = time.perf_counter()
    for source in sources.all_sources():
        for file in source.files:
            _, path = sources.locate(file)
            sources.registry._HASH_CACHE.clear()
            sources.sha256_of(path)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["MIDDLEPOWER_HOME"] = home
        db = Path(home) / "bench.duckdb"
        baseline = checksum_every_input()
        started = time.perf_counter()
        report = warehouse.build(db)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        again = warehouse.build(db)
        noop = time.perf_counter() - started
        assert not report.skipped and again.skipped
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "middlepower", "build", "--db", str(db)], check=True,
                       capture_output=True, env={**os.environ})
        noop_cli = time.perf_counter() - started
    print(f"baseline: checksum every input file      {baseline:7.2f} s")
    print(f"cold build ({len(report.tables)} tables, {sum(report.tables.values()):,} rows) {cold:7.2f} s  "
          f"({cold / baseline:5.1f}x baseline; target <= 60 s)")
    print(f"no-op rebuild, in process                {noop:7.2f} s  ({noop / baseline:5.2f}x baseline; target <= 2 s)")
    print(f"no-op rebuild, `middlepower build` CLI   {noop_cli:7.2f} s  (includes interpreter start and imports)")


if __name__ == "__main__":
    main()
