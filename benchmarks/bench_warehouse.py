"""Benchmark the store on this machine: a cold build, a no-op rebuild and the integrity check on open.

Prints wall-clock seconds and ratios against baselines measured in the same process: reading and
checksumming every input file once (the least any build must do), and a bare read-only
``duckdb.connect`` (the least any open must do). Run with the mirror set:

    MIDDLEPOWER_MIRROR=../shared/data python benchmarks/bench_warehouse.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from middlepower import sources, warehouse
from middlepower.sources import files
from middlepower.warehouse import store as store_module


def checksum_every_input() -> float:
    started = time.perf_counter()
    for source in sources.all_sources():
        for file in source.upstream():
            _, path = files.locate(file)
            if path is not None:
                files._HASH_CACHE.clear()
                files.sha256_of(path)
    return time.perf_counter() - started


def median_seconds(action, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def open_checks(db: Path) -> tuple[float, float, float]:
    """Return median seconds of: bare connect, open with the full content check, open with it cached."""
    def bare():
        duckdb.connect(str(db), read_only=True).close()

    def full():
        store_module._VERIFIED.clear()
        store_module.sidecar_path(db).unlink(missing_ok=True)
        warehouse.open_store(db).close()

    def cached():
        warehouse.open_store(db).close()

    return median_seconds(bare), median_seconds(full), median_seconds(cached)


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
        bare, full, cached = open_checks(db)
        size_mb = db.stat().st_size / 1e6
    print(f"baseline: checksum every input file      {baseline:7.2f} s")
    print(f"cold build ({len(report.tables)} tables, {sum(report.tables.values()):,} rows) {cold:7.2f} s  "
          f"({cold / baseline:5.1f}x baseline; target <= 60 s)")
    print(f"no-op rebuild, in process                {noop:7.2f} s  ({noop / baseline:5.2f}x baseline; target <= 2 s)")
    print(f"no-op rebuild, `middlepower build` CLI   {noop_cli:7.2f} s  (includes interpreter start and imports)")
    print(f"baseline: bare read-only connect         {bare * 1e3:7.1f} ms ({size_mb:.1f} MB store)")
    print(f"open with the full content check         {full * 1e3:7.1f} ms  ({full / bare:5.1f}x bare connect)")
    print(f"open with the check already recorded     {cached * 1e3:7.1f} ms  ({cached / bare:5.1f}x bare connect)")


if __name__ == "__main__":
    main()
