"""Benchmark: the cluster bootstrap of the validation report (1,000 resamples of the states).

Measures :func:`middlepower.power.validation.bootstrap_intervals` on the report's own nine
references, built from the real store and the computed model (cached), against a baseline in the
same process: the algorithm it replaced (2026-12-04), which weighted every state-year row in every
resample — the AUC from a sort over all rows per resample, and the reference's ranks recomputed for
every score. Both must give the same table (checked); the ratio is baseline / current. Then the
whole report with ``--candidates`` once, for the record.

    MIDDLEPOWER_MIRROR=../shared/data PYTHONPATH=src python benchmarks/bench_validation.py [--db STORE]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd


def rowwise_auc(score: np.ndarray, positive: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The replaced AUC: (resamples,) from the (resamples, rows) row weights, one sorted pass each."""
    from middlepower.power.bootstrap import tie_groups

    pos = positive.astype(bool)
    order, starts, group = tie_groups(score)
    negatives = np.where(pos, 0.0, weights)
    per_group = np.add.reduceat(negatives[:, order], starts, axis=1)
    below = np.cumsum(per_group, axis=1) - per_group
    beaten = (below + 0.5 * per_group)[:, group]
    won = (np.where(pos, weights, 0.0)[:, order] * beaten).sum(axis=1)
    w_pos, w_neg = np.where(pos, weights, 0.0).sum(axis=1), negatives.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((w_pos > 0) & (w_neg > 0), won / (w_pos * w_neg), np.nan)


def rowwise_resampled(kind, part, target, counts, index, scores, tables):
    """The replaced per-chunk metrics (``tables`` unused: nothing was kept between chunks)."""
    import warnings

    from middlepower.power import bootstrap

    weights = counts[:, index]
    if kind == "auc":
        positive = target.to_numpy(dtype=bool)
        return {s: rowwise_auc(part[s].to_numpy(), positive, weights) for s in scores}
    out = {s: [] for s in scores}
    years, values = part["year"].to_numpy(), target.to_numpy(dtype=float)
    for year in np.unique(years):
        rows = years == year
        if np.unique(values[rows]).size < 2:
            continue
        for s in scores:
            out[s].append(bootstrap.weighted_spearman(part[s].to_numpy()[rows], values[rows], weights[:, rows]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return {s: np.nanmean(np.stack(v), axis=0) for s, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="store file (default: the user's store)")
    args = parser.parse_args()

    from middlepower import power
    from middlepower.power import validation

    load = os.getloadavg()
    result = power.model(args.db)
    frame = validation.comparison_frame(result, db=args.db)
    refs = validation.references(frame)
    metrics = validation.metrics_table(refs, validation.SCORES)
    parts = [r.part for r in refs]

    started = time.perf_counter()
    current = validation.bootstrap_intervals(parts, metrics)
    current_s = time.perf_counter() - started

    replaced = validation._resampled
    validation._resampled = rowwise_resampled
    try:
        started = time.perf_counter()
        baseline = validation.bootstrap_intervals(parts, metrics)
        baseline_s = time.perf_counter() - started
    finally:
        validation._resampled = replaced
    pd.testing.assert_frame_equal(current, baseline, check_exact=False, rtol=0, atol=1e-12)

    started = time.perf_counter()
    power.validate(args.db, candidates=True)
    report_s = time.perf_counter() - started

    print(f"cluster bootstrap of the report's paired comparisons, {len(parts)} references, 1,000 resamples:")
    print(f"  current (a states x states table per score)  {current_s:6.2f} s")
    print(f"  baseline (every row weighted per resample)   {baseline_s:6.2f} s")
    print(f"  ratio baseline / current                     {baseline_s / current_s:6.1f}x  (same table: checked)")
    print(f"whole report with --candidates (model cached): {report_s:.2f} s")
    print(f"load average at start: {load[0]:.2f}")


if __name__ == "__main__":
    main()
