"""Per-node Monte Carlo replications from the index engine: the one seam between power/ and index/.

:func:`node_replications` evaluates a spec on several data sets (the multiple-imputation draws) and
yields, block by block, every replication's scores of the requested nodes as (block, units, years)
arrays, together with which replications they are. It uses only the engine's public interface:
:func:`middlepower.index.make_context`, :class:`middlepower.index.Job` and
:func:`middlepower.index.run_blocks` (seeded blocks, any executor). Replications of data set ``k``
are the engine's own random design with the seed derived from ``(seed, k)``; nothing here
re-implements the engine's aggregation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower import index
from middlepower.errors import DataError

BLOCK_SIZE = 125
"""Replications per engine block (a block's node arrays: 125 x ~195 states x 35 years x float64 each)."""


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


def data_seed(seed: int, k: int) -> int:
    """The engine seed of imputed data set ``k`` of a run seeded ``seed`` (independent streams)."""
    return int(np.random.SeedSequence([seed, k]).generate_state(1)[0])


def node_replications(spec: index.Spec, frames: list[pd.DataFrame], nodes: list[str], n: int, seed: int,
                      units: np.ndarray, inputs: tuple | None = None, scheduler=None
                      ) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """Yield ``(rows, scores)`` for ``n`` replications spread evenly over ``frames``.

    ``rows`` are replication numbers 0..n-1; ``scores[node]`` is (len(rows), units, years). Every
    frame must hold the same units (checked against ``units``) and years. ``inputs`` overrides the
    spec's uncertain inputs (as :func:`middlepower.index.make_context` takes them). ``scheduler``
    says where the blocks are evaluated, as :func:`middlepower.index.block_mapper` takes it
    (default ``$MIDDLEPOWER_SCHEDULER``, else this process's threads; a LocalCluster it starts
    serves every data set and stops at the end), with the same result.
    """
    shares = np.array_split(np.arange(n), len(frames))
    with index.block_mapper(scheduler) as (mapper, _):
        for k, (frame, rows) in enumerate(zip(frames, shares, strict=True)):
            if rows.size == 0:
                continue
            ctx = index.make_context(spec, frame, inputs)
            if not np.array_equal(ctx.nominal.panel.units, units):
                raise DataError("imputed data sets disagree on the states they hold")
            job = index.Job(ctx, int(rows.size), data_seed(seed, k), output="none", nodes=tuple(nodes),
                            block_size=BLOCK_SIZE)
            for block in index.run_blocks(job, mapper):
                yield rows[block.rows.start:block.rows.stop], block.nodes
