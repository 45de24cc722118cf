"""Per-node Monte Carlo replications from the index engine: the one seam between power/ and index/.

:func:`node_replications` evaluates a spec on several data sets (the multiple-imputation draws) and
yields, chunk by chunk, every replication's scores of the requested nodes as (chunk, units, years)
arrays, together with which replications they are. Replications of data set ``k`` are drawn by
the engine's own random design (weights, normalisation) with the seed ``(seed, k)``; nothing here
re-implements the engine's aggregation.

This module is the only place that reaches into :mod:`middlepower.index.montecarlo`'s blocks; it
is meant to be replaced by the engine's public per-node interface (issue 13) without touching
anything else in power/.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower import index
from middlepower.errors import DataError
from middlepower.index import montecarlo
from middlepower.index.pipeline import aggregate_blocks


@dataclass
class Nominal:
    """The nominal run: units, years, present (units, years) and each node's (units, years) scores."""

    units: np.ndarray
    years: np.ndarray
    present: np.ndarray
    scores: dict[str, np.ndarray]


def nominal(spec: index.Spec, frame: pd.DataFrame, nodes: list[str]) -> Nominal:
    """Run ``spec`` once on ``frame`` and return the scores of ``nodes``."""
    result = index.run(spec, frame)
    scores = {code: result.node_scores(code).to_numpy(dtype=float) for code in nodes}
    return Nominal(result.panel.units, result.panel.years, result.panel.present, scores)


def _node_arrays(
    blocks: dict[int, np.ndarray], plan, nodes: list[str], n_units: int, n_years: int
) -> dict[str, np.ndarray]:
    # blocks above level 1 are (unit-years, nodes, R) with year-major rows (Context.normalised)
    out = {}
    for level, values in blocks.items():
        if level == 1:
            continue
        codes = plan.block_codes(level)
        for code in nodes:
            if code in codes:
                by_rep = values[:, codes.index(code), :].T
                out[code] = by_rep.reshape(by_rep.shape[0], n_years, n_units).swapaxes(1, 2)
    return out


def node_replications(
    spec: index.Spec, frames: list[pd.DataFrame], nodes: list[str], n: int, seed: int, units: np.ndarray
) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """Yield ``(rows, scores)`` for ``n`` replications spread evenly over ``frames``.

    ``rows`` are replication numbers 0..n-1; ``scores[node]`` is (len(rows), units, years). Every
    frame must hold the same units (checked against ``units``) and years.
    """
    shares = np.array_split(np.arange(n), len(frames))
    for k, (frame, rows) in enumerate(zip(frames, shares, strict=True)):
        if rows.size == 0:
            continue
        ctx = montecarlo.make_context(spec, frame)
        panel = ctx.nominal.panel
        if not np.array_equal(panel.units, units):
            raise DataError("imputed data sets disagree on the states they hold")
        n_units, n_years, _ = panel.shape
        design = montecarlo.random_design(ctx, rows.size, np.random.default_rng([seed, k]))
        keys = np.stack([design.choices.get(kind, np.zeros(rows.size, int)) for kind in montecarlo.DISCRETE], axis=1)
        groups, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        plan = ctx.nominal.plan
        chunk = max(1, montecarlo.CHUNK_ELEMENTS // (n_units * n_years * max(len(lp.codes) for lp in plan.levels)))
        for g, key in enumerate(groups):
            z = ctx.normalised(tuple(int(x) for x in key[:3]))
            methods = ctx.level_methods(int(key[3]))
            members = np.flatnonzero(inverse == g)
            for start in range(0, members.size, chunk):
                local = members[start : start + chunk]
                blocks = aggregate_blocks(plan, z, ctx.nominal.weights, methods, design.factors[local], ctx.offsets)
                yield rows[local], _node_arrays(blocks, plan, nodes, n_units, n_years)
