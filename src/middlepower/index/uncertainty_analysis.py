"""Monte Carlo uncertainty analysis: the index under random draws of its uncertain inputs.

Each replication draws every uncertain input independently (uniformly among the alternatives of
a discrete input; weights w * (1 + U(-noise, noise)); none or one excluded indicator) and
recomputes the whole index for all units and years. Per unit and year the result reports the
nominal score and rank, the mean score, the mean and median rank, and the 5 % and 95 % quantiles
of score and rank (linear interpolation between order statistics, as numpy's default).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from middlepower import limits
from middlepower.errors import ParameterError
from middlepower.index.aggregate import rank_descending
from middlepower.index.blocks import BlockResult, Job, Mapper, block_mapper, run_blocks
from middlepower.index.montecarlo import BLOCK_SIZE, Context, make_context
from middlepower.index.pipeline import IndexResult, check_node
from middlepower.index.spec import Spec, UncertainInput

QUANTILES = (0.05, 0.5, 0.95)
"""Quantiles of score and rank reported per unit and year: the tails name the columns
(``score_q05``, ``rank_q95``), the middle one is the median rank."""
TAILS = (QUANTILES[0], QUANTILES[-1])


def _tail_column(prefix: str, q: float) -> str:
    """Name of the column of quantile ``q``: ``score_q05`` for ("score", 0.05)."""
    return f"{prefix}_q{round(q * 100):02d}"


def _order_stat_positions(n: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0-based lower/upper order statistics and weight of the upper one, for n draws."""
    h = (np.maximum(n, 1) - 1) * q
    lo = np.floor(h).astype(np.int64)
    return lo, np.minimum(lo + 1, np.maximum(n - 1, 0)), h - lo


def score_summary(by_cell: np.ndarray) -> dict[str, np.ndarray]:
    """Mean and quantiles per cell of (cells, replications) scores, ignoring NaN draws.

    Sorts ``by_cell`` in place."""
    by_cell.sort(axis=1)  # NaN sorts last
    n = (~np.isnan(by_cell)).sum(axis=1)
    out = {}
    totals = by_cell.sum(axis=1, dtype=np.float64)
    gaps = n < by_cell.shape[1]
    if gaps.any():  # only cells with unscored draws need the slower NaN-aware sum
        totals[gaps] = np.nansum(by_cell[gaps], axis=1, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_score"] = np.where(n > 0, totals / n, np.nan)
    rows = np.arange(by_cell.shape[0])
    for q in TAILS:
        lo, hi, frac = _order_stat_positions(n, q)
        value = by_cell[rows, lo] * (1 - frac) + by_cell[rows, hi] * frac
        out[_tail_column("score", q)] = np.where(n > 0, value, np.nan)
    return out


def rank_summary(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, median and quantiles per cell from rank histograms (cells, 1 + units); column 0
    counts draws without a rank."""
    hist = counts[:, 1:]
    n = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    ranks = np.arange(1, hist.shape[1] + 1)
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_rank"] = np.where(n > 0, (hist * ranks).sum(axis=1) / n, np.nan)

    def order_stat(k: np.ndarray) -> np.ndarray:
        return (cum > k[:, None]).argmax(axis=1) + 1.0

    for name, q in (("median_rank", QUANTILES[1]), *((_tail_column("rank", q), q) for q in TAILS)):
        lo, hi, frac = _order_stat_positions(n, q)
        out[name] = np.where(n > 0, order_stat(lo) * (1 - frac) + order_stat(hi) * frac, np.nan)
    return out


@dataclass
class NodeReplications:
    """Replicated scores of some nodes (pillars, sub-indices, indicators) of an index.

    ``scores[code]`` is (n, units, years) float64, NaN where a unit-year has no score;
    ``units`` and ``years`` label the axes; ``present`` (units, years) marks unit-years of the
    data; ``nominal`` is the nominal :class:`~middlepower.index.IndexResult`. Replication r is
    the same draw for every node, and the same as replication r of :func:`uncertainty` with the
    same spec, inputs, n and seed.
    """

    scores: dict[str, np.ndarray]
    units: np.ndarray
    years: np.ndarray
    present: np.ndarray
    nominal: IndexResult
    seed: int
    inputs: tuple[str, ...]


def _progress_bar(enabled: bool, total: int, label: str):
    """A rich progress bar (imported only when shown) and its advance function."""
    if not enabled:
        return contextlib.nullcontext(), None
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    from middlepower.terminal import progress_bar

    bar = progress_bar(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    task = bar.add_task(label, total=total)
    return bar, lambda k: bar.advance(task, k)


def run_job(job: Job, mapper: Mapper | None, progress: bool | Callable[[int], None],
            label: str) -> Iterator[BlockResult]:
    """The blocks of ``job`` with a progress bar (``progress=True``) or callback."""
    bar, advance = _progress_bar(progress is True, job.n, label)
    with bar:
        yield from run_blocks(job, mapper, advance if progress is True else (progress or None))


def check_replication_arguments(n: object, seed: object, block_size: object) -> tuple[int, int, int]:
    """``n``, ``seed`` and ``block_size`` of a Monte Carlo run as ints within their bounds
    (:data:`~middlepower.limits.REPLICATIONS`, :data:`~middlepower.limits.SEED`); ParameterError
    naming the argument otherwise, before anything is computed or allocated for them."""
    return (limits.check_count("n", n, limits.REPLICATIONS), limits.check_count("seed", seed, limits.SEED, minimum=0),
            limits.check_count("block_size", block_size, limits.REPLICATIONS))


def uncertainty(spec: Spec, data: pd.DataFrame, inputs: tuple[UncertainInput, ...] | None = None,
                n: int = 1000, seed: int = 0, progress: bool = False, mapper: Mapper | None = None,
                context: Context | None = None, block_size: int = BLOCK_SIZE, scheduler=None) -> pd.DataFrame:
    """Score and rank distributions of the index per unit and year over ``n`` replications.

    ``inputs`` default to the spec's ``[[uncertainty]]`` entries. Replications are drawn and
    evaluated in blocks of ``block_size`` (:mod:`middlepower.index.blocks`; the block size is
    part of what a seed draws), on this process's threads unless ``scheduler`` (a Dask scheduler
    address, ``"local"`` for a LocalCluster, a ``distributed.Client``; default
    ``$MIDDLEPOWER_SCHEDULER``) or a ``mapper`` of your own says otherwise: the result is the
    same wherever they run. ``context`` reuses a prepared :func:`make_context`. Returns one row
    per unit-year of the data with columns unit, year, nominal_score, nominal_rank, mean_score,
    score_q05, score_q95, mean_rank, median_rank, rank_q05, rank_q95; ``attrs["runner"]`` says
    where the blocks ran. Raises ParameterError for an ``n``, ``seed`` or ``block_size`` that is no
    whole number or lies outside its bound (:func:`check_replication_arguments`).
    """
    n, seed, block_size = check_replication_arguments(n, seed, block_size)
    ctx = context or make_context(spec, data, inputs)
    panel = ctx.nominal.panel
    n_units, n_years, _ = panel.shape
    cells = n_units * n_years
    limits.check_allocation("n", n, cells * n * 4 + cells * (n_units + 1) * 8,
                            f"{n:,} replications of {cells:,} unit-years")
    scores = np.empty((cells, n), dtype=np.float32)  # (year-major) cells x replications
    counts = np.zeros((cells, n_units + 1), dtype=np.int64)
    with block_mapper(scheduler, mapper=mapper) as (chosen, where):
        for block in run_job(Job(ctx, n, seed, block_size=block_size), chosen, progress, "uncertainty"):
            scores[:, block.rows.start:block.rows.stop] = block.scores
            counts += block.rank_counts
    summary = {**score_summary(scores), **rank_summary(counts)}
    root = ctx.nominal.plan.levels[-1].codes[0]
    nominal = ctx.nominal.aggregated[ctx.nominal.plan.levels[-1].level][:, :, 0]  # (units, years)
    nominal_rank = rank_descending(nominal, axis=0)
    year_idx, unit_idx = np.divmod(np.arange(cells), n_units)
    kept = np.flatnonzero(panel.present[unit_idx, year_idx])
    ranks = nominal_rank[unit_idx[kept], year_idx[kept]]
    # by year, nominal rank (unranked last), unit: units are sorted, so their position breaks ties
    cell = kept[np.lexsort((unit_idx[kept], np.nan_to_num(ranks, nan=np.inf), year_idx[kept]))]
    columns = {"unit": panel.units[unit_idx[cell]], "year": panel.years[year_idx[cell]],
               "nominal_score": nominal[unit_idx[cell], year_idx[cell]],
               "nominal_rank": nominal_rank[unit_idx[cell], year_idx[cell]],
               **{k: v[cell] for k, v in summary.items()}}
    frame = pd.DataFrame(columns)
    frame.attrs.update(replications=n, seed=seed, inputs=[u.label for u in ctx.inputs], node=root, runner=where)
    return frame


def _node_codes(spec: Spec, nodes: object) -> tuple[str, ...]:
    """``nodes`` as a tuple of known node codes, each once; a lone string is one node, not its letters."""
    if isinstance(nodes, str):
        nodes = [nodes]
    try:
        codes = tuple(dict.fromkeys(check_node(spec, code, "nodes") for code in nodes))
    except TypeError:  # not iterable, or an unhashable entry
        raise ParameterError("expected a node code or a list of node codes", parameter="nodes", value=nodes) from None
    if not codes:
        raise ParameterError("name at least one node", parameter="nodes")
    return codes


def node_replications(spec: Spec, data: pd.DataFrame, nodes: str | Sequence[str],
                      inputs: tuple[UncertainInput, ...] | None = None, n: int = 1000, seed: int = 0,
                      progress: bool | Callable[[int], None] = False, mapper: Mapper | None = None,
                      context: Context | None = None, block_size: int = BLOCK_SIZE,
                      scheduler=None) -> NodeReplications:
    """The replicated scores of ``nodes`` (node codes; one code alone is one node) under the same
    draws as :func:`uncertainty`.

    ``progress`` is True for a progress bar, or a callback given the replications each block
    completed; ``scheduler`` and ``mapper`` as in :func:`uncertainty`. Raises ParameterError for
    an unknown node code (listing the spec's nodes), for no node at all, for ``n``, ``seed`` and
    ``block_size`` as :func:`uncertainty` does, and when the scores would exceed
    :data:`~middlepower.limits.RESULT_BYTES`.
    """
    n, seed, block_size = check_replication_arguments(n, seed, block_size)
    nodes = _node_codes(context.spec if context is not None else spec, nodes)
    ctx = context or make_context(spec, data, inputs)
    panel = ctx.nominal.panel
    n_units, n_years, _ = panel.shape
    cells = n_units * n_years
    limits.check_allocation("n", n, n * cells * 8 * len(nodes),
                            f"{n:,} replications of {len(nodes)} nodes over {cells:,} unit-years")
    out = {code: np.empty((n, n_units, n_years)) for code in nodes}
    job = Job(ctx, n, seed, output="none", nodes=nodes, block_size=block_size)
    with block_mapper(scheduler, mapper=mapper) as (chosen, _):
        for block in run_job(job, chosen, progress, "replications"):
            for code, values in block.nodes.items():
                out[code][block.rows.start:block.rows.stop] = values
    return NodeReplications(out, panel.units, panel.years, panel.present, ctx.nominal, seed,
                            tuple(u.label for u in ctx.inputs))
