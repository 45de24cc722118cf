"""Load benchmark of the dashboard's country-profile endpoint (not a test).

Starts ``middlepower serve`` on 127.0.0.1 (a free port), waits until it has every country profile
in memory (``/api/warm``: read from the store build's file, or computed once per build), then runs
N concurrent keep-alive clients for D seconds. Each request asks for the profile of a state and a
year drawn uniformly at random (fixed seed) from every state the API knows and every panel year,
so the run includes each state-year's first request to this server. It prints p50/p90/p99 latency,
throughput and errors. In the same run it measures the baseline path (the same answer assembled and
serialised on every request, no cache) on the same draws for a shorter time and prints the ratio.
The client is a minimal asyncio HTTP/1.1 client so that on a 2-core machine the load generator
takes as little CPU from the server as possible.

    MIDDLEPOWER_MIRROR=../shared/data PYTHONPATH=src python benchmarks/bench_web.py [--clients 50 --seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _request(reader, writer, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _client(port: int, paths: list[str], offset: int, stop: float, latencies: list, errors: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                status = await _request(reader, writer, path)
            except (OSError, asyncio.IncompleteReadError) as exc:
                errors.append(repr(exc))
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(f"HTTP {status} {path}")
    finally:
        writer.close()


async def load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    started = time.perf_counter()
    spread = max(1, len(paths) // clients)  # each client walks its own stretch of the draws
    await asyncio.gather(*[_client(port, paths, k * spread, stop, latencies, errors) for k in range(clients)])
    elapsed = time.perf_counter() - started
    ms = np.array(latencies) * 1000
    return {"requests": len(latencies), "errors": len(errors), "first_errors": errors[:3],
            "seconds": round(elapsed, 1), "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(float(np.percentile(ms, 50)), 2), "p90_ms": round(float(np.percentile(ms, 90)), 2),
            "p99_ms": round(float(np.percentile(ms, 99)), 2), "max_ms": round(float(ms.max()), 2)}


def wait_until_up(base: str, process: subprocess.Popen, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/meta", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("server did not answer within the timeout")


def wait_until_warm(base: str, process: subprocess.Popen, timeout_s: float = 1800) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with code {process.returncode}")
        with urllib.request.urlopen(f"{base}/api/warm", timeout=5) as response:
            warm = json.load(response)
        if warm["ready"]:
            return warm
        time.sleep(2)
    sys.exit("the server did not compute every profile within the timeout")


def _run(coroutine):
    # uvloop (installed with the web extra) keeps the load generator's own CPU use low.
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--draws", type=int, default=200_000, help="random (state, year) draws the clients walk")
    parser.add_argument("--db", default=None, help="store file (default: the user's store)")
    args = parser.parse_args()

    port = free_port()
    command = [sys.executable, "-m", "middlepower", "serve", "--port", str(port)]
    if args.db:
        command += ["--db", args.db]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
           "MIDDLEPOWER_WEB_BASELINE": "1"}  # mounts the uncached comparison route
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        warm = wait_until_warm(base, server)
        print(f"every profile in memory: {warm['total']:,} state-years in {warm['seconds']} s "
              f"({'read from the build file' if warm['from_file'] else 'computed'})", flush=True)
        with urllib.request.urlopen(f"{base}/api/meta") as response:
            meta = json.load(response)
        with urllib.request.urlopen(f"{base}/api/countries") as response:
            states = [row["iso3"] for row in json.load(response)["rows"]]
        first, last = meta["panel_years"]
        rng = np.random.default_rng(0)
        draws = list(zip(rng.choice(states, args.draws), rng.integers(first, last + 1, args.draws), strict=True))
        cached = [f"/api/countries/{iso3}/profile?year={year}" for iso3, year in draws]
        uncached = [f"/api/countries/{iso3}/profile/uncached?year={year}" for iso3, year in draws]
        power = meta["power"] or {"first": 0, "last": -1}
        modelled = np.mean([power["first"] <= year <= power["last"] for _, year in draws])
        print(f"{len(states)} states x years {first}-{last} drawn uniformly ({args.draws:,} draws, "
              f"{modelled:.0%} in the power model's years {power['first']}-{power['last']}), "
              f"{args.clients} clients, server pid {server.pid}, load {os.getloadavg()[0]:.2f}", flush=True)
        result = _run(load(port, cached, args.clients, args.seconds))
        print("cached profile:  ", json.dumps(result), flush=True)
        baseline = _run(load(port, uncached, args.clients, args.baseline_seconds))
        print("uncached (baseline):", json.dumps(baseline), flush=True)
        print(f"ratio baseline/cached: p50 {baseline['p50_ms'] / result['p50_ms']:.1f}x, "
              f"p99 {baseline['p99_ms'] / result['p99_ms']:.1f}x, throughput "
              f"{result['requests_per_s'] / baseline['requests_per_s']:.1f}x")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
