"""The index engine's Monte Carlo on a Dask LocalCluster: what the cluster costs, and 1 -> 2 workers.

Job: the panel framework of bench_index.py (190 units x 75 years x 30 indicators, 4 levels, four
uncertain inputs, 10 % of values missing, forward/backward imputation), ``-n`` replications
(default 10,000: 20 blocks of 500, one task each). Baselines in the same process: the same run with
``scheduler="synchronous"`` (one block after the other, one thread) and with the default local
threads. Then LocalClusters of 1 and 2 worker processes (1 thread each): start-up timed apart, the
run timed (median of ``--runs``), the workers' CPU seconds from their own rusage. The cluster's
overhead is the 1-worker run minus the in-process one-thread run (scattering the job, dispatching
tasks, sending each block's scores back, and each worker building its own normalised arrays). A
COINr-sized run (51 units x 49 indicators, one year) shows the fixed cost where the work is small.
Every cluster result is checked against the in-process one (identical frames).

    PYTHONPATH=src python benchmarks/bench_index_cluster.py [-n 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import time

import pandas as pd

from bench_index import framework, synthetic
from middlepower.index import make_context, spec_from_dict, uncertainty


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip().split("load average:")[-1].strip()


def timed(function, runs: int) -> tuple[float, object]:
    """Median wall seconds of ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def on_cluster(jobs: dict, workers: int, runs: int, reference: dict) -> dict:
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit="4GiB",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        out = {"start_s": time.perf_counter() - started}
        for name, (spec, data, n) in jobs.items():
            uncertainty(spec, data, n=500, seed=0, scheduler=client)  # warm the workers' imports
            before = client.run(_cpu_s)
            seconds, result = timed(lambda spec=spec, data=data, n=n: uncertainty(
                spec, data, n=n, seed=1, scheduler=client), runs)
            after = client.run(_cpu_s)
            pd.testing.assert_frame_equal(result, reference[name], check_exact=True)
            out[name] = {"seconds": seconds, "worker_cpu_s": sum(after[w] - before[w] for w in after) / runs}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="replications of the panel run")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per setting (median)")
    args = parser.parse_args()
    jobs = {
        "panel": (spec_from_dict(framework(30, 6, 2, panel=True)), synthetic(190, 75, 30, missing=0.10), args.n),
        "COINr-sized": (spec_from_dict(framework(49, 8, 2, panel=False)),
                        synthetic(51, 1, 49, missing=0.05).drop(columns="t"), 10_000),
    }
    print(f"load average at start: {_load()}")
    local, threads, reference = {}, {}, {}
    for name, (spec, data, n) in jobs.items():
        make_context(spec, data)  # imports and caches warm
        local[name], reference[name] = timed(lambda spec=spec, data=data, n=n: uncertainty(
            spec, data, n=n, seed=1, scheduler="synchronous"), args.runs)
        threads[name], _ = timed(lambda spec=spec, data=data, n=n: uncertainty(spec, data, n=n, seed=1), args.runs)
    print(f"load average after the in-process runs: {_load()}")
    clusters = {workers: on_cluster(jobs, workers, args.runs, reference) for workers in (1, 2)}
    print(f"load average at the end: {_load()}")
    for name, (_, _, n) in jobs.items():
        one, two = clusters[1][name], clusters[2][name]
        print(f"{name}, {n:,} replications ({-(-n // 500)} blocks of 500):")
        print(f"  in process, 1 thread (synchronous) : {local[name]:7.2f} s")
        print(f"  in process, default threads        : {threads[name]:7.2f} s")
        for workers, r in ((1, one), (2, two)):
            print(f"  LocalCluster, {workers} worker(s)          : {r['seconds']:7.2f} s  "
                  f"(worker CPU {r['worker_cpu_s']:.2f} s; cluster start {clusters[workers]['start_s']:.1f} s)")
        print(f"  cluster overhead (1 worker - 1 thread): {one['seconds'] - local[name]:+.2f} s "
              f"({(one['seconds'] - local[name]) / -(-n // 500) * 1e3:+.0f} ms per block)")
        print(f"  speed-up 1 -> 2 workers             : {one['seconds'] / two['seconds']:.2f}x  "
              f"(2 workers vs 1 thread in process: {local[name] / two['seconds']:.2f}x)")
    print("every cluster run gave the in-process result exactly")


if __name__ == "__main__":
    main()
