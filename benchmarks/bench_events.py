"""Benchmark the GDELT map-reduce: events per second per worker, 1 -> 2 worker speed-up, peak memory.

The sample (96 real 15-minute GDELT 2.0 files, ~135,500 events) takes about a second, so each run
reads it ``--repeat`` times (the same files as more partitions; the page cache is warm, as it is
for files just downloaded). Baseline, in the same process: the in-process synchronous scheduler.
Then LocalClusters of 1 and 2 worker processes (1 thread each); cluster start-up is timed apart.
Peak memory per worker is each worker process's high-water RSS after the job, measured for a job
of ``--repeat`` copies and one of 4x as many, to show it does not grow with the number of files.
Also times the same job on the files zipped as GDELT serves them (deflate, made in a temporary
folder), and reading GDELT's own zip against its unzipped copy.

    MIDDLEPOWER_MIRROR=../shared/data PYTHONPATH=src python benchmarks/bench_events.py --repeat 8
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

from middlepower import events
from middlepower.events import mapreduce
from middlepower.events.files import EventFile, sample_files
from middlepower.events.reader import iter_batches

ZIP = "gdelt/v2_export/narayave__Insight-GDELT-Feed/20190121220000.export.CSV.zip"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _zipped(file: EventFile, folder: Path) -> EventFile:
    """Return ``file`` as a deflated zip in ``folder`` (as GDELT serves it); GDELT's own zip is copied."""
    target = folder / f"{file.slot}.export.CSV.zip"
    if file.name.endswith(".zip"):
        shutil.copyfile(file.path, target)
    else:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(file.path, f"{file.slot}.export.CSV")
    return replace(file, name=target.name, path=str(target), size=target.stat().st_size)


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def on_cluster(files, workers: int, runs: int, files_per_partition: int | None = None) -> dict:
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit="2GiB",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        start_s = time.perf_counter() - started
        events.aggregate(files[:workers], scheduler=client)  # warm the workers' imports
        idle = client.run(_rss_mb)
        cpu_before = client.run(_cpu_s)
        seconds = timed(lambda: events.aggregate(files, scheduler=client, files_per_partition=files_per_partition),
                        runs)
        cpu_after = client.run(_cpu_s)
        peak = client.run(_peak_rss_mb)
    cpu = sum(cpu_after[w] - cpu_before[w] for w in cpu_after) / runs
    return {"start_s": start_s, "seconds": seconds, "idle_mb": max(idle.values()), "peak_mb": max(peak.values()),
            "worker_cpu_s": cpu}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=8, help="copies of the sample per job")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per setting (median)")
    parser.add_argument("--once", type=int, metavar="WORKERS", default=None,
                        help="time one job on a LocalCluster of WORKERS processes (0: in-process) and exit; "
                             "for pairing whole runs against each other from outside")
    args = parser.parse_args()
    sample, _ = sample_files()
    files = sample * args.repeat
    if args.once is not None:
        scheduler = "synchronous" if args.once == 0 else None
        started = time.perf_counter()
        events.aggregate(files, scheduler=scheduler, workers=args.once or None)
        print(f"{len(files)} files, {args.once} workers: {time.perf_counter() - started:.2f} s")
        return
    n_events = events.aggregate(sample, scheduler="synchronous").coverage["year_events"].sum() * args.repeat
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"job: {len(files):,} files ({len(sample)} sample files x {args.repeat}), {n_events:,} events")

    base = timed(lambda: events.aggregate(files, scheduler="synchronous"), args.runs)
    print(f"baseline, synchronous in-process : {base:6.2f} s  {n_events / base:10,.0f} events/s")
    results = {workers: on_cluster(files, workers, args.runs) for workers in (1, 2)}
    for workers, r in results.items():
        rate = n_events / r["seconds"] / workers
        print(f"LocalCluster {workers} worker(s)         : {r['seconds']:6.2f} s  {rate:10,.0f} events/s/worker  "
              f"({base / r['seconds']:4.2f}x baseline; cluster start {r['start_s']:.1f} s; worker RSS idle "
              f"{r['idle_mb']:.0f} MB, peak {r['peak_mb']:.0f} MB; {n_events / r['worker_cpu_s']:,.0f} events "
              f"per worker CPU-second)")
    print(f"speed-up 1 -> 2 workers          : {results[1]['seconds'] / results[2]['seconds']:4.2f}x")
    bigger = on_cluster(sample * (4 * args.repeat), 2, 1)
    print(f"peak worker RSS, 4x the files    : {bigger['peak_mb']:.0f} MB (vs {results[2]['peak_mb']:.0f} MB)")
    single = on_cluster(files, 2, 1, files_per_partition=1)
    ratio = single["seconds"] / results[2]["seconds"]
    print(f"2 workers, one file per map task : {single['seconds']:6.2f} s ({ratio:.2f}x "
          f"the default grouping of ~{mapreduce.TARGET_BYTES / 1e6:.0f} MB of CSV per task)")

    with tempfile.TemporaryDirectory() as folder:
        zipped_files = [_zipped(file, Path(folder)) for file in sample] * args.repeat
        as_zips = on_cluster(zipped_files, 2, args.runs)
    print(f"2 workers, the same files zipped : {as_zips['seconds']:6.2f} s  "
          f"{n_events / as_zips['seconds'] / 2:10,.0f} events/s/worker, {n_events / as_zips['worker_cpu_s']:,.0f} "
          f"events per worker CPU-second (GDELT serves zips)")

    mirror = os.environ["MIDDLEPOWER_MIRROR"]
    zipped, plain = f"{mirror}/{ZIP}", f"{mirror}/{ZIP.removesuffix('.zip')}"

    def read(path: str) -> int:
        return sum(b.num_rows for b in iter_batches(path, ("EventRootCode", "Actor1CountryCode")))

    zip_s, csv_s = timed(lambda: read(zipped), 20), timed(lambda: read(plain), 20)
    print(f"read GDELT's zip vs its CSV      : {zip_s * 1e3:.1f} ms vs {csv_s * 1e3:.1f} ms ({zip_s / csv_s:.2f}x)")


if __name__ == "__main__":
    main()
