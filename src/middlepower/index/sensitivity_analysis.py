"""Sobol sensitivity of an index output to its uncertain inputs.

Each uncertain input is one dimension u in [0, 1) of a Saltelli design
(:mod:`middlepower.index.sobol`):

- a discrete input with k alternatives takes alternative floor(u k);
- ``weights`` at a level takes one of ``weight_sets`` noisy weight vectors drawn in advance
  (w (1 + U(-noise, noise)) per child), number floor(u weight_sets), as COINr does;
- ``exclusion`` drops nothing (floor(u (m + 1)) = 0) or the candidate of that number.

Outputs: ``rank`` or ``score`` of one unit in one year, or ``mean_abs_rank_shift``, the mean over
all scored unit-years of |rank - nominal rank|.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from middlepower import limits
from middlepower.errors import DataError, ParameterError, SpecError
from middlepower.index.aggregate import Ranking, rank_descending
from middlepower.index.blocks import Job, Mapper, block_mapper
from middlepower.index.montecarlo import DISCRETE, Context, Design, _exclude, make_context
from middlepower.index.sobol import saltelli_design, sobol_indices, split_outputs
from middlepower.index.spec import Spec, UncertainInput
from middlepower.index.uncertainty_analysis import run_job

OUTPUTS = ("rank", "score", "mean_abs_rank_shift")


def design_from_unit_cube(ctx: Context, points: np.ndarray, weight_sets: int, seed: int) -> Design:
    """Map Saltelli points (runs, inputs) in [0, 1) onto choices and weight factors."""
    rng = np.random.default_rng(seed)
    runs = points.shape[0]
    choices: dict[str, np.ndarray] = {}
    factors = np.ones((runs, ctx.n_nodes))
    for j, entry in enumerate(ctx.inputs):
        u = points[:, j]
        if entry.kind in DISCRETE:
            choices[entry.kind] = np.minimum((u * len(entry.alternatives)).astype(int), len(entry.alternatives) - 1)
        elif entry.kind == "weights":
            kids = ctx.noisy_nodes(entry)
            sets = 1.0 + rng.uniform(-entry.noise, entry.noise, size=(weight_sets, kids.size))
            factors[:, kids] *= sets[np.minimum((u * weight_sets).astype(int), weight_sets - 1)]
        else:
            m = len(entry.indicators) + 1
            _exclude(ctx, factors, entry, np.minimum((u * m).astype(int), m - 1))
    return Design(choices, factors)


def _output_reader(ctx: Context, output: str, unit: str | None, year: object) -> tuple:
    panel = ctx.nominal.panel
    if output not in OUTPUTS:
        raise SpecError(f"sensitivity output {output!r}: unknown (expected one of {', '.join(OUTPUTS)})")
    if output == "mean_abs_rank_shift":
        root = ctx.nominal.plan.levels[-1].codes[0]
        nominal = ctx.nominal.node_scores(root).to_numpy().T  # (years, units)
        return output, rank_descending(nominal, axis=1)
    if unit is None:
        raise SpecError(f"sensitivity output {output!r}: needs a unit")
    hits = np.flatnonzero(panel.units == unit)
    if hits.size == 0:
        raise DataError(f"sensitivity: unit {unit!r} not in data")
    if year is None and len(panel.years) > 1:
        raise SpecError(f"sensitivity output {output!r}: needs a year (the data has {len(panel.years)})")
    years = [str(y) for y in panel.years]
    if year is not None and str(year) not in years:
        raise DataError(f"sensitivity: year {year!r} not in data")
    return output, (int(hits[0]), 0 if year is None else years.index(str(year)))


OUTPUTS = ("rank", "score", "mean_abs_rank_shift")
"""The outputs whose Sobol indices :func:`sensitivity` computes."""


def sensitivity(spec: Spec, data: pd.DataFrame, inputs: tuple[UncertainInput, ...] | None = None,
                n: int = 256, output: str = "mean_abs_rank_shift", unit: str | None = None,
                year: object = None, seed: int = 0, n_boot: int = 200, weight_sets: int = 100,
                progress: bool = False, mapper: Mapper | None = None, context: Context | None = None,
                scheduler=None) -> pd.DataFrame:
    """First-order and total Sobol indices of ``output`` for each uncertain input.

    Runs n (d + 2) replications (n rounded up to a power of two), in blocks on this process's
    threads, a Dask cluster (``scheduler``) or a ``mapper``, like
    :func:`~middlepower.index.uncertainty` (the design is fixed by ``seed``, so any partition of
    the blocks gives the same indices). Returns one row per input: input, S1, S1_low, S1_high,
    ST, ST_low, ST_high (95 % bootstrap intervals); ``attrs["runner"]`` says where the blocks ran.
    When the output does not vary across the runs (a unit ranked first in every run, say) the
    indices are undefined: every one is NaN and ``attrs["output_varies"]`` is False
    (:data:`~middlepower.index.sobol.UNVARYING_SD`).
    """
    n = limits.check_count("n", n, limits.BASE_SAMPLES)
    n_boot = limits.check_count("n_boot", n_boot, limits.BOOTSTRAP, minimum=0)
    seed = limits.check_count("seed", seed, limits.SEED, minimum=0)
    if output not in OUTPUTS:
        raise ParameterError(f"expected one of {', '.join(OUTPUTS)}", parameter="output", value=output)
    if output != "mean_abs_rank_shift" and unit is None:
        raise ParameterError(f"output {output!r} needs the unit whose {output} it is", parameter="unit")
    ctx = context or make_context(spec, data, inputs)
    kind, target = _output_reader(ctx, output, unit, year)
    d = len(ctx.inputs)
    design = saltelli_design(d, n, seed)
    points = design.stacked()
    y = np.empty(points.shape[0])
    job = Job(ctx, points.shape[0], seed, output="scores", design=design_from_unit_cube(ctx, points, weight_sets, seed))
    with block_mapper(scheduler, mapper=mapper) as (chosen, where):
        for block in run_job(job, chosen, progress, "sensitivity"):
            rows = slice(block.rows.start, block.rows.stop)
            if kind == "mean_abs_rank_shift":
                ranks = Ranking.of(block.scores).ranks()
                y[rows] = np.nanmean(np.abs(ranks - target[None]), axis=(1, 2))
            else:
                values = Ranking.of(block.scores).ranks() if kind == "rank" else block.scores
                y[rows] = values[:, target[1], target[0]]
    if np.isnan(y).any():
        raise DataError(f"sensitivity: output {output!r} is undefined in some replications")
    n_base = design.A.shape[0]
    result = sobol_indices(*split_outputs(y, n_base, d), n_boot=n_boot, seed=seed)
    columns = [c for c in ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high") if c in result]
    frame = pd.DataFrame({"input": [u.label for u in ctx.inputs], **{c: result[c] for c in columns}})
    frame.attrs.update(output=output, unit=unit, year=year, base_samples=n_base, runs=int(points.shape[0]),
                       runner=where, output_varies=bool(np.isfinite(result["S1"]).any()))
    return frame
