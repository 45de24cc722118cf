"""Benchmark of the dashboard's warm-up: every country profile of the power model's years (not a test).

``serve`` computes the profile of every (state, year) ahead of requests (``web/warm.py``). Before
the batched ``power.profiles`` it asked ``views.profile`` one state at a time, each call selecting
the year's rows from the model's whole frames again. This script runs, in one process on one
computed model:

* the old path: ``views.profile`` and ``criteria`` as they were at ``--baseline`` (a git revision,
  default the commit before the batched function), loaded from git into a private module, one
  state at a time;
* the new path: ``power.profiles(year)``, one batch per year;

over every member of ``--years`` (default: five years spread over the model's span; ``--all`` for
every model year), checks that the two give equal frames for every state, and prints seconds and the
ratio. Then it times the whole web warm-up of the new code (``profile_bytes`` of every state and
panel year, serialisation included, as ``warm_all`` does without its file).

    MIDDLEPOWER_MIRROR=../shared/data PYTHONPATH=src python benchmarks/bench_warmup.py [--all] [--no-web]
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
import types
from pathlib import Path

import pandas as pd

from middlepower import power

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "59fe896"
FRAMES = ("pillars", "tier", "classes", "gap", "criteria", "similar", "indicators")


def old_views(revision: str) -> types.ModuleType:
    """``middlepower.power.views`` as of ``revision``, importing that revision's ``criteria`` module."""
    def load(name: str, path: str) -> types.ModuleType:
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:{path}"], check=True,
                                capture_output=True, text=True).stdout
        module = types.ModuleType(name)
        sys.modules[name] = module  # dataclasses look their module up
        exec(compile(source, f"{revision}:{path}", "exec"), module.__dict__)  # noqa: S102 (our own history)
        return module

    current = importlib.import_module("middlepower.power.criteria")
    sys.modules["middlepower.power.criteria"] = load("old_criteria", "src/middlepower/power/criteria.py")
    try:
        return load("old_views", "src/middlepower/power/views.py")
    finally:
        sys.modules["middlepower.power.criteria"] = current


def same(old, new) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(old, name), getattr(new, name), check_index_type=False, obj=name)
    assert (old.iso3, old.name, old.year, old.default_last_year) == (new.iso3, new.name, new.year,
                                                                    new.default_last_year)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old per-state path")
    parser.add_argument("--all", action="store_true", help="every model year (the old path takes minutes)")
    parser.add_argument("--no-web", action="store_true", help="skip the whole web warm-up")
    args = parser.parse_args()

    result = power.model()
    first, last = int(result.tiers["year"].min()), int(result.tiers["year"].max())
    years = list(range(first, last + 1)) if args.all else sorted({first, first + (last - first) // 4,
                                                                  first + (last - first) // 2, last - 5, last})
    views = old_views(args.baseline)
    from middlepower.power import views as new_views

    old_seconds = new_seconds = 0.0
    states = 0
    for year in years:
        started = time.process_time()
        batch = power.profiles(year)
        new_seconds += time.process_time() - started
        started = time.process_time()
        old = {iso3: views.profile(result, iso3, year) for iso3 in batch}
        old_seconds += time.process_time() - started
        for iso3 in batch:
            same(old[iso3], batch[iso3])
        states += len(batch)
        print(f"{year}: {len(batch)} states equal", flush=True)
    assert new_views.profile is not views.profile
    print(f"\npower profiles, {states} state-years over {len(years)} years (CPU seconds):")
    each = lambda seconds: f"{seconds:8.2f} s  {1000 * seconds / states:6.1f} ms each"  # noqa: E731
    print(f"  old, one state at a time ({args.baseline}): {each(old_seconds)}")
    print(f"  new, power.profiles per year:   {each(new_seconds)}")
    print(f"  ratio old/new: {old_seconds / new_seconds:.1f}x")

    if not args.no_web:
        from middlepower.web.api_panel import profile_bytes
        from middlepower.web.data import WebData

        data = WebData()
        panel_first, panel_last = data.panel_years
        keys = [(iso3, year) for year in range(panel_first, panel_last + 1) for iso3 in data.countries]
        started, cpu = time.perf_counter(), time.process_time()
        for iso3, year in keys:
            profile_bytes(data, iso3, year)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"\nweb warm-up (new code, no file): {len(keys)} state-years, {cpu:.1f} CPU s, {wall:.1f} s wall")


if __name__ == "__main__":
    main()
